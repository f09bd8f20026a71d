// Selector matching on a small portal-like article page and on inline snippets.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "parse/selector.hpp"
#include "support/source_paths.hpp"

namespace fg::parse {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(FG_FIXTURES) + "/parse/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Text of each match, joined by "|".
std::string texts(Node& scope, std::string_view selector) {
  auto s = Selector::compile(selector);
  if (!s.ok()) return "<error: " + s.error().message + ">";
  std::string out;
  for (Node* n : s->select_all(scope)) {
    if (!out.empty()) out += '|';
    out += n->text_content();
  }
  return out;
}

std::size_t count(Node& scope, std::string_view selector) {
  auto s = Selector::compile(selector);
  return s.ok() ? s->select_all(scope).size() : 9999;
}

class PortalPage : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = Document::parse(read_fixture("portal_article_page.html"));
    ASSERT_NE(doc_.body(), nullptr);
  }
  Node& root() { return *doc_.root(); }
  Document doc_;
};

TEST_F(PortalPage, DescendantChains) {
  EXPECT_EQ(texts(root(), "nav ul li a"), "新闻首页|国内|国际|经济|社会");
  EXPECT_EQ(count(root(), "div#zoom p"), 4u);
  EXPECT_EQ(texts(root(), "li.current a"), "国内");
  EXPECT_EQ(texts(root(), "div.list.related h2"), "相关新闻");
}

TEST_F(PortalPage, ChildAndSiblingCombinators) {
  EXPECT_EQ(texts(root(), ".list li > a"), "第一条|第二条|第三条|第四条");
  EXPECT_EQ(texts(root(), "h1 + .time"), "2020-01-29 01:17:24\u00a0杭州网");
  EXPECT_EQ(texts(root(), "h1 ~ a"), "更多|分享");
  EXPECT_EQ(texts(root(), "h1 + a"), "");
  EXPECT_EQ(texts(root(), ".more + a"), "分享");
  EXPECT_EQ(texts(root(), "#zoom > p > img"), "");
  EXPECT_EQ(count(root(), "#zoom > p > img"), 1u);
  EXPECT_EQ(count(root(), "body > p"), 0u);
}

TEST_F(PortalPage, NthChildVariants) {
  EXPECT_EQ(texts(root(), "ul li:nth-child(2n+1)"), "新闻首页|国际|社会|第一条01-28|专题 第三条");
  EXPECT_EQ(texts(root(), "nav li:nth-child(odd)"), "新闻首页|国际|社会");
  EXPECT_EQ(texts(root(), "nav li:nth-child(even)"), "国内|经济");
  EXPECT_EQ(texts(root(), "nav li:nth-child(3)"), "国际");
  EXPECT_EQ(texts(root(), "nav li:nth-child(-n+2)"), "新闻首页|国内");
  EXPECT_EQ(texts(root(), "nav li:nth-last-child(2)"), "经济");
  EXPECT_EQ(texts(root(), "nav li:first-child"), "新闻首页");
  EXPECT_EQ(texts(root(), "ul li:last-child"), "社会|第四条");
  EXPECT_EQ(texts(root(), "#zoom > p:first-child"),
            "新华社北京1月28日电 近日,中共中央印发了通知。");
  EXPECT_EQ(texts(root(), "#zoom > p:last-child"), "责任编辑:王莉");
}

TEST_F(PortalPage, OfTypeAndOnlyChild) {
  EXPECT_EQ(count(root(), "#zoom img:only-child"), 1u);
  EXPECT_EQ(count(root(), "#zoom p:only-child"), 0u);
  EXPECT_EQ(texts(root(), ".article > a:first-of-type"), "更多");
  EXPECT_EQ(texts(root(), ".article > a:last-of-type"), "分享");
  EXPECT_EQ(texts(root(), ".article > div:nth-of-type(2)"), texts(root(), "#zoom"));
  EXPECT_EQ(texts(root(), "li > span:only-of-type"), "01-28|01-27|专题");
  EXPECT_EQ(texts(root(), "#footer *"), "Copyright © 杭州网");
}

TEST_F(PortalPage, NegationExcludesMatches) {
  EXPECT_EQ(count(root(), "a"), 14u);
  EXPECT_EQ(count(root(), "a:not(.more)"), 13u);
  EXPECT_EQ(texts(root(), ".article > a:not(.more)"), "分享");
  EXPECT_EQ(texts(root(), ".article > a:not(.more, .share)"), "");
  EXPECT_EQ(texts(root(), "#zoom p:not([class])"),
            "新华社北京1月28日电 近日,中共中央印发了通知。|疫情就是命令,防控就是责任。|");
}

TEST_F(PortalPage, AttributeOperators) {
  EXPECT_EQ(count(root(), "[href^='/gn/']"), 7u);
  EXPECT_EQ(texts(root(), "a[href$=\".htm\"]"), "更多|第一条|第二条|第三条|第四条");
  EXPECT_EQ(texts(root(), "a[href*=share]"), "分享");
  EXPECT_EQ(texts(root(), "a[target=_blank]"), "社会");
  EXPECT_EQ(texts(root(), "a[target]"), "社会");
  EXPECT_EQ(count(root(), "[class~=source]"), 1u);
  EXPECT_EQ(count(root(), "[class~=time]"), 1u);
  EXPECT_EQ(count(root(), "[class~='time source']"), 0u);
  EXPECT_EQ(count(root(), "[class='time']"), 0u);
  EXPECT_EQ(count(root(), "[class='time source']"), 1u);
  EXPECT_EQ(texts(root(), "[lang|=zh]"), "第四条");
  EXPECT_EQ(texts(root(), "[lang|=zh-CN]"), "第四条");
  EXPECT_EQ(count(root(), "[lang|=CN]"), 0u);
  EXPECT_EQ(count(root(), "[data-id='202001291117'] h1"), 1u);
}

