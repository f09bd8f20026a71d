// The /preview page: the form, the result sections, and escaping of everything that came from
// the fetched pages (hostile input).

#include "render/preview_page.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fg::render {
namespace {

// How often `needle` occurs in `haystack`.
std::size_t count(const std::string& haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

PreviewPage hostile_result() {
  PreviewPage page;
  page.form.url = "http://portal.test/list?a=1&b=\"2\"";
  page.form.links = "a[href*='x']";
  PreviewResult r;
  r.page_url = page.form.url;
  r.fetched = "2026-12-02T08:00:00Z";
  r.links.push_back({"http://portal.test/a?x=\"><script>alert(1)</script>",
                     "<script>alert('link')</script>", "2026-12-01T00:00:00+08:00",
                     "12-01 \"<b>\""});
  r.groups.push_back({"rejected", "navigation <nav>", "div>ul>li>a", "<img onerror=x>", 1.5, 7});
  Article a;
  a.url = "http://portal.test/a?x=\"><script>";
  a.title = "标题 <script>alert(\"title\")</script> & 'quotes'";
  a.author = "<i>张三</i>";
  a.source = "新华网";
  a.content_html = "<p>sanitized <b>body</b></p>";
  r.article = a;
  r.rules = {"title: <h1> \"quoted\"", "author: labelled byline [author_label]",
             "candidate <div id=\"x\"> 12.5"};
  r.yaml = "  - id: portal-test-list\n    title: \"<script>\"\n";
  page.result = std::move(r);
  return page;
}

TEST(PreviewPage, FormOnlyIsAPhoneReadableDocumentWithoutScripts) {
  const std::string html = render_preview_page(PreviewPage{});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width"), std::string::npos);
  EXPECT_NE(html.find("<form method=\"post\" action=\"/preview\""), std::string::npos);
  EXPECT_NE(html.find("name=\"url\""), std::string::npos);
  EXPECT_EQ(html.find("name=\"token\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("id=\"found-links\""), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);  // no external asset
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(PreviewPage, AsksForTheTokenWhenTheServerHasOne) {
  PreviewPage page;
  page.asks_token = true;
  EXPECT_NE(render_preview_page(page).find("name=\"token\" type=\"password\""), std::string::npos);
}

TEST(PreviewPage, RefusalIsShownAndEscaped) {
  PreviewPage page;
  page.refusal = "Refused by the address policy: http://127.0.0.1/<x>";
  const std::string html = render_preview_page(page);
  EXPECT_NE(html.find("<p class=\"refusal\" id=\"refusal\" role=\"alert\">Refused by the address "
                      "policy: http://127.0.0.1/&lt;x&gt;</p>"),
            std::string::npos);
}

TEST(PreviewPage, EverythingFromThePageIsEscaped) {
  const std::string html = render_preview_page(hostile_result());
  // Not one script element, whatever the page's titles, links, dates and rules held.
  EXPECT_EQ(count(html, "<script"), 0u) << html;
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_EQ(count(html, "<i>"), 0u);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;link&#39;)&lt;/script&gt;"), std::string::npos)
      << html;
  // A quote in a URL does not end the attribute.
  EXPECT_NE(html.find("href=\"http://portal.test/a?x=&quot;&gt;&lt;script&gt;alert(1)"),
            std::string::npos);
  EXPECT_NE(html.find("value=\"http://portal.test/list?a=1&amp;b=&quot;2&quot;\""),
            std::string::npos);
  EXPECT_NE(html.find("value=\"a[href*=&#39;x&#39;]\""), std::string::npos);
  EXPECT_NE(html.find("<pre id=\"yaml-entry\">  - id: portal-test-list\n    title: "
                      "&quot;&lt;script&gt;&quot;\n</pre>"),
            std::string::npos);
}

TEST(PreviewPage, FieldsCarryTheRuleThatChoseThem) {
  const std::string html = render_preview_page(hostile_result());
  EXPECT_NE(html.find("<tr id=\"field-title\"><th>title</th><td class=\"value\">标题 "
                      "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; "
                      "&#39;quotes&#39;</td><td class=\"rule\">&lt;h1&gt; &quot;quoted&quot;</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr id=\"field-author\"><th>作者 author</th><td class=\"value\">&lt;i&gt;"
                      "张三&lt;/i&gt;</td><td class=\"rule\">labelled byline [author_label]</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<li>candidate &lt;div id=&quot;x&quot;&gt; 12.5</li>"), std::string::npos);
  // The body is the sanitized HTML as the feed carries it, closed by the byline.
  EXPECT_NE(html.find("<p>sanitized <b>body</b></p>"), std::string::npos);
  EXPECT_NE(html.find("来源：新华网"), std::string::npos);
}

TEST(PreviewPage, SectionsInReadingOrder) {
  const std::string html = render_preview_page(hostile_result());
  const auto links = html.find("id=\"found-links\"");
  const auto article = html.find("id=\"found-article\"");
  const auto yaml = html.find("id=\"found-yaml\"");
  const auto groups = html.find("id=\"found-groups\"");
  ASSERT_NE(groups, std::string::npos);
  EXPECT_LT(links, article);
  EXPECT_LT(article, yaml);
  EXPECT_LT(yaml, groups);
  EXPECT_NE(html.find("<tr class=\"group-rejected\"><td>rejected</td><td>1.50</td><td>7</td>"
                      "<td>navigation &lt;nav&gt;</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<h2>1 article links</h2>"), std::string::npos);
}

TEST(PreviewPage, MissingArticleSaysWhy) {
  PreviewPage page;
  PreviewResult r;
  r.article_error = "No article links were found <here>";
  page.result = r;
  const std::string html = render_preview_page(page);
  EXPECT_NE(html.find("No article links were found &lt;here&gt;"), std::string::npos);
  EXPECT_EQ(html.find("id=\"article-body\""), std::string::npos);
}

}  // namespace
}  // namespace fg::render
