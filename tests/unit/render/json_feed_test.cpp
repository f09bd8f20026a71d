#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "render/render.hpp"
#include "sample_feed.hpp"

namespace fg::render {
namespace {

using nlohmann::json;
using test::sample_info;
using test::sample_items;

json parse_feed(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << text;
  return j;
}

TEST(RenderJsonFeed, TopLevel) {
  const json j = parse_feed(render_json_feed(sample_info(), sample_items()));
  EXPECT_EQ(j["version"], "https://jsonfeed.org/version/1.1");
  EXPECT_EQ(j["title"], "杭州网 国内 & <新闻>");
  EXPECT_EQ(j["home_page_url"], "http://news.hangzhou.com.cn/gnxw/?a=1&b=2");
  EXPECT_EQ(j["feed_url"], "http://127.0.0.1:8080/feeds/hz-gnxw.json");
  ASSERT_TRUE(j["items"].is_array());
  EXPECT_EQ(j["items"].size(), 2u);
}

TEST(RenderJsonFeed, LanguageAndSiteWhenTheItemsAgree) {
  auto items = sample_items();
  const json none = parse_feed(render_json_feed(sample_info(), items));
  EXPECT_FALSE(none.contains("language"));
  EXPECT_FALSE(none.contains("authors"));
  items[0].article.language = "zh-CN";
  items[0].article.site_name = "杭州网";
  items[1].article.site_name = "杭州网";  // the second states no language: no disagreement
  const json j = parse_feed(render_json_feed(sample_info(), items));
  EXPECT_EQ(j["language"], "zh-CN");
  EXPECT_EQ(j["authors"], json::parse(R"([{"name":"杭州网"}])"));
  items[1].article.site_name = "新华网";
  EXPECT_FALSE(parse_feed(render_json_feed(sample_info(), items)).contains("authors"));
}

TEST(RenderJsonFeed, ItemWithEverything) {
  const json j = parse_feed(render_json_feed(sample_info(), sample_items()));
  const json& item = j["items"][0];
  const char* url = "http://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7668283.htm";
  EXPECT_EQ(item["id"], url);
  EXPECT_EQ(item["url"], url);
  EXPECT_EQ(item["title"], "中共中央印发《通知》 & <全文>");
  EXPECT_EQ(item["content_html"],
            "<p>新华社北京1月28日电 1 &lt; 2 &amp; ]]&gt;</p><p>第二段</p>"
            "<p class=\"feedgate-byline\">来源：新华网\u3000作者：张三\u3000编辑：李四</p>");
  EXPECT_EQ(item["summary"], "新华社北京1月28日电 1 < 2 & ]]> 第二段");
  EXPECT_EQ(item["date_published"], "2020-01-29T01:17:24+08:00");
  EXPECT_EQ(item["date_modified"], "2020-01-29T01:17:24+08:00");
  EXPECT_EQ(item["authors"], json::parse(R"([{"name":"张三"}])"));
  EXPECT_EQ(item["_feedgate"], json::parse(R"({"source":"新华网","editor":"李四"})"));
}

TEST(RenderJsonFeed, UndatedItem) {
  const json j = parse_feed(render_json_feed(sample_info(), sample_items()));
  const json& item = j["items"][1];
  EXPECT_FALSE(item.contains("date_published"));
  EXPECT_EQ(item["date_modified"], "2020-01-28T16:00:00Z");
  EXPECT_FALSE(item.contains("authors"));
  EXPECT_EQ(item["_feedgate"], json::parse(R"({"source":"人民网"})"));
  EXPECT_EQ(item["title"], "Bellintitle");
}

TEST(RenderJsonFeed, CjkIsWrittenAsUtf8NotEscapes) {
  const std::string text = render_json_feed(sample_info(), sample_items());
  EXPECT_NE(text.find("杭州网"), std::string::npos);
  EXPECT_EQ(text.find("\\u"), std::string::npos);
}

TEST(RenderJsonFeed, InvalidUtf8IsReplacedNotFatal) {
  FeedItem item = test::published_item();
  item.article.title = "bad \xFF byte";
  const json j = parse_feed(render_json_feed(sample_info(), {item}));
  EXPECT_EQ(j["items"][0]["title"], "bad \xEF\xBF\xBD byte");
}

TEST(RenderJsonFeed, ItemWithoutHtmlCarriesText) {
  FeedItem item = test::undated_item();
  item.article.content_html.clear();
  const json j = parse_feed(render_json_feed(sample_info(), {item}));
  EXPECT_FALSE(j["items"][0].contains("content_html"));
  EXPECT_EQ(j["items"][0]["content_text"], "内容\n\n来源：人民网");
}

}  // namespace
}  // namespace fg::render
