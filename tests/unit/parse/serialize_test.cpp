// inner_html / outer_html, and deep nesting that must not exhaust the stack.

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

#include "parse/dom.hpp"
#include "parse/nesting_guard.hpp"

namespace fg::parse {
namespace {

std::string round_trip(std::string_view body) {
  Document doc = Document::parse(body);
  return inner_html(*doc.body());
}

TEST(Serialize, VoidElementsHaveNoEndTag) {
  EXPECT_EQ(round_trip("<p>a<br>b<img src=x.jpg></p><hr/><input type=text>"),
            "<p>a<br>b<img src=\"x.jpg\"></p><hr><input type=\"text\">");
}

TEST(Serialize, TextIsEscaped) {
  EXPECT_EQ(round_trip("<p>a &lt; b &amp;&amp; c &gt; d</p>"),
            "<p>a &lt; b &amp;&amp; c &gt; d</p>");
  EXPECT_EQ(round_trip("<p>x&nbsp;y \"q\" 'a'</p>"), "<p>x&nbsp;y \"q\" 'a'</p>");
}

TEST(Serialize, AttributeValuesEscapeAmpersandAndQuote) {
  EXPECT_EQ(round_trip(R"(<a title='say "hi" & <bye>' href="?a=1&amp;b=2">x</a>)"),
            "<a title=\"say &quot;hi&quot; &amp; <bye>\" href=\"?a=1&amp;b=2\">x</a>");
}

TEST(Serialize, ScriptAndStyleAreRawText) {
  Document doc = Document::parse(
      "<head><style>a > b { x: '&amp;' }</style></head>"
      "<body><script>if (a < b && c > d) {}</script></body>");
  EXPECT_EQ(inner_html(*doc.head()), "<style>a > b { x: '&amp;' }</style>");
  EXPECT_EQ(inner_html(*doc.body()), "<script>if (a < b && c > d) {}</script>");
}

TEST(Serialize, CommentsAndCjkSurvive) {
  EXPECT_EQ(round_trip("<div><!-- 注释 -->中文<span>文字</span></div>"),
            "<div><!-- 注释 -->中文<span>文字</span></div>");
}

TEST(Serialize, OuterHtmlIncludesTheNode) {
  Document doc = Document::parse("<div class=a><p>x</p></div>");
  const Node* div = doc.body()->children.at(0);
  EXPECT_EQ(outer_html(*div), "<div class=\"a\"><p>x</p></div>");
  EXPECT_EQ(inner_html(*div), "<p>x</p>");
  EXPECT_EQ(outer_html(*div->children[0]->children[0]), "x");
}

TEST(Serialize, WholeDocumentSerializesWithoutDoctype) {
  Document doc = Document::parse("<!DOCTYPE html><title>t</title><p>x");
  EXPECT_EQ(outer_html(*doc.root()),
            "<html><head><title>t</title></head><body><p>x</p></body></html>");
}

TEST(Serialize, ReparsingSerializedOutputIsStable) {
  const std::string first =
      round_trip("<table><tr><td>1<td>2</table><ul><li>a &amp; b<li><a href='/x?y=1&z'>q</a></ul>");
  EXPECT_EQ(round_trip(first), first);
}

std::string nested_divs(std::size_t depth) {
  std::string html;
  html.reserve(depth * 11 + 8);
  for (std::size_t i = 0; i < depth; ++i) html += "<div>";
  html += "deep";
  for (std::size_t i = 0; i < depth; ++i) html += "</div>";
  return html;
}

TEST(Serialize, FiftyThousandNestedDivsParseAndSerialize) {
  Document doc = Document::parse(nested_divs(50000));
  const std::string out = inner_html(*doc.body());
  EXPECT_EQ(doc.body()->text_content(), "deep");
  // Nesting beyond kMaxNestingDepth is flattened: exactly that many divs remain open.
  std::size_t divs = 0;
  for (std::size_t at = out.find("<div>"); at != std::string::npos;
       at = out.find("<div>", at + 1)) {
    ++divs;
  }
  EXPECT_EQ(divs, kMaxNestingDepth);
  EXPECT_EQ(out.size(), kMaxNestingDepth * 11 + 4);
}

TEST(Serialize, UnclosedNestingOfManyTagKindsIsFlattened) {
  std::string html;
  for (int i = 0; i < 30000; ++i) html += i % 2 ? "<span>" : "<b>";
  html += "end";
  Document doc = Document::parse(html);
  EXPECT_EQ(doc.body()->text_content(), "end");
}

// Runs parse + serialize + text_content on a thread with a 256 KiB stack: any recursion per
// nesting level (ours or gumbo's destroy) would overflow it.
void* parse_on_small_stack(void* arg) {
  auto* ok = static_cast<bool*>(arg);
  Document doc = Document::parse(nested_divs(kMaxNestingDepth));
  Node* frag = doc.parse_fragment(nested_divs(kMaxNestingDepth));
  *ok = doc.body()->text_content() == "deep" && inner_html(*frag).size() > kMaxNestingDepth * 11 &&
        frag->text_content() == "deep";
  return nullptr;
}

TEST(Serialize, DeepTreesNeedNoDeepStack) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  bool ok = false;
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, &parse_on_small_stack, &ok), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(ok);
}

TEST(Serialize, DeepTreeBuiltByHandSerializesIteratively) {
  Document doc;
  Node* top = doc.create_element("div");
  Node* cur = top;
  for (int i = 0; i < 200000; ++i) {
    Node* child = doc.create_element("i");
    Document::append_child(cur, child);
    cur = child;
  }
  Document::append_child(cur, doc.create_text("z"));
  const std::string out = outer_html(*top);
  EXPECT_EQ(out.size(), 5 + 200000 * 7 + 1 + 6);
  EXPECT_EQ(top->text_content(), "z");
}

}  // namespace
}  // namespace fg::parse
