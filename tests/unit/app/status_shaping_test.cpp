// "/?q=...&page=N" through the Site's Shaping: the status page's searches and other pages.
#include "app/status_shaping.hpp"

#include <gtest/gtest.h>

#include "serve/prepare.hpp"

namespace fg::app {
namespace {

TEST(StatusQuery, ReadsSearchAndPage) {
  const auto q = parse_status_query("q=%E6%9D%AD+news&page=3&x=1");
  EXPECT_EQ(q.search, "杭 news");
  EXPECT_EQ(q.page, 3u);
  EXPECT_EQ(parse_status_query("page=0").page, 1u);
  EXPECT_EQ(parse_status_query("page=-2").page, 1u);
  EXPECT_EQ(parse_status_query("page=99999999999999999999").page, 1u);
  EXPECT_EQ(parse_status_query("q=++a++&q=b").search, "a");
  EXPECT_EQ(parse_status_query("").search, "");
}

struct Fixture {
  std::shared_ptr<StatusSnapshot> snapshot = std::make_shared<StatusSnapshot>();
  std::shared_ptr<const serve::Resource> plain =
      serve::make_resource("text/html; charset=utf-8", "page one", Timestamp{}, 0);
  Fixture() {
    for (int i = 0; i < 150; ++i) {
      render::FeedStatus s;
      s.info.id = "feed" + std::to_string(i);
      s.info.title = "Feed " + std::to_string(i);
      snapshot->feeds.push_back(s);
    }
  }
};

TEST(SiteShaping, FirstPageIsThePublishedOneOthersAreVariants) {
  Fixture f;
  const SiteShaping shaping(nullptr, f.snapshot);
  EXPECT_EQ(shaping.read("/", "").verdict, serve::ShapeQuery::Verdict::plain);
  EXPECT_EQ(shaping.read("/", "page=1&utm=x").verdict, serve::ShapeQuery::Verdict::plain);
  const auto second = shaping.read("/", "page=2");
  ASSERT_EQ(second.verdict, serve::ShapeQuery::Verdict::variant);
  EXPECT_EQ(second.key, "/?page=2");
  EXPECT_EQ(shaping.read("/", "q=Feed%2014&page=1").key, "/?q=Feed%2014");
  const auto variant = shaping.prepare("/", second.key, *f.plain);
  ASSERT_TRUE(variant.resource);
  EXPECT_NE(variant.resource->body.find("<tr id=\"feed-feed149\">"), std::string::npos);
  EXPECT_EQ(variant.resource->body.find("<tr id=\"feed-feed0\">"), std::string::npos);
  EXPECT_NE(variant.resource->etag, f.plain->etag);
  const auto found = shaping.prepare("/", "/?q=feed149", *f.plain);
  EXPECT_NE(found.resource->body.find("1 feed matches"), std::string::npos);
  // Paths other than "/" go to the feeds' shaping, here none.
  EXPECT_EQ(shaping.read("/feeds/a.atom", "page=2").verdict, serve::ShapeQuery::Verdict::plain);
  // No page built yet: "/" as it is.
  EXPECT_EQ(SiteShaping(nullptr, nullptr).read("/", "page=2").verdict,
            serve::ShapeQuery::Verdict::plain);
}

}  // namespace
}  // namespace fg::app
