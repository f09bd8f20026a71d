#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>

#include "render/render.hpp"
#include "sample_feed.hpp"

namespace fg::render {
namespace {

using test::sample_info;
using test::sample_items;

pugi::xml_document parse_xml(const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result r = doc.load_string(xml.c_str());
  EXPECT_TRUE(r) << r.description() << "\n" << xml;
  return doc;
}

TEST(RenderRss, StartsWithUtf8Declaration) {
  const std::string xml = render_rss(sample_info(), sample_items());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0), 0u) << xml.substr(0, 80);
}

TEST(RenderRss, DeclaresNamespacesAndVersion) {
  const auto doc = parse_xml(render_rss(sample_info(), sample_items()));
  const pugi::xml_node rss = doc.child("rss");
  EXPECT_STREQ(rss.attribute("version").value(), "2.0");
  EXPECT_STREQ(rss.attribute("xmlns:content").value(), "http://purl.org/rss/1.0/modules/content/");
  EXPECT_STREQ(rss.attribute("xmlns:dc").value(), "http://purl.org/dc/elements/1.1/");
  EXPECT_STREQ(rss.attribute("xmlns:atom").value(), "http://www.w3.org/2005/Atom");
  EXPECT_STREQ(rss.attribute("xmlns:sy").value(), "http://purl.org/rss/1.0/modules/syndication/");
}

TEST(RenderRss, LanguageWhenTheItemsAgree) {
  auto items = sample_items();
  EXPECT_FALSE(
      parse_xml(render_rss(sample_info(), items)).child("rss").child("channel").child("language"));
  items[0].article.language = "zh_CN";
  items[1].article.language = "zh-cn";
  const auto doc = parse_xml(render_rss(sample_info(), items));
  EXPECT_STREQ(doc.child("rss").child("channel").child_value("language"), "zh-CN");
  items[1].article.language = "en";
  const auto mixed = parse_xml(render_rss(sample_info(), items));
  EXPECT_FALSE(mixed.child("rss").child("channel").child("language"));
}

TEST(RenderRss, ChannelHead) {
  const auto doc = parse_xml(render_rss(sample_info(), sample_items()));
  const pugi::xml_node ch = doc.child("rss").child("channel");
  EXPECT_STREQ(ch.child_value("title"), "杭州网 国内 & <新闻>");
  EXPECT_STREQ(ch.child_value("link"), "http://news.hangzhou.com.cn/gnxw/?a=1&b=2");
  // No description configured: the title stands in, escaped as HTML like every description.
  EXPECT_STREQ(ch.child_value("description"), "杭州网 国内 &amp; &lt;新闻&gt;");
  EXPECT_STREQ(ch.child_value("lastBuildDate"), "Tue, 28 Jan 2020 18:00:00 +0000");
  EXPECT_STREQ(ch.child_value("ttl"), "10");
  EXPECT_STREQ(ch.child_value("sy:updatePeriod"), "hourly");
  EXPECT_STREQ(ch.child_value("sy:updateFrequency"), "6");
  EXPECT_STREQ(ch.child_value("generator"), "feedgate");
  const pugi::xml_node self = ch.child("atom:link");
  EXPECT_STREQ(self.attribute("href").value(), "http://127.0.0.1:8080/feeds/hz-gnxw.rss");
  EXPECT_STREQ(self.attribute("rel").value(), "self");
  EXPECT_STREQ(self.attribute("type").value(), "application/rss+xml");
}

TEST(RenderRss, ItemWithPublicationTime) {
  const auto doc = parse_xml(render_rss(sample_info(), sample_items()));
  const pugi::xml_node item = doc.child("rss").child("channel").child("item");
  EXPECT_STREQ(item.child_value("title"), "中共中央印发《通知》 & <全文>");
  EXPECT_STREQ(item.child_value("link"),
               "http://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7668283.htm");
  EXPECT_STREQ(item.child_value("guid"),
               "http://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7668283.htm");
  EXPECT_STREQ(item.child("guid").attribute("isPermaLink").value(), "true");
  EXPECT_STREQ(item.child_value("pubDate"), "Wed, 29 Jan 2020 01:17:24 +0800");
  EXPECT_STREQ(item.child_value("dc:creator"), "张三");
  EXPECT_STREQ(item.child_value("description"), "新华社北京1月28日电 1 &lt; 2 &amp; ]]&gt; 第二段");
  EXPECT_STREQ(item.child_value("content:encoded"),
               "<p>新华社北京1月28日电 1 &lt; 2 &amp; ]]&gt;</p><p>第二段</p>"
               "<p class=\"feedgate-byline\">来源：新华网\u3000作者：张三\u3000编辑：李四</p>");
}

TEST(RenderRss, UndatedItemUsesFirstSeenAndHasNoCreator) {
  const auto doc = parse_xml(render_rss(sample_info(), sample_items()));
  const pugi::xml_node item = doc.child("rss").child("channel").child("item").next_sibling("item");
  ASSERT_TRUE(item);
  EXPECT_STREQ(item.child_value("pubDate"), "Tue, 28 Jan 2020 16:00:00 +0000");
  EXPECT_FALSE(item.child("dc:creator"));
}

TEST(RenderRss, ControlCharactersNeverReachOutput) {
  const std::string xml = render_rss(sample_info(), sample_items());
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\x0B'), std::string::npos);
  EXPECT_EQ(xml.find("&#1;"), std::string::npos);
  EXPECT_EQ(xml.find("&#11;"), std::string::npos);
  const auto doc = parse_xml(xml);
  const pugi::xml_node item = doc.child("rss").child("channel").child("item").next_sibling("item");
  EXPECT_STREQ(item.child_value("title"), "Bellintitle");
}

TEST(RenderRss, LongTextIsCutToThreeHundredCharacters) {
  FeedItem item = test::published_item();
  item.article.text.clear();
  for (int i = 0; i < 400; ++i) item.article.text += "字";
  const auto doc = parse_xml(render_rss(sample_info(), {item}));
  std::string expected;
  for (int i = 0; i < 300; ++i) expected += "字";
  expected += "…";
  EXPECT_EQ(std::string(doc.child("rss").child("channel").child("item").child_value("description")),
            expected);
}

TEST(RenderRss, IntervalSpellings) {
  FeedInfo info = sample_info();
  info.interval = std::chrono::seconds(90);  // rounds up to whole minutes
  auto doc = parse_xml(render_rss(info, {}));
  EXPECT_STREQ(doc.child("rss").child("channel").child_value("ttl"), "2");
  info.interval = std::chrono::hours(2);
  doc = parse_xml(render_rss(info, {}));
  EXPECT_STREQ(doc.child("rss").child("channel").child_value("ttl"), "120");
  EXPECT_STREQ(doc.child("rss").child("channel").child_value("sy:updatePeriod"), "daily");
  EXPECT_STREQ(doc.child("rss").child("channel").child_value("sy:updateFrequency"), "12");
  info.interval = std::chrono::milliseconds(0);
  doc = parse_xml(render_rss(info, {}));
  EXPECT_STREQ(doc.child("rss").child("channel").child_value("ttl"), "1");
}

}  // namespace
}  // namespace fg::render
