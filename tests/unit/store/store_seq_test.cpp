// The storing order (seq) that fixes RFC 5005 archive pages, and trimming by it.

#include <gtest/gtest.h>

#include "backends.hpp"
#include "store/store.hpp"

namespace fg::store {
namespace {

class StoreSeq : public testing::StoreTest {};

using namespace std::chrono_literals;

const Timestamp kDay = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1};
const Timestamp kNow = kDay + 24h;

Article dated(const std::string& url, std::optional<int> hour) {
  Article a;
  a.url = url;
  a.title = url;
  if (hour) a.published = PublishedTime{kDay + std::chrono::hours(*hour), 8h};
  return a;
}

std::vector<std::pair<std::string, std::int64_t>> urls_and_seqs(
    const std::vector<StoredItem>& items) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& i : items) out.emplace_back(i.article.url, i.seq);
  return out;
}

TEST_P(StoreSeq, OneCommitIsNumberedOldestFirst) {
  auto opened = backend_->open();
  ASSERT_TRUE(opened.ok());
  auto store = std::move(*opened);
  // As a list page names them: newest first; the undated one counts as stored now (newest).
  ASSERT_TRUE(
      store
          ->commit_items("f", {dated("c", 12), dated("undated", {}), dated("a", 3), dated("b", 7)},
                         10, kNow)
          .ok());
  auto all = store->items_by_seq("f", 1, 4);
  ASSERT_TRUE(all.ok());
  using V = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(urls_and_seqs(*all), (V{{"undated", 4}, {"c", 3}, {"b", 2}, {"a", 1}}));
  auto range = store->seq_range("f");
  EXPECT_EQ(range->first, 1);
  EXPECT_EQ(range->last, 4);
  EXPECT_EQ(store->seq_range("nothing")->last, 0);
}

TEST_P(StoreSeq, ALaterCommitContinuesTheNumberingAndUpdatesKeepTheirSeq) {
  auto opened = backend_->open();
  ASSERT_TRUE(opened.ok());
  auto store = std::move(*opened);
  ASSERT_TRUE(store->commit_items("f", {dated("b", 7), dated("a", 3)}, 10, kNow).ok());
  Article changed = dated("a", 3);
  changed.title = "a, corrected";
  // An article found late with an old date still comes after everything stored before it.
  ASSERT_TRUE(store->commit_items("f", {dated("old", 1), changed}, 10, kNow).ok());
  auto all = store->items_by_seq("f", 1, 10);
  using V = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(urls_and_seqs(*all), (V{{"b", 2}, {"a", 1}, {"old", 3}}));
  EXPECT_EQ((*all)[1].article.title, "a, corrected");
}

TEST_P(StoreSeq, TrimKeepsTheMostRecentlyStored) {
  auto opened = backend_->open();
  ASSERT_TRUE(opened.ok());
  auto store = std::move(*opened);
  ASSERT_TRUE(
      store->commit_items("f", {dated("c", 12), dated("b", 7), dated("a", 3)}, 3, kNow).ok());
  ASSERT_TRUE(store->commit_items("f", {dated("late-but-old", 1)}, 3, kNow).ok());
  EXPECT_EQ(*store->count_items("f"), 3);
  auto range = store->seq_range("f");
  EXPECT_EQ(range->first, 2);
  EXPECT_EQ(range->last, 4);
  auto kept = store->items_by_seq("f", 1, 4);
  using V = std::vector<std::pair<std::string, std::int64_t>>;
  EXPECT_EQ(urls_and_seqs(*kept), (V{{"c", 3}, {"b", 2}, {"late-but-old", 4}}));
}

FG_STORE_BACKENDS(StoreSeq);

}  // namespace
}  // namespace fg::store
