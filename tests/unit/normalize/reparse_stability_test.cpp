// The sanitizer's output reads back, through an HTML5 parser, as the tree that was sanitized:
// serializing the re-parsed fragment gives the same bytes. Each input below unwraps an element
// that kept a parser from closing or splitting what it holds.
#include <gtest/gtest.h>

#include <string>

#include "normalize/normalize.hpp"
#include "parse/dom.hpp"

namespace fg::normalize {
namespace {

const std::string kBase = "http://news.example.com/a/b/page.html";

std::string reparsed(const std::string& html) {
  parse::Document doc;
  return parse::inner_html(*doc.parse_fragment(html));
}

std::string stable_html_of(const std::string& input) {
  const std::string out = normalize_html(input, kBase).html;
  EXPECT_EQ(reparsed(out), out) << "input: " << input;
  return out;
}

// <section> is special: it stops <li> from closing the open <li>; unwrapped, the parser would.
TEST(NormalizeReparse, ListItemNeverDirectlyInsideListItem) {
  EXPECT_EQ(stable_html_of("<ul><li>a<section><li>b</li></section></li></ul>"),
            "<ul><li>a</li><li>b</li></ul>");
  stable_html_of("<ol><li>a<article><li>b<nav><li>c</li></nav></li></article></li></ol>");
  stable_html_of("<dl><dt>a<aside><dd>b</dd></aside></dt></dl>");
}

// <marquee> and <object> are scoping elements: <p> and <a> inside them stay nested.
TEST(NormalizeReparse, ParagraphAndLinkNeverNestedAfterUnwrapping) {
  stable_html_of("<p>a<marquee><p>b</p></marquee></p>");
  stable_html_of("<p>a<marquee><div>b</div></marquee></p>");
  stable_html_of("<a href=\"/1\">a<marquee><a href=\"/2\">b</a></marquee></a>");
}

// A heading directly inside a heading is closed by the parser.
TEST(NormalizeReparse, HeadingNeverDirectlyInsideHeading) {
  stable_html_of("<h1>a<span><h2>b</h2></span></h1>");
  stable_html_of("<h3>a<center><h4>b</h4></center></h3>");
}

// The parser drops the first newline of a <pre>: leading newlines must not shift on re-parse.
TEST(NormalizeReparse, LeadingNewlinesOfPre) {
  stable_html_of("<pre>\n\n\ncode</pre>");
}

TEST(NormalizeReparse, TablesAndOrdinaryMarkupUnchanged) {
  EXPECT_EQ(stable_html_of("<table><tr><td>1</td><td><p>2</p></td></tr></table>"),
            "<table><tbody><tr><td>1</td><td><p>2</p></td></tr></tbody></table>");
  EXPECT_EQ(stable_html_of("<p>a&nbsp;b &amp; &lt;c&gt;</p><ul><li>x</li></ul>"),
            "<p>a&nbsp;b &amp; &lt;c&gt;</p><ul><li>x</li></ul>");
}

// The text follows the markup that is published, not the tree before re-parsing.
TEST(NormalizeReparse, TextOfTheStableMarkup) {
  EXPECT_EQ(normalize_html("<ul><li>a<section><li>b</li></section></li></ul>", kBase).text,
            "a\n\nb");
}

}  // namespace
}  // namespace fg::normalize
