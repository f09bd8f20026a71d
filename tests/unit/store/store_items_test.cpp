// Items: round trip of every field, change detection, trimming, ordering, atomicity, restart.

#include <gtest/gtest.h>

#include "backends.hpp"
#include "store/store.hpp"

namespace fg::store {
namespace {

class StoreItems : public testing::StoreTest {};

using std::chrono::hours;
using std::chrono::minutes;
using namespace std::chrono_literals;

// 2020-01-28 17:17:24 UTC, which 杭州网 shows as 2020-01-29 01:17:24 +08:00.
const Timestamp kPublished =
    std::chrono::sys_days{std::chrono::year{2020} / 1 / 28} + 17h + 17min + 24s;
const Timestamp kNow = std::chrono::sys_days{std::chrono::year{2024} / 3 / 1} + 8h;

Article article(std::string url, std::string title, std::optional<Timestamp> published) {
  Article a;
  a.url = std::move(url);
  a.title = std::move(title);
  if (published) a.published = PublishedTime{*published, minutes{0}};
  return a;
}

std::vector<std::string> urls_of(const std::vector<StoredItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.article.url);
  return out;
}

TEST_P(StoreItems, EveryFieldRoundTripsIncludingCjkAndOffset) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  Article a;
  a.url = "https://hznews.hangzhou.com.cn/chengshi/content/2020-01/29/content_7669999.htm";
  a.title = "杭州：全力做好疫情防控工作";
  a.published = PublishedTime{kPublished, hours{8}};
  a.author = "记者 张三";
  a.source = "杭州日报";
  a.editor = "李四";
  a.content_html = "<p>正文第一段。</p><img src=\"https://img.example/a.jpg\">";
  a.text = "正文第一段。";
  a.language = "zh-CN";
  a.site_name = "杭州网";
  Article undated = article("https://www.news.cn/a.htm", "新华网消息", std::nullopt);

  auto n = store->commit_items("hz", {a, undated}, 50, kNow);
  ASSERT_TRUE(n.ok()) << n.error().describe();
  EXPECT_EQ(*n, 2);

  auto items = store->items("hz", 10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  // The undated one sorts by first_seen (2024), newer than the 2020 article.
  EXPECT_EQ((*items)[0].article, undated);
  EXPECT_FALSE((*items)[0].article.published.has_value());
  const StoredItem& got = (*items)[1];
  EXPECT_EQ(got.article, a);
  ASSERT_TRUE(got.article.published.has_value());
  EXPECT_EQ(got.article.published->offset, minutes{480});
  EXPECT_EQ(got.article.published->utc.time_since_epoch().count(), 1580231844);
  EXPECT_EQ(got.first_seen, kNow);
  EXPECT_EQ(got.updated, kNow);
}

TEST_P(StoreItems, HourDayAndMonthPrecisionRoundTrip) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  Article hour = article("https://a/hour", "3小时前", kPublished + 1h);
  hour.published->precision = TimePrecision::hour;
  Article day = article("https://a/day", "只有日期", kPublished);
  day.published->precision = TimePrecision::day;
  Article month = article("https://a/month", "只有月份", kPublished - 24h * 60);
  month.published->precision = TimePrecision::month;
  ASSERT_TRUE(store->commit_items("f", {hour, day, month}, 50, kNow).ok());
  auto items = store->items("f", 10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].article.published->precision, TimePrecision::hour);
  EXPECT_EQ((*items)[1].article.published->precision, TimePrecision::day);
  EXPECT_EQ((*items)[2].article.published->precision, TimePrecision::month);
}

TEST_P(StoreItems, IdenticalRecommitChangesNothing) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  std::vector<Article> batch = {article("https://a/1", "一", kPublished),
                                article("https://a/2", "二", kPublished + 1h)};
  ASSERT_EQ(*store->commit_items("f", batch, 50, kNow), 2);
  auto again = store->commit_items("f", batch, 50, kNow + 1h);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  auto items = store->items("f", 10);
  ASSERT_TRUE(items.ok());
  for (const auto& i : *items) EXPECT_EQ(i.updated, kNow);
}

TEST_P(StoreItems, ChangedTitleIsUpdatedAndFirstSeenKept) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  ASSERT_EQ(*store->commit_items("f", {article("https://a/1", "旧标题", kPublished)}, 50, kNow), 1);
  auto n = store->commit_items("f", {article("https://a/1", "新标题", kPublished)}, 50, kNow + 2h);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  auto items = store->items("f", 10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].article.title, "新标题");
  EXPECT_EQ((*items)[0].first_seen, kNow);
  EXPECT_EQ((*items)[0].updated, kNow + 2h);
}

TEST_P(StoreItems, TrimKeepsTheNewestMaxItems) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  std::vector<Article> batch;
  for (int i = 1; i <= 5; ++i) {
    batch.push_back(article("https://a/" + std::to_string(i), "t", kPublished + hours{i}));
  }
  auto n = store->commit_items("f", batch, 3, kNow);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 5);  // counted as written, even those trimmed in the same commit
  EXPECT_EQ(*store->count_items("f"), 3);
  auto items = store->items("f", 10);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(urls_of(*items),
            (std::vector<std::string>{"https://a/5", "https://a/4", "https://a/3"}));
}

