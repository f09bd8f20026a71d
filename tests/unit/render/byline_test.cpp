// Bylines in every format: 作者 is the author, 来源 the source, 编辑 the editor, none stands in for
// another; the content closes with the byline line unless the feed turns that off.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>

#include "render/render.hpp"
#include "sample_feed.hpp"

namespace fg::render {
namespace {

using nlohmann::json;

constexpr char kFullByline[] = "来源：新华网\u3000作者：张三\u3000编辑：李四";

// The first item: author 张三, source 新华网, editor 李四. The second: only the source 人民网.
std::vector<FeedItem> items() {
  return test::sample_items();
}

pugi::xml_node parsed(pugi::xml_document& doc, const std::string& xml, const char* path) {
  const pugi::xml_parse_result r = doc.load_string(xml.c_str());
  EXPECT_TRUE(r) << r.description();
  return doc.select_node(path).node();
}

std::string ends_with_paragraph(std::string_view text) {
  return std::string(R"(<p class="feedgate-byline">)") + std::string(text) + "</p>";
}

TEST(Bylines, AtomKeepsAuthorSourceAndEditorApart) {
  pugi::xml_document doc;
  const pugi::xml_node feed = parsed(doc, render_atom(test::sample_info(), items()), "/feed");
  const pugi::xml_node first = feed.child("entry");
  EXPECT_STREQ(first.child("author").child_value("name"), "张三");
  EXPECT_STREQ(first.child_value("dc:source"), "新华网");
  EXPECT_STREQ(first.child_value("dc:contributor"), "李四");
  EXPECT_STREQ(feed.attribute("xmlns:dc").value(), "http://purl.org/dc/elements/1.1/");
  // A source is not a writer: no <author> of 人民网 (the feed's author covers the entry).
  const pugi::xml_node second = first.next_sibling("entry");
  EXPECT_FALSE(second.child("author"));
  EXPECT_STREQ(second.child_value("dc:source"), "人民网");
  EXPECT_FALSE(second.child("dc:contributor"));
}

TEST(Bylines, RssKeepsAuthorSourceAndEditorApart) {
  pugi::xml_document doc;
  const pugi::xml_node channel =
      parsed(doc, render_rss(test::sample_info(), items()), "/rss/channel");
  const pugi::xml_node first = channel.child("item");
  EXPECT_STREQ(first.child_value("dc:creator"), "张三");
  EXPECT_STREQ(first.child_value("dc:source"), "新华网");
  EXPECT_STREQ(first.child_value("dc:contributor"), "李四");
  const pugi::xml_node second = first.next_sibling("item");
  EXPECT_FALSE(second.child("dc:creator"));
  EXPECT_STREQ(second.child_value("dc:source"), "人民网");
}

TEST(Bylines, JsonFeedAuthorsAndExtension) {
  const json j = json::parse(render_json_feed(test::sample_info(), items()));
  EXPECT_EQ(j["items"][0]["authors"], json::parse(R"([{"name":"张三"}])"));
  EXPECT_EQ(j["items"][0]["_feedgate"], json::parse(R"({"source":"新华网","editor":"李四"})"));
  EXPECT_FALSE(j["items"][1].contains("authors"));
  EXPECT_EQ(j["items"][1]["_feedgate"], json::parse(R"({"source":"人民网"})"));
}

TEST(Bylines, ContentClosesWithTheBylineInEveryFormat) {
  const std::string html = test::published_item().article.content_html;
  const std::string expected = html + ends_with_paragraph(kFullByline);
  pugi::xml_document atom;
  EXPECT_EQ(
      parsed(atom, render_atom(test::sample_info(), items()), "/feed/entry").child_value("content"),
      expected);
  pugi::xml_document rss;
  EXPECT_EQ(parsed(rss, render_rss(test::sample_info(), items()), "/rss/channel/item")
                .child_value("content:encoded"),
            expected);
  const json j = json::parse(render_json_feed(test::sample_info(), items()));
  EXPECT_EQ(j["items"][0]["content_html"], expected);
  // Only the parts the item has.
  EXPECT_EQ(j["items"][1]["content_html"], "<p>内容</p>" + ends_with_paragraph("来源：人民网"));
}

TEST(Bylines, ContentTextClosesWithTheBylineToo) {
  FeedItem item = test::published_item();
  item.article.content_html.clear();
  const json j = json::parse(render_json_feed(test::sample_info(), {item}));
  const std::string text = j["items"][0]["content_text"];
  EXPECT_EQ(text, item.article.text + "\n\n" + kFullByline);
}

TEST(Bylines, TurnedOffTheContentIsThePagesOwn) {
  FeedInfo info = test::sample_info();
  info.byline_in_content = false;
  const std::string html = test::published_item().article.content_html;
  pugi::xml_document atom;
  EXPECT_EQ(parsed(atom, render_atom(info, items()), "/feed/entry").child_value("content"), html);
  pugi::xml_document rss;
  EXPECT_EQ(
      parsed(rss, render_rss(info, items()), "/rss/channel/item").child_value("content:encoded"),
      html);
  EXPECT_EQ(json::parse(render_json_feed(info, items()))["items"][0]["content_html"], html);
}

TEST(Bylines, BylineIsTextEvenWhenANameLooksLikeMarkup) {
  FeedItem item = test::published_item();
  item.article.author = "<b>张三</b> & co";
  item.article.source.clear();
  item.article.editor.clear();
  const json j = json::parse(render_json_feed(test::sample_info(), {item}));
  EXPECT_EQ(
      j["items"][0]["content_html"],
      item.article.content_html + ends_with_paragraph("作者：&lt;b&gt;张三&lt;/b&gt; &amp; co"));
}

TEST(Bylines, EnglishItemsGetEnglishLabels) {
  FeedItem item = test::published_item();
  item.article.language = "en-US";
  const json j = json::parse(render_json_feed(test::sample_info(), {item}));
  EXPECT_EQ(j["items"][0]["content_html"],
            item.article.content_html +
                ends_with_paragraph("Source: 新华网 \u00B7 By 张三 \u00B7 Editor: 李四"));
}

TEST(Bylines, NoBylineNoParagraph) {
  FeedItem item = test::undated_item();
  item.article.source.clear();
  const json j = json::parse(render_json_feed(test::sample_info(), {item}));
  EXPECT_EQ(j["items"][0]["content_html"], "<p>内容</p>");
}

}  // namespace
}  // namespace fg::render
