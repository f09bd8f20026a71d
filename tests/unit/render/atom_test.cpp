#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>

#include "render/render.hpp"
#include "sample_feed.hpp"

namespace fg::render {
namespace {

using test::sample_info;
using test::sample_items;

struct AtomDoc {
  pugi::xml_document doc;
  pugi::xml_node feed;
};

void load(AtomDoc& out, const std::string& xml) {
  ASSERT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0), 0u);
  const pugi::xml_parse_result r = out.doc.load_string(xml.c_str());
  ASSERT_TRUE(r) << r.description() << "\n" << xml;
  out.feed = out.doc.child("feed");
  ASSERT_TRUE(out.feed);
}

pugi::xml_node link_with_rel(pugi::xml_node parent, const char* rel) {
  return parent.find_child_by_attribute("link", "rel", rel);
}

TEST(RenderAtom, FeedHead) {
  AtomDoc a;
  load(a, render_atom(sample_info(), sample_items()));
  EXPECT_STREQ(a.feed.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
  EXPECT_STREQ(a.feed.child_value("id"), "http://127.0.0.1:8080/feeds/hz-gnxw.atom");
  EXPECT_STREQ(a.feed.child_value("title"), "杭州网 国内 & <新闻>");
  EXPECT_STREQ(a.feed.child_value("updated"), "2020-01-28T18:00:00Z");
  EXPECT_STREQ(a.feed.child_value("generator"), "feedgate");
  const pugi::xml_node self = link_with_rel(a.feed, "self");
  EXPECT_STREQ(self.attribute("href").value(), "http://127.0.0.1:8080/feeds/hz-gnxw.atom");
  EXPECT_STREQ(self.attribute("type").value(), "application/atom+xml");
  EXPECT_STREQ(link_with_rel(a.feed, "alternate").attribute("href").value(),
               "http://news.hangzhou.com.cn/gnxw/?a=1&b=2");
}

TEST(RenderAtom, XmlLangAndSiteAuthorWhenTheItemsAgree) {
  auto items = sample_items();
  AtomDoc plain;
  load(plain, render_atom(sample_info(), items));
  EXPECT_FALSE(plain.feed.attribute("xml:lang"));
  EXPECT_STREQ(plain.feed.child("author").child_value("name"), "杭州网 国内 & <新闻>");
  for (auto& item : items) {
    item.article.language = "zh-CN";
    item.article.site_name = "杭州网";
  }
  AtomDoc agreed;
  load(agreed, render_atom(sample_info(), items));
  EXPECT_STREQ(agreed.feed.attribute("xml:lang").value(), "zh-CN");
  EXPECT_STREQ(agreed.feed.child("author").child_value("name"), "杭州网");
}

TEST(RenderAtom, EntryWithPublicationTime) {
  AtomDoc a;
  load(a, render_atom(sample_info(), sample_items()));
  const pugi::xml_node e = a.feed.child("entry");
  const char* url = "http://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7668283.htm";
  EXPECT_STREQ(e.child_value("id"), url);
  EXPECT_STREQ(e.child_value("title"), "中共中央印发《通知》 & <全文>");
  EXPECT_STREQ(link_with_rel(e, "alternate").attribute("href").value(), url);
  EXPECT_STREQ(e.child_value("published"), "2020-01-29T01:17:24+08:00");
  EXPECT_STREQ(e.child_value("updated"), "2020-01-29T01:17:24+08:00");
  EXPECT_STREQ(e.child("author").child_value("name"), "张三");
  EXPECT_STREQ(e.child("content").attribute("type").value(), "html");
  EXPECT_STREQ(e.child_value("content"),
               "<p>新华社北京1月28日电 1 &lt; 2 &amp; ]]&gt;</p><p>第二段</p>"
               "<p class=\"feedgate-byline\">来源：新华网\u3000作者：张三\u3000编辑：李四</p>");
  EXPECT_STREQ(e.child("summary").attribute("type").value(), "html");
  EXPECT_STREQ(e.child_value("summary"), "新华社北京1月28日电 1 &lt; 2 &amp; ]]&gt; 第二段");
}

TEST(RenderAtom, UndatedEntryHasFirstSeenAndTheSourceIsNotTheAuthor) {
  AtomDoc a;
  load(a, render_atom(sample_info(), sample_items()));
  const pugi::xml_node e = a.feed.child("entry").next_sibling("entry");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e.child("published"));
  EXPECT_STREQ(e.child_value("updated"), "2020-01-28T16:00:00Z");
  EXPECT_FALSE(e.child("author"));  // 人民网 is the source: dc:source (byline_test.cpp)
  EXPECT_STREQ(e.child_value("title"), "Bellintitle");
}

TEST(RenderAtom, EntryWithoutAuthorOrSourceOmitsAuthor) {
  FeedItem item = test::undated_item();
  item.article.source.clear();
  AtomDoc a;
  load(a, render_atom(sample_info(), {item}));
  EXPECT_FALSE(a.feed.child("entry").child("author"));
  // The feed-level author keeps such entries valid Atom.
  EXPECT_STREQ(a.feed.child("author").child_value("name"), "杭州网 国内 & <新闻>");
}

TEST(RenderAtom, SameInputRendersSameBytes) {
  EXPECT_EQ(render_atom(sample_info(), sample_items()), render_atom(sample_info(), sample_items()));
}

}  // namespace
}  // namespace fg::render
