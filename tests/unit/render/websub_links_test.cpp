// WebSub in rendered documents: the hub link of current feeds (never of archive pages), the
// self link of shaped variants, and the status page's push column.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/render.hpp"

namespace fg::render {
namespace {

FeedInfo info(std::string hub = "http://f.example/websub") {
  FeedInfo i;
  i.id = "demo";
  i.title = "演示网";
  i.source_url = "http://portal.example/";
  i.self_base = "http://f.example";
  i.hub_url = std::move(hub);
  return i;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(RenderWebSub, CurrentFeedsNameTheirHub) {
  EXPECT_TRUE(
      contains(render_atom(info(), {}), "<link rel=\"hub\" href=\"http://f.example/websub\""));
  EXPECT_TRUE(
      contains(render_rss(info(), {}), "<atom:link href=\"http://f.example/websub\" rel=\"hub\""));
  const auto json = nlohmann::json::parse(render_json_feed(info(), {}));
  EXPECT_EQ(json["hubs"],
            nlohmann::json::parse(R"([{"type":"WebSub","url":"http://f.example/websub"}])"));
}

TEST(RenderWebSub, NoHubNoLinkAndArchivePagesNameNone) {
  EXPECT_FALSE(contains(render_atom(info(""), {}), "rel=\"hub\""));
  EXPECT_FALSE(nlohmann::json::parse(render_json_feed(info(""), {})).contains("hubs"));
  FeedInfo page = info();
  page.archive_page = 2;
  EXPECT_FALSE(contains(render_atom(page, {}), "rel=\"hub\""));
  EXPECT_FALSE(contains(render_rss(page, {}), "rel=\"hub\""));
  EXPECT_FALSE(nlohmann::json::parse(render_json_feed(page, {})).contains("hubs"));
}

TEST(RenderWebSub, AShapedVariantIsItsOwnSelf) {
  FeedInfo variant = info();
  variant.self_query = "opencc=s2t&filter_title=%E6%9D%AD";
  EXPECT_TRUE(
      contains(render_atom(variant, {}),
               "href=\"http://f.example/feeds/demo.atom?opencc=s2t&amp;filter_title=%E6%9D%AD\""));
  EXPECT_EQ(nlohmann::json::parse(render_json_feed(variant, {}))["feed_url"],
            "http://f.example/feeds/demo.json?opencc=s2t&filter_title=%E6%9D%AD");
}

TEST(RenderWebSub, StatusPageShowsPushOnlyWithAHub) {
  FeedStatus s;
  s.info = info();
  s.item_count = 8;
  s.push_subscribers = 3;
  const Timestamp now = Timestamp{std::chrono::seconds{1'600'000'000}};
  EXPECT_FALSE(contains(render_status_page({s}, now), "Push subscribers"));
  StatusHead head;
  head.push = PushSummary{12, 4, 1};
  const std::string page = render_status_page({s}, now, {}, head);
  EXPECT_TRUE(contains(page, "<th>Push subscribers</th>"));
  EXPECT_TRUE(contains(page, "<td class=\"num\">3</td>"));
  EXPECT_TRUE(contains(page, "12 deliveries, 4 failed tries, 1 subscriptions dropped"));
}

}  // namespace
}  // namespace fg::render