TEST_P(StoreItems, OrderIsPublishedElseFirstSeenThenFirstSeenThenUrl) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  const Timestamp t0 = kPublished;
  // Undated, first seen at t0 + 2h: sorts as t0 + 2h.
  ASSERT_TRUE(
      store->commit_items("f", {article("https://a/undated", "u", std::nullopt)}, 50, t0 + 2h)
          .ok());
  // Same published time t0 + 1h, first seen at different times: later first_seen first.
  ASSERT_TRUE(
      store->commit_items("f", {article("https://a/early", "e", t0 + 1h)}, 50, t0 + 3h).ok());
  ASSERT_TRUE(
      store->commit_items("f", {article("https://a/late", "l", t0 + 1h)}, 50, t0 + 4h).ok());
  // Everything equal but the URL: ascending URL.
  ASSERT_TRUE(store
                  ->commit_items("f",
                                 {article("https://a/y", "y", t0), article("https://a/x", "x", t0)},
                                 50, t0 + 5h)
                  .ok());
  auto items = store->items("f", 10);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(urls_of(*items),
            (std::vector<std::string>{"https://a/undated", "https://a/late", "https://a/early",
                                      "https://a/x", "https://a/y"}));
  auto two = store->items("f", 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(urls_of(*two), (std::vector<std::string>{"https://a/undated", "https://a/late"}));
}

TEST_P(StoreItems, KnownUrlsIsPerFeed) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store
                  ->commit_items("a",
                                 {article("https://x/1", "1", kPublished),
                                  article("https://x/2", "2", kPublished)},
                                 50, kNow)
                  .ok());
  ASSERT_TRUE(store->commit_items("b", {article("https://x/3", "3", kPublished)}, 50, kNow).ok());
  auto known = store->known_urls("a", {"https://x/1", "https://x/3", "https://x/9", "https://x/2"});
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(*known, (std::set<std::string>{"https://x/1", "https://x/2"}));
  EXPECT_EQ(*store->count_items("b"), 1);
  EXPECT_EQ(*store->count_items("nobody"), 0);
}

TEST_P(StoreItems, DuplicateUrlInOneBatchIsStoredOnceFromItsFirstOccurrence) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto n = store->commit_items(
      "f",
      {article("https://a/1", "first", kPublished), article("https://a/1", "second", kPublished)},
      50, kNow);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  auto items = store->items("f", 10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].article.title, "first");
}

TEST_P(StoreItems, EmptyUrlRefusesTheWholeCommit) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto n = store->commit_items(
      "f", {article("https://a/1", "ok", kPublished), article("", "bad", kPublished)}, 50, kNow);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, Errc::invalid_argument);
  EXPECT_NE(n.error().message.find("item 2 of 2"), std::string::npos) << n.error().message;
  EXPECT_EQ(*store->count_items("f"), 0);
}

TEST_P(StoreItems, NonPositiveMaxItemsIsRefused) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto n = store->commit_items("f", {article("https://a/1", "ok", kPublished)}, 0, kNow);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, Errc::invalid_argument);
  EXPECT_EQ(*store->count_items("f"), 0);
}

// A trigger aborts the second insert inside the database, after the first row was written: the
// transaction must roll back so that the first row is gone too.
TEST_P(StoreItems, FailureHalfwayThroughACommitStoresNothing) {
  { ASSERT_TRUE(open_ok()); }
  ASSERT_TRUE(backend_->refuse_inserts_of("https://a/boom"));
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto n = store->commit_items(
      "f", {article("https://a/1", "ok", kPublished), article("https://a/boom", "x", kPublished)},
      50, kNow);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, Errc::storage);
  EXPECT_NE(n.error().message.find("https://a/boom"), std::string::npos) << n.error().message;
  EXPECT_EQ(*store->count_items("f"), 0);
  // And the store still works afterwards: the failed transaction did not stay open.
  EXPECT_EQ(*store->commit_items("f", {article("https://a/1", "ok", kPublished)}, 50, kNow), 1);
}

TEST_P(StoreItems, ItemsSurviveReopen) {
  Article a =
      article("https://www.people.com.cn/n1/2024/0301/c1.html", "人民网：春季新闻", kPublished);
  a.published->offset = hours{8};
  a.text = "中文正文";
  {
    auto store = open_ok();
    ASSERT_TRUE(store);
    ASSERT_EQ(*store->commit_items("people", {a}, 50, kNow), 1);
  }
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto items = store->items("people", 10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].article, a);
  EXPECT_EQ((*items)[0].first_seen, kNow);
  // Unchanged after the restart: the stored hash still matches.
  EXPECT_EQ(*store->commit_items("people", {a}, 50, kNow + 1h), 0);
}

TEST_P(StoreItems, NegativeLimitIsRefusedAndZeroGivesNothing) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->commit_items("f", {article("https://a/1", "t", kPublished)}, 50, kNow).ok());
  EXPECT_FALSE(store->items("f", -1).ok());
  auto none = store->items("f", 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

FG_STORE_BACKENDS(StoreItems);

}  // namespace
}  // namespace fg::store