TEST_F(PortalPage, NamesAreCaseInsensitiveValuesAreNot) {
  EXPECT_EQ(count(root(), "DIV#zoom P"), 4u);
  EXPECT_EQ(count(root(), "A[HREF$='.htm']"), 5u);
  EXPECT_EQ(count(root(), "a[href$='.HTM']"), 0u);
  EXPECT_EQ(count(root(), "a[href$='.HTM' i]"), 5u);
  EXPECT_EQ(count(root(), "#ZOOM"), 0u);
  EXPECT_EQ(count(root(), ".MORE"), 0u);
  EXPECT_EQ(count(root(), "#\\7a oom p"), 4u);  // CSS hex escape for "z"
}

TEST_F(PortalPage, ListsAreInDocumentOrderWithoutDuplicates) {
  EXPECT_EQ(texts(root(), "h2, h1"), "中共中央印发《关于加强党的领导的通知》|相关新闻");
  EXPECT_EQ(count(root(), "div p, #zoom p, p"), 5u);
}

TEST_F(PortalPage, SelectFirstAndMatches) {
  auto s = Selector::compile("ul li a");
  ASSERT_TRUE(s.ok());
  Node* first = s->select_first(root());
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->text_content(), "新闻首页");
  auto more = Selector::compile("a.more");
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(more->matches(*first));
  Node* m = more->select_first(root());
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(more->matches(*m));
  EXPECT_EQ(Selector::compile("video")->select_first(root()), nullptr);
}

TEST_F(PortalPage, ScopeExcludesItselfButAncestorsCount) {
  auto ul = Selector::compile(".list ul");
  ASSERT_TRUE(ul.ok());
  Node* list = ul->select_first(root());
  ASSERT_NE(list, nullptr);
  // Like querySelectorAll: combinators may reach outside the scope...
  EXPECT_EQ(count(*list, "div.list a"), 4u);
  // ...but the scope itself is never a match.
  EXPECT_EQ(count(*list, "ul"), 0u);
  EXPECT_EQ(count(*list, "li"), 4u);
}

TEST(SelectorMatch, EmptyAndRoot) {
  Document doc = Document::parse("<p></p><p><!--c--></p><p> </p><p><b></b></p>");
  EXPECT_EQ(count(*doc.root(), "p:empty"), 2u);
  EXPECT_EQ(count(*doc.root(), ":root"), 1u);
  EXPECT_TRUE(Selector::compile(":root")->matches(*doc.html()));
}

TEST(SelectorMatch, NonElementsNeverMatch) {
  Document doc = Document::parse("<p>x</p>");
  auto any = Selector::compile("*");
  ASSERT_TRUE(any.ok());
  EXPECT_FALSE(any->matches(*doc.root()));
  EXPECT_FALSE(any->matches(*doc.body()->children[0]->children[0]));
}

TEST(SelectorMatch, LaterSiblingSkipsNonMatchingSiblings) {
  Document doc = Document::parse("<h1>t</h1><p>1</p><div>2</div><p>3</p><h2>u</h2><p>4</p>");
  EXPECT_EQ(texts(*doc.root(), "h1 ~ p"), "1|3|4");
  EXPECT_EQ(texts(*doc.root(), "h2 ~ p"), "4");
  EXPECT_EQ(texts(*doc.root(), "h1 + p + div ~ p"), "3|4");
  EXPECT_EQ(texts(*doc.root(), "div + p"), "3");
}

TEST(SelectorMatch, BacktrackingAcrossAncestors) {
  // "div > p a": the p must be a child of some div, with the a anywhere below that p.
  Document doc = Document::parse(
      "<div><section><p><span><a>no</a></span></p></section></div>"
      "<section><div><p><i><a>yes</a></i></p></div></section>");
  EXPECT_EQ(texts(*doc.root(), "div > p a"), "yes");
  EXPECT_EQ(texts(*doc.root(), "div p a"), "no|yes");
  EXPECT_EQ(texts(*doc.root(), "section > div > p > i > a"), "yes");
}

TEST(SelectorMatch, DeepTreeWithLongDescendantChainTerminates) {
  std::string html;
  for (int i = 0; i < 400; ++i) html += "<div>";
  html += "<p>x</p>";
  Document doc = Document::parse(html);
  EXPECT_EQ(count(*doc.root(), "div div div div div div div div div div div div p"), 1u);
  EXPECT_EQ(count(*doc.root(), "div div div div div div div div div div div span p"), 0u);
  EXPECT_EQ(count(*doc.root(), "div > div > div > div > div > div > div > div > p"), 1u);
}

TEST(SelectorMatch, DefaultSelectorMatchesNothing) {
  Selector s;
  Document doc = Document::parse("<p>x</p>");
  EXPECT_TRUE(s.select_all(*doc.root()).empty());
  EXPECT_EQ(s.select_first(*doc.root()), nullptr);
  EXPECT_FALSE(s.matches(*doc.body()));
}

}  // namespace
}  // namespace fg::parse
