#include "pipeline/publish.hpp"

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace fg::pipeline {
namespace {

config::Config one_feed() {
  config::Config config;
  config::FeedConfig feed;
  feed.id = "hz";
  feed.title = "杭州网";
  feed.url = "https://hz.example/news/";
  config.feeds.push_back(feed);
  return config;
}

// Instances sharing one database render a feed at different moments; a feed with nothing stored
// yet must still come out the same everywhere (same bytes, ETag and Last-Modified), so its
// updated time cannot be the moment of rendering.
TEST(Publish, FeedWithNoItemsHasAnUpdatedTimeThatDoesNotDependOnWhenItIsRendered) {
  test::TempDb db;
  auto store = store::open_sqlite_store(db.path());
  ASSERT_TRUE(store) << store.error().message;
  const config::Config config = one_feed();
  const CurrentItems first = current_items(**store, config, config.feeds.front());
  EXPECT_TRUE(first.items.empty());
  EXPECT_EQ(first.info.updated, Timestamp{});
}

TEST(Publish, FeedUpdatedTimeIsItsNewestItemsUpdate) {
  test::TempDb db;
  auto store = store::open_sqlite_store(db.path());
  ASSERT_TRUE(store) << store.error().message;
  const config::Config config = one_feed();
  Article article;
  article.url = "https://hz.example/news/1.html";
  article.title = "亚运";
  const Timestamp committed = Timestamp{std::chrono::seconds{1'780'000'000}};
  ASSERT_TRUE((*store)->commit_items("hz", {article}, 100, committed));
  const CurrentItems current = current_items(**store, config, config.feeds.front());
  ASSERT_EQ(current.items.size(), 1u);
  EXPECT_EQ(current.info.updated, committed);
}

}  // namespace
}  // namespace fg::pipeline
