// Selector::compile: what is accepted, and error messages that say what and where.

#include <gtest/gtest.h>

#include "parse/selector.hpp"

namespace fg::parse {
namespace {

std::string error_of(std::string_view text) {
  auto s = Selector::compile(text);
  if (s.ok()) return "<compiled>";
  EXPECT_EQ(s.error().code, Errc::parse);
  return s.error().message;
}

TEST(SelectorCompile, AcceptsTheSupportedGrammar) {
  for (const char* text : {"a",
                           "*",
                           "#zoom",
                           ".list",
                           "div.list.related",
                           "a[href]",
                           "a[href='x']",
                           "a[href=\"x\"]",
                           "a[href=x]",
                           "[href^='/gn/']",
                           "[href$='.htm']",
                           "[href*=a]",
                           "[class~=a]",
                           "[lang|=zh]",
                           "[lang=ZH i]",
                           "nav ul li a",
                           "ul > li",
                           "h1 + div",
                           "h1 ~ a",
                           "h1,h2 , h3",
                           "li:first-child",
                           "li:last-child",
                           "li:only-child",
                           "li:nth-child(2n+1)",
                           "li:nth-child( odd )",
                           "li:nth-child(even)",
                           "li:nth-child(3)",
                           "li:nth-child(-n+3)",
                           "li:nth-child(2n - 1)",
                           "li:nth-last-child(1)",
                           "p:first-of-type",
                           "p:last-of-type",
                           "p:only-of-type",
                           "p:nth-of-type(2)",
                           "a:not(.more)",
                           "a:not(.a, [href])",
                           ":root",
                           "p:empty",
                           "  ul  >  li  ",
                           "#\\7a oom",
                           "div>p+p~p",
                           "中文.标签"}) {
    auto s = Selector::compile(text);
    EXPECT_TRUE(s.ok()) << text << ": " << (s.ok() ? "" : s.error().message);
    if (s.ok()) {
      EXPECT_EQ(s->text(), text);
    }
  }
}

TEST(SelectorCompile, DoubledCombinatorNamesTheColumn) {
  EXPECT_EQ(error_of("ul > > a"), "bad selector \"ul > > a\": unexpected \">\" at column 6");
}

TEST(SelectorCompile, EmptyAndDanglingParts) {
  EXPECT_EQ(error_of(""), "bad selector \"\": empty selector at column 1");
  EXPECT_EQ(error_of("   "), "bad selector \"   \": empty selector at column 4");
  EXPECT_EQ(error_of("a,"), "bad selector \"a,\": unexpected end of selector at column 3");
  EXPECT_EQ(error_of(",a"), "bad selector \",a\": unexpected \",\" at column 1");
  EXPECT_EQ(error_of("ul >"), "bad selector \"ul >\": unexpected end of selector at column 5");
  EXPECT_EQ(error_of("."), "bad selector \".\": unexpected end of selector at column 2");
  EXPECT_EQ(error_of("a!"), "bad selector \"a!\": unexpected \"!\" at column 2");
}

TEST(SelectorCompile, AttributeErrors) {
  EXPECT_EQ(error_of("div[href"), "bad selector \"div[href\": unclosed \"[\" at column 4");
  EXPECT_EQ(error_of("a[=x]"), "bad selector \"a[=x]\": unexpected \"=\" at column 3");
  EXPECT_EQ(error_of("a[title=\"x]"), "bad selector \"a[title=\"x]\": unclosed string at column 9");
  EXPECT_EQ(error_of("a[href!=x]"), "bad selector \"a[href!=x]\": unexpected \"!\" at column 7");
  EXPECT_EQ(error_of("a[href=/x]"),
            "bad selector \"a[href=/x]\": unquoted attribute value must be an identifier (quote "
            "it); found \"/\" at column 8");
}

TEST(SelectorCompile, PseudoClassErrors) {
  EXPECT_EQ(error_of("a:hover"),
            "bad selector \"a:hover\": unknown pseudo-class \":hover\" (supported: first-child, "
            "last-child, only-child, nth-child(), nth-last-child(), first-of-type, last-of-type, "
            "only-of-type, nth-of-type(), nth-last-of-type(), empty, root, not()) at column 2");
  EXPECT_EQ(error_of("p::before"),
            "bad selector \"p::before\": pseudo-elements such as \"::before\" are not supported "
            "at column 2");
  EXPECT_EQ(error_of("li:nth-child(2x+1)"),
            "bad selector \"li:nth-child(2x+1)\": bad :nth-child() argument \"2x+1\" (expected "
            "an+b, odd or even) at column 14");
  EXPECT_EQ(error_of("li:nth-child("),
            "bad selector \"li:nth-child(\": unclosed \"(\" at column 13");
  EXPECT_EQ(error_of("li:has(a)"),
            "bad selector \"li:has(a)\": unknown pseudo-class \":has()\" at column 3");
  EXPECT_EQ(error_of(":not(a > b)"),
            "bad selector \":not(a > b)\": only compound selectors (no combinators) are "
            "supported inside :not(); found \">\" at column 8");
  EXPECT_EQ(error_of("a:not(:not(b))"),
            "bad selector \"a:not(:not(b))\": nested :not() is not supported at column 7");
}

TEST(SelectorCompile, NthArgumentsOutOfRangeAreRejected) {
  EXPECT_NE(error_of("li:nth-child(99999999999)"), "<compiled>");
  EXPECT_NE(error_of("li:nth-child(n+)"), "<compiled>");
  EXPECT_NE(error_of("li:nth-child()"), "<compiled>");
}

TEST(SelectorCompile, OverlongSelectorIsRejected) {
  std::string text = "a";
  for (int i = 0; i < 100; ++i) text += " a";
  EXPECT_NE(error_of(text).find("more than 64 compound selectors"), std::string::npos);
}

}  // namespace
}  // namespace fg::parse
