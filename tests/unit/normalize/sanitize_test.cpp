#include <gtest/gtest.h>

#include <string>

#include "normalize/normalize.hpp"

namespace fg::normalize {
namespace {

const std::string kBase = "http://news.example.com/a/b/page.html";

std::string html_of(const std::string& input) {
  return normalize_html(input, kBase).html;
}

TEST(NormalizeSanitize, DropsActiveAndEmbeddedContentWithItsText) {
  EXPECT_EQ(html_of("<p>before</p><script>alert(1)</script><style>p{color:red}</style>"
                    "<iframe src=\"http://ads.example.com/\">frame text</iframe>"
                    "<form action=\"/s\"><p>form text</p><select><option>opt</option></select>"
                    "<textarea>ta</textarea><button>Go</button></form>"
                    "<noscript>enable js</noscript><p>after</p>"),
            "<p>before</p><p>after</p>");
}

TEST(NormalizeSanitize, RemovesEventStyleClassIdAndDataAttributes) {
  EXPECT_EQ(html_of("<p onclick=\"evil()\" style=\"color:red\" class=\"c\" id=\"i\" data-x=\"1\">"
                    "hi <a href=\"http://news.example.com/x\" onmouseover=\"e()\" class=\"l\" "
                    "title=\"T\">link</a></p>"),
            "<p>hi <a href=\"http://news.example.com/x\" title=\"T\">link</a></p>");
}

TEST(NormalizeSanitize, ScriptUrlsLoseTheLink) {
  EXPECT_EQ(html_of("<p><a href=\"javascript:alert(1)\">click</a> and "
                    "<a href=\" JaVaScRiPt:void(0)\">x</a> or "
                    "<a href=\"vbscript:msgbox\">y</a> <a href=\"mailto:a@b.c\">mail</a></p>"),
            "<p>click and x or y mail</p>");
}

TEST(NormalizeSanitize, RelativeUrlsBecomeAbsolute) {
  EXPECT_EQ(html_of("<p><a href=\"../img/x.html\">a</a><img src=\"../img/x.jpg\">"
                    "<img src=\"/x.jpg\"><img src=\"//cdn.example.com/x.jpg\"></p>"),
            "<p><a href=\"http://news.example.com/a/img/x.html\">a</a>"
            "<img src=\"http://news.example.com/a/img/x.jpg\">"
            "<img src=\"http://news.example.com/x.jpg\">"
            "<img src=\"http://cdn.example.com/x.jpg\"></p>");
}

TEST(NormalizeSanitize, LazyDataSrcIsPromoted) {
  EXPECT_EQ(html_of("<p><img data-src=\"/lazy/1.jpg\" alt=\"one\" class=\"lazy\"></p>"),
            "<p><img alt=\"one\" src=\"http://news.example.com/lazy/1.jpg\"></p>");
}

TEST(NormalizeSanitize, DataOriginalReplacesPlaceholderSrc) {
  EXPECT_EQ(html_of("<p><img src=\"/images/loading.gif\" data-original=\"/pics/real.jpg\"></p>"),
            "<p><img src=\"http://news.example.com/pics/real.jpg\"></p>");
  EXPECT_EQ(html_of("<p><img src=\"data:image/gif;base64,R0lGODlh\" data-src=\"real.png\"></p>"),
            "<p><img src=\"http://news.example.com/a/b/real.png\"></p>");
}

TEST(NormalizeSanitize, FirstSrcsetCandidateWhenNoSrc) {
  EXPECT_EQ(html_of("<p><img srcset=\"/s/a.jpg 1x, /s/b.jpg 2x\"></p>"),
            "<p><img src=\"http://news.example.com/s/a.jpg\"></p>");
}

TEST(NormalizeSanitize, ImagesWithoutUsableSrcAreDropped) {
  EXPECT_EQ(html_of("<p>text<img src=\"javascript:alert(1)\"></p>"
                    "<p><img src=\"data:image/png;base64,AAAA\"></p><p><img alt=\"none\"></p>"),
            "<p>text</p>");
}

TEST(NormalizeSanitize, ImageAttributesFiltered) {
  EXPECT_EQ(html_of("<p><img src=\"/a.jpg\" width=\"640\" height=\"50%\" title=\"t\" "
                    "onerror=\"x()\" style=\"border:0\"></p>"),
            "<p><img src=\"http://news.example.com/a.jpg\" width=\"640\" title=\"t\"></p>");
}

TEST(NormalizeSanitize, UnknownAndPresentationalElementsAreUnwrapped) {
  EXPECT_EQ(html_of("<p><custom-tag>Hello <font color=\"red\">world</font></custom-tag>!</p>"),
            "<p>Hello world!</p>");
  EXPECT_EQ(html_of("<p><span class=\"x\">a</span><span>b</span></p>"), "<p>ab</p>");
}

TEST(NormalizeSanitize, LinkWithoutHrefIsUnwrapped) {
  EXPECT_EQ(html_of("<p><a name=\"top\">anchor</a> text</p>"), "<p>anchor text</p>");
}

TEST(NormalizeSanitize, DivOfInlineContentBecomesParagraph) {
  EXPECT_EQ(html_of("<div class=\"TRS_Editor\"><div>inline <b>bold</b></div>"
                    "<div><p>already a paragraph</p></div></div>"),
            "<p>inline <b>bold</b></p><p>already a paragraph</p>");
}

TEST(NormalizeSanitize, PictureKeepsItsImage) {
  EXPECT_EQ(html_of("<picture><source srcset=\"/a.webp\" type=\"image/webp\">"
                    "<img src=\"/a.jpg\" alt=\"a\"></picture>"),
            "<img src=\"http://news.example.com/a.jpg\" alt=\"a\">");
}

TEST(NormalizeSanitize, VideoTakesItsSourceAndDropsFallback) {
  EXPECT_EQ(html_of("<video poster=\"/p.jpg\" autoplay><source src=\"/v.mp4\" type=\"video/mp4\">"
                    "Your browser cannot play this.</video>"),
            "<video poster=\"http://news.example.com/p.jpg\" src=\"http://news.example.com/v.mp4\" "
            "controls=\"\"></video>");
  EXPECT_EQ(html_of("<p>x</p><audio><track src=\"t.vtt\"></audio>"), "<p>x</p>");
}

TEST(NormalizeSanitize, TableCellSpansKeptOnlyWhenNumeric) {
  EXPECT_EQ(html_of("<table><tr><td colspan=\"2\" rowspan=\"x\" width=\"50%\" style=\"a\">c</td>"
                    "<td></td></tr></table>"),
            "<table><tbody><tr><td colspan=\"2\">c</td><td></td></tr></tbody></table>");
}

TEST(NormalizeSanitize, ControlCharactersRemoved) {
  const NormalizedContent out = normalize_html(
      "<p>a\x01"
      "b\x0B"
      "c</p>",
      kBase);
  EXPECT_EQ(out.html, "<p>abc</p>");
  EXPECT_EQ(out.text, "abc");
}

TEST(NormalizeSanitize, ControlCharactersNeverReachOutputOfParsedContent) {
  parse::Document doc = parse::Document::parse(
      "<body><div><p>a\x01"
      "b\x0B"
      "c</p></div></body>");
  parse::Node& content = *doc.body()->element_children().front();
  const NormalizedContent out = normalize_content(content, kBase);
  for (const std::string& s : {out.html, out.text}) {
    EXPECT_EQ(s.find('\x01'), std::string::npos);
    EXPECT_EQ(s.find('\x0B'), std::string::npos);
    EXPECT_EQ(s.find("&#"), std::string::npos);
  }
}

TEST(NormalizeSanitize, CommentsRemoved) {
  EXPECT_EQ(html_of("<p>a<!-- editor note -->b</p>"), "<p>ab</p>");
}

TEST(NormalizeSanitize, ContentNodeIsSanitizedInPlace) {
  parse::Document doc = parse::Document::parse(
      "<html><body><div id=\"content\"><p style=\"x\">正文</p><script>x()</script></div>"
      "</body></html>");
  parse::Node* body = doc.body();
  ASSERT_NE(body, nullptr);
  ASSERT_FALSE(body->element_children().empty());
  parse::Node& content = *body->element_children().front();
  const NormalizedContent out = normalize_content(content, kBase);
  EXPECT_EQ(out.html, "<p>正文</p>");
  EXPECT_EQ(parse::inner_html(content), "<p>正文</p>");
  EXPECT_EQ(out.text, "正文");
}

}  // namespace
}  // namespace fg::normalize
