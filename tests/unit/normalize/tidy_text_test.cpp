#include <gtest/gtest.h>

#include <string>

#include "normalize/normalize.hpp"

namespace fg::normalize {
namespace {

const std::string kBase = "http://news.example.com/a/b/page.html";

std::string html_of(const std::string& input) {
  return normalize_html(input, kBase).html;
}

TEST(NormalizeTidy, EmptyWrappersDropped) {
  EXPECT_EQ(html_of("<div><p> </p><p>&nbsp;</p><span><strong>  </strong></span><p><em></em></p>"
                    "<p>kept</p><p><img src=\"/a.jpg\"></p><ul><li> </li></ul></div>"),
            "<p>kept</p><p><img src=\"http://news.example.com/a.jpg\"></p>");
}

TEST(NormalizeTidy, ParagraphOfOnlyBreaksIsDropped) {
  EXPECT_EQ(html_of("<p>one</p><p><br></p><p> <br/> <br> </p><p>two</p>"), "<p>one</p><p>two</p>");
}

TEST(NormalizeTidy, IndentationTrimmed) {
  EXPECT_EQ(html_of("<p>\xE3\x80\x80\xE3\x80\x80新华社北京1月28日电</p>"
                    "<p>&nbsp;&nbsp;第二段&nbsp;</p>"
                    "<p>\n  第三段<br>\xE3\x80\x80\xE3\x80\x80第四行 </p>"
                    "<p><strong>\xE3\x80\x80 加粗开头</strong></p>"),
            "<p>新华社北京1月28日电</p><p>第二段</p><p>第三段<br>第四行</p>"
            "<p><strong>加粗开头</strong></p>");
}

TEST(NormalizeTidy, NonBreakingSpaceInsideTextKept) {
  EXPECT_EQ(html_of("<p>a&nbsp;b</p>"), "<p>a&nbsp;b</p>");
}

TEST(NormalizeTidy, BreakRunsCappedAtTwo) {
  EXPECT_EQ(html_of("<p>a<br><br><br><br>b<br>c</p>"), "<p>a<br><br>b<br>c</p>");
}

TEST(NormalizeTidy, WhitespaceCollapsedOutsidePre) {
  EXPECT_EQ(html_of("<p>a \n\t b  <b> c </b>  d</p>\n\n<pre>x  \n  y</pre>\n"),
            "<p>a b <b> c </b> d</p><pre>x  \n  y</pre>");
}

TEST(NormalizeTidy, WhitespaceBetweenBlocksRemoved) {
  EXPECT_EQ(html_of("\n  <p>one</p>\n  <p>two</p>\n"), "<p>one</p><p>two</p>");
}

TEST(NormalizeTidy, CjkTextIntact) {
  const std::string para = "<p>中共中央印发《关于加强党的领导的通知》，全文如下：</p>";
  const NormalizedContent out = normalize_html(para, kBase);
  EXPECT_EQ(out.html, para);
  EXPECT_EQ(out.text, "中共中央印发《关于加强党的领导的通知》，全文如下：");
}

TEST(NormalizeText, ParagraphsSeparatedByBlankLines) {
  const NormalizedContent out = normalize_html(
      "<h2>标题</h2><p>第一段 有 \n 空格</p><div>第二段<br>第二行</div>"
      "<ul><li>一</li><li>二</li></ul><blockquote><p>引用</p></blockquote>",
      kBase);
  EXPECT_EQ(out.text, "标题\n\n第一段 有 空格\n\n第二段\n第二行\n\n一\n\n二\n\n引用");
}

TEST(NormalizeText, TableRowsAreLinesOfCells) {
  const NormalizedContent out = normalize_html(
      "<table><tr><td>名称</td><td>数量</td></tr><tr><td>口罩</td><td>100</td>"
      "</tr></table><p>after</p>",
      kBase);
  EXPECT_EQ(out.text, "名称 数量\n\n口罩 100\n\nafter");
}

TEST(NormalizeText, ToTextSkipsScriptsOnRawMarkup) {
  parse::Document doc;
  parse::Node* frag = doc.parse_fragment(
      "<div>first<script>var x = 1;</script></div><style>p{}</style><p>\xE3\x80\x80second</p>");
  EXPECT_EQ(to_text(*frag), "first\n\nsecond");
}

TEST(NormalizeText, PreKeepsLines) {
  EXPECT_EQ(normalize_html("<pre>line one\nline   two</pre>", kBase).text, "line one\nline two");
}

// Nesting far beyond real pages must neither crash (recursion) nor lose the text.
TEST(NormalizeTidy, DeepNestingKeepsText) {
  std::string html;
  for (int i = 0; i < 3000; ++i) html += (i % 2 == 0) ? "<div>" : "<span>";
  html += "深处";
  const NormalizedContent out = normalize_html(html, "http://news.example.com/");
  EXPECT_EQ(out.text, "深处");
  EXPECT_NE(out.html.find("深处"), std::string::npos);
}

}  // namespace
}  // namespace fg::normalize
