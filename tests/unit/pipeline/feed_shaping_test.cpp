#include "pipeline/feed_shaping.hpp"

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "serve/prepare.hpp"

namespace fg::pipeline {
namespace {

using Verdict = serve::ShapeQuery::Verdict;

std::shared_ptr<const config::Config> one_feed() {
  auto config = std::make_shared<config::Config>();
  config::FeedConfig feed;
  feed.id = "hz";
  feed.title = "杭州网 国内";
  config->feeds.push_back(feed);
  return config;
}

FeedShaping::Published published(const config::FeedConfig& feed) {
  FeedShaping::Published p;
  p.info.id = feed.id;
  p.info.title = feed.title;
  p.info.self_base = "http://127.0.0.1:8080";
  for (const char* title : {"杭州发展 亚运", "天气", "亚运 场馆"}) {
    render::FeedItem item;
    item.article.url = std::string("https://hz.example/") + title;
    item.article.title = title;
    item.first_seen = now_seconds();
    p.items.push_back(item);
  }
  return p;
}

struct Fixture {
  int reads_of_store = 0;
  FeedShaping shaping{one_feed(), [this](const config::FeedConfig& feed) {
                        ++reads_of_store;
                        return published(feed);
                      }};
  std::shared_ptr<const serve::Resource> plain =
      serve::make_resource("application/atom+xml; charset=utf-8", "<feed/>", Timestamp{}, 60);
};

TEST(FeedShaping, ReadsTheQueryOfFeedPathsOnly) {
  Fixture f;
  EXPECT_EQ(f.shaping.read("/", "opencc=s2t").verdict, Verdict::plain);
  EXPECT_EQ(f.shaping.read("/feeds/other.atom", "opencc=s2t").verdict, Verdict::plain);
  EXPECT_EQ(f.shaping.read("/feeds/hz.atom", "limit=2&utm=x").verdict, Verdict::plain);
  const auto asked = f.shaping.read("/feeds/hz.json", "opencc=s2t&filter_title=亚运");
  EXPECT_EQ(asked.verdict, Verdict::variant);
  EXPECT_EQ(asked.key, "filter_title=%E4%BA%9A%E8%BF%90&opencc=s2t");
  const auto refused = f.shaping.read("/feeds/hz.rss", "brief=10");
  EXPECT_EQ(refused.verdict, Verdict::refused);
  EXPECT_EQ(refused.message.rfind("brief: ", 0), 0u);
  EXPECT_EQ(f.reads_of_store, 0);  // reading a query never touches the items
}

TEST(FeedShaping, PreparesTheVariantFromThePublishedItems) {
  Fixture f;
  const auto asked = f.shaping.read("/feeds/hz.rss", "filter_title=亚运&opencc=s2t");
  const auto variant = f.shaping.prepare("/feeds/hz.rss", asked.key, *f.plain);
  ASSERT_TRUE(variant.resource);
  EXPECT_EQ(f.reads_of_store, 1);
  const std::string& body = variant.resource->body;
  EXPECT_NE(body.find("<rss"), std::string::npos);
  EXPECT_NE(body.find("杭州發展 亞運"), std::string::npos);
  EXPECT_NE(body.find("亞運 場館"), std::string::npos);
  EXPECT_EQ(body.find("天氣"), std::string::npos);
  EXPECT_NE(body.find("杭州網 國內"), std::string::npos);  // the feed's title too
  EXPECT_FALSE(variant.expires);
  EXPECT_EQ(variant.resource->content_type, f.plain->content_type);
}

TEST(FeedShaping, PatternTheEngineRejectsIsRefusedWhenPrepared) {
  Fixture f;
  const auto asked = f.shaping.read("/feeds/hz.atom", "filter=(x");
  ASSERT_EQ(asked.verdict, Verdict::variant);  // read() does not compile
  const auto variant = f.shaping.prepare("/feeds/hz.atom", asked.key, *f.plain);
  EXPECT_FALSE(variant.resource);
  EXPECT_EQ(variant.refusal.rfind("filter: invalid regular expression", 0), 0u) << variant.refusal;
}

TEST(FeedShaping, FilterTimeVariantsExpireAndCountTheirItemsInTheEtag) {
  Fixture f;
  const auto a = f.shaping.prepare("/feeds/hz.atom", "filter_time=60", *f.plain);
  const auto b = f.shaping.prepare("/feeds/hz.atom", "filter_time=60&limit=1", *f.plain);
  ASSERT_TRUE(a.resource && b.resource);
  EXPECT_TRUE(a.expires);
  EXPECT_NE(a.resource->etag, b.resource->etag);
}

TEST(FeedShaping, ConfigShapeMapsEveryKey) {
  config::FeedConfig feed;
  EXPECT_TRUE(config_shape(feed).empty());
  feed.filter.include.any = "a";
  feed.filter.include.author = "b";
  feed.filter.exclude.title = "c";
  feed.filter.exclude.description = "d";
  feed.filter.case_sensitive = false;
  feed.filter.max_age = std::chrono::hours(2);
  feed.opencc = "s2hk";
  const shape::ShapeSpec spec = config_shape(feed);
  EXPECT_EQ(spec.normalized(),
            "filter=a&filter_author=b&filterout_title=c&filterout_description=d&"
            "filter_case_sensitive=false&filter_time=7200&opencc=s2hk");
}

}  // namespace
}  // namespace fg::pipeline
