#include <gtest/gtest.h>

#include "core/text.hpp"
#include "extract/article_parts.hpp"

namespace fg::extract::detail {
namespace {

// Parses `html` as the children of a container and trims its tail.
struct Trimmed {
  std::string text;
  std::vector<std::string> captured;
};

Trimmed trim(const std::string& html) {
  parse::Document doc = parse::Document::parse("");
  parse::Node* box = doc.parse_fragment(html);
  Trimmed out;
  out.captured = trim_trailing_boilerplate(*box);
  out.text = collapse_whitespace(box->text_content());
  return out;
}

TEST(TrimTrailingBoilerplate, BylinesComeBackInPageOrder) {
  const Trimmed t = trim("<p>正文一段。</p><p>编辑:甲</p><p>责任编辑:乙</p>");
  EXPECT_EQ(t.text, "正文一段。");
  const std::vector<std::string> expected = {"编辑:甲", "责任编辑:乙"};
  EXPECT_EQ(t.captured, expected);
}

TEST(TrimTrailingBoilerplate, RelatedReportsTableAfterTheBylinesIsCut) {
  const Trimmed t = trim(
      "<p>正文一段。</p><p>来源：新闻晨报</p><p>编辑：山石</p>"
      "<table><tr><td><b>相关报道：</b></td></tr>"
      "<tr><td>·<a href=\"/1.html\">日本无性婚姻调查</a></td></tr></table>"
      "<p>搜捕商机 更多</p>");
  EXPECT_EQ(t.text, "正文一段。");
  const std::vector<std::string> expected = {"来源：新闻晨报", "编辑：山石"};
  EXPECT_EQ(t.captured, expected);
}

TEST(TrimTrailingBoilerplate, LongParagraphStartingWithMarkerIsBody) {
  const std::string last =
      "相关新闻显示，今年以来全市新增就业岗位持续增加，城镇登记失业率保持在较低水平，"
      "重点群体就业总体稳定，各项稳就业政策效果逐步显现。";
  const Trimmed t = trim("<p>第一段。</p><p>" + last + "</p>");
  EXPECT_EQ(t.text, "第一段。" + last);
}

TEST(TrimTrailingBoilerplate, TailInsideNestedWrapper) {
  const Trimmed t = trim(
      "<div class='wrap'><p>正文第一段。</p><p>正文第二段。</p>"
      "<p>来源：浙江日报</p><div>【延伸阅读】<a href='/x'>另一篇</a></div></div>");
  EXPECT_EQ(t.text, "正文第一段。正文第二段。");
  const std::vector<std::string> expected = {"来源：浙江日报"};
  EXPECT_EQ(t.captured, expected);
}

TEST(TrimTrailingBoilerplate, MarkerBeforeAnyBodyTextIsNotACut) {
  const Trimmed t = trim("<p>相关阅读</p><p>这是正文。</p>");
  EXPECT_EQ(t.text, "相关阅读这是正文。");
}

TEST(TrimTrailingBoilerplate, ShortBodyEndingIsKept) {
  const Trimmed t = trim("<p>第一段。</p><p>（完）</p>");
  EXPECT_EQ(t.text, "第一段。（完）");
  EXPECT_TRUE(t.captured.empty());
}

TEST(BestScoringBlock, ParagraphTextBeatsLinkLists) {
  parse::Document doc = parse::Document::parse(
      "<body><div class='list'><p><a href='/1'>很长很长的链接标题一号很长很长的链接标题</a></p>"
      "<p><a href='/2'>很长很长的链接标题二号很长很长的链接标题</a></p></div>"
      "<div class='photo'><p>正文段落，说明了事情经过。</p><p>第二段。</p></div></body>");
  parse::Node* best = best_scoring_block(*doc.body());
  ASSERT_NE(best, nullptr);
  EXPECT_EQ(best->attr("class"), "photo");  // "photo" is not the "hot" hint
}

TEST(BestScoringBlock, NegativeHintLosesToNeutralBlock) {
  parse::Document doc = parse::Document::parse(
      "<body><div class='hot-news'><p>热门新闻文字比较长一些一些一些一些</p></div>"
      "<div class='c'><p>正文文字稍短一点的段落</p></div></body>");
  parse::Node* best = best_scoring_block(*doc.body());
  ASSERT_NE(best, nullptr);
  EXPECT_EQ(best->attr("class"), "c");
}

TEST(LinesAfter, BlocksBreakLinesAndStopNodeEnds) {
  parse::Document doc = parse::Document::parse(
      "<body><h1>标题</h1><div><span>2020-01-29</span> <span>来源：新华网</span></div>"
      "<p>第二行<br>第三行</p><div id='stop'>正文</div><p>之后</p></body>");
  parse::Node* h1 = doc.body()->element_children()[0];
  parse::Node* stop = doc.body()->element_children()[3];
  const std::vector<std::string> expected = {"2020-01-29 来源：新华网", "第二行", "第三行"};
  EXPECT_EQ(lines_after(*h1, stop, 600), expected);
  EXPECT_EQ(lines_after(*h1, nullptr, 5).size(), 1u);  // the budget ends after the first line
}

}  // namespace
}  // namespace fg::extract::detail
