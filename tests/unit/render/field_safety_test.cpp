// Every field a reader may render as HTML stays inert when an article's text, title or byline
// holds markup as text (the page said "&lt;img src=x onerror=alert(1)&gt;"): parsed as HTML by
// the project's HTML5 parser, such a field builds no element, and it still shows the text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "parse/dom.hpp"
#include "render/render.hpp"
#include "sample_feed.hpp"

namespace fg::render {
namespace {

// Markup a hostile page can carry as text; each one is live HTML if a field passes it on as is.
const std::vector<std::string> kVectors = {
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "</title><svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<!--><iframe src=javascript:alert(1)>",
    "<?x><body onload=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "]]><img src=x onerror=alert(1)>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "<IMG SRC=x OnError=alert(1)>",
};

// The elements the HTML5 parser builds from `html` read as a fragment.
int element_count(const std::string& html) {
  parse::Document doc;
  parse::Node* fragment = doc.parse_fragment(html);
  int count = 0;
  parse::walk(*fragment, [&](parse::Node& n) {
    if (n.is_element()) ++count;
    return true;
  });
  return count;
}

// What a reader shows for `html`: its text.
std::string shown_text(const std::string& html) {
  parse::Document doc;
  return doc.parse_fragment(html)->text_content();
}

FeedItem hostile_item(const std::string& vector) {
  FeedItem item = test::published_item();
  Article& a = item.article;
  a.title = "标题 " + vector;
  a.author = "作者 " + vector;
  a.source = "来源 " + vector;
  a.editor = "编辑 " + vector;
  a.site_name = "网站 " + vector;
  a.text = "正文 " + vector;
  a.content_html.clear();  // JSON Feed then carries content_text
  return item;
}

pugi::xml_document parse_xml(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  return doc;
}

// Fields that carry text escaped as HTML show exactly the article's text.
TEST(FieldSafety, RssDescriptionIsTextEscapedAsHtml) {
  for (const std::string& v : kVectors) {
    const auto doc = parse_xml(render_rss(test::sample_info(), {hostile_item(v)}));
    const std::string description =
        doc.child("rss").child("channel").child("item").child_value("description");
    EXPECT_EQ(element_count(description), 0) << description;
    EXPECT_EQ(shown_text(description), "正文 " + v);
  }
}

TEST(FieldSafety, AtomSummaryIsHtmlTypedEscapedText) {
  for (const std::string& v : kVectors) {
    const auto doc = parse_xml(render_atom(test::sample_info(), {hostile_item(v)}));
    const pugi::xml_node summary = doc.child("feed").child("entry").child("summary");
    EXPECT_STREQ(summary.attribute("type").value(), "html");
    EXPECT_EQ(element_count(summary.child_value()), 0) << summary.child_value();
    EXPECT_EQ(shown_text(summary.child_value()), "正文 " + v);
  }
}

// Plain-text fields build no element even in a reader that splices them into HTML unescaped.
TEST(FieldSafety, RssPlainTextFieldsAreInert) {
  for (const std::string& v : kVectors) {
    const auto doc = parse_xml(render_rss(test::sample_info(), {hostile_item(v)}));
    const pugi::xml_node item = doc.child("rss").child("channel").child("item");
    for (const char* field : {"title", "dc:creator"}) {
      EXPECT_EQ(element_count(item.child_value(field)), 0) << field << ": " << v;
    }
  }
}

TEST(FieldSafety, AtomPlainTextFieldsAreInert) {
  for (const std::string& v : kVectors) {
    const auto doc = parse_xml(render_atom(test::sample_info(), {hostile_item(v)}));
    const pugi::xml_node feed = doc.child("feed");
    const pugi::xml_node entry = feed.child("entry");
    EXPECT_EQ(element_count(entry.child_value("title")), 0) << v;
    EXPECT_EQ(element_count(entry.child("author").child_value("name")), 0) << v;
    EXPECT_EQ(element_count(feed.child("author").child_value("name")), 0) << v;  // site name
  }
}

TEST(FieldSafety, JsonPlainTextFieldsAreInert) {
  for (const std::string& v : kVectors) {
    const auto j = nlohmann::json::parse(render_json_feed(test::sample_info(), {hostile_item(v)}));
    const auto& item = j["items"][0];
    for (const std::string field : {"title", "summary", "content_text"}) {
      EXPECT_EQ(element_count(item[field].get<std::string>()), 0) << field << ": " << v;
    }
    EXPECT_EQ(element_count(item["authors"][0]["name"].get<std::string>()), 0) << v;
    EXPECT_EQ(element_count(item["_feedgate"]["source"].get<std::string>()), 0) << v;
    EXPECT_EQ(element_count(item["_feedgate"]["editor"].get<std::string>()), 0) << v;
    EXPECT_EQ(element_count(j["authors"][0]["name"].get<std::string>()), 0) << v;
  }
}

// Inert text changes only a "<" that would open markup, into U+FF1C; the rest reads as written.
TEST(FieldSafety, InertTextKeepsOrdinaryLessThan) {
  FeedItem item = test::published_item();
  item.article.title = "1 < 2 && 3 > 2, <b>粗</b>, <新闻>";
  const auto j = nlohmann::json::parse(render_json_feed(test::sample_info(), {item}));
  EXPECT_EQ(j["items"][0]["title"],
            "1 < 2 && 3 > 2, \xEF\xBC\x9C"
            "b>粗\xEF\xBC\x9C/b>, <新闻>");
}

// The channel's own description is a description like any other: text escaped as HTML.
TEST(FieldSafety, ChannelDescriptionIsTextEscapedAsHtml) {
  FeedInfo info = test::sample_info();
  info.description = "<img src=x onerror=alert(1)>";
  const auto doc = parse_xml(render_rss(info, {}));
  const std::string description = doc.child("rss").child("channel").child_value("description");
  EXPECT_EQ(element_count(description), 0);
  EXPECT_EQ(shown_text(description), info.description);
}

}  // namespace
}  // namespace fg::render
