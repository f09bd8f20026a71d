// limit_nesting: what counts as nesting and what is dropped.

#include "parse/nesting_guard.hpp"

#include <gtest/gtest.h>

namespace fg::parse {
namespace {

std::string limited(std::string_view html, std::size_t depth) {
  std::string storage;
  return std::string(limit_nesting(html, depth, storage));
}

TEST(NestingGuard, ShallowInputIsReturnedUnchanged) {
  std::string storage;
  const std::string_view html = "<div><p>a</p></div>";
  EXPECT_EQ(limit_nesting(html, 4, storage).data(), html.data());
}

TEST(NestingGuard, DropsStartTagsBeyondTheLimit) {
  EXPECT_EQ(limited("<div><div class=x><div>t</div></div></div>", 2),
            "<div><div class=x>t</div></div></div>");
}

TEST(NestingGuard, ClosedSiblingsDoNotAccumulate) {
  EXPECT_EQ(limited("<div>a</div><div>b</div><div>c</div>", 1),
            "<div>a</div><div>b</div><div>c</div>");
}

TEST(NestingGuard, VoidAndNeverNestedTagsDoNotCount) {
  EXPECT_EQ(limited("<div><br><img src=a><p>1<p>2<option>3</div>", 1),
            "<div><br><img src=a><p>1<p>2<option>3</div>");
}

TEST(NestingGuard, SelfClosingSyntaxOpensElementsOutsideSvg) {
  EXPECT_EQ(limited("<div/><div/><div/>x", 2), "<div/><div/>x");
  EXPECT_EQ(limited("<svg><g/><g/><g/></svg>", 2), "<svg><g/><g/><g/></svg>");
}

TEST(NestingGuard, ListItemsEndThePreviousItemOfTheirList) {
  EXPECT_EQ(limited("<ul><li>a<li>b<li>c</ul>", 2), "<ul><li>a<li>b<li>c</ul>");
  EXPECT_EQ(limited("<ul><li><ul><li>x", 3), "<ul><li><ul>x");
}

TEST(NestingGuard, UnclosedElementsInTableCellsDoNotAccumulate) {
  const std::string html =
      "<table><tr><td><div>a</td><td><font>b<td><div>c</tr><tr><td><div>d</table>";
  EXPECT_EQ(limited(html, 4), html);
}

TEST(NestingGuard, NewLinkEndsAnOpenLink) {
  EXPECT_EQ(limited("<a href=1>x<a href=2>y<a href=3>z", 1), "<a href=1>x<a href=2>y<a href=3>z");
}

TEST(NestingGuard, StrayEndTagsDoNotLowerTheDepth) {
  EXPECT_EQ(limited("<span></b><span></i><span>x", 2), "<span></b><span></i>x");
}

TEST(NestingGuard, EndTagClosesInnerUnclosedElements) {
  // </div> pops the unclosed <span>, so the second <div> fits again.
  EXPECT_EQ(limited("<div><span></div><div>x", 2), "<div><span></div><div>x");
}

TEST(NestingGuard, CommentsScriptsAndQuotedAttributesAreSkipped) {
  EXPECT_EQ(limited("<div><!-- <div><div> --><script>'<div><div>'</script>"
                    "<a title='>'><b>x",
                    2),
            "<div><!-- <div><div> --><script>'<div><div>'</script><a title='>'>x");
}

}  // namespace
}  // namespace fg::parse
