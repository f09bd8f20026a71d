#include "extract/links.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/extract_fixtures.hpp"
#include "support/source_paths.hpp"

namespace fg::extract {
namespace {

using test::load;

const std::string kPage = "https://news.hangzhou.com.cn/gnxw/index.htm";

std::vector<std::string> urls(const std::vector<ArticleLink>& links) {
  std::vector<std::string> out;
  for (const auto& l : links) out.push_back(l.url);
  return out;
}

TEST(FindLinks, AllAnchorsSelectorTakesEveryBodyLinkResolvedAndDeduplicated) {
  auto page = load("channel_list_with_nav_and_duplicates.html");
  auto links = find_links(page, kPage, {"a", ""}, test::kFetched);
  ASSERT_TRUE(links.ok()) << links.error().describe();
  const std::vector<std::string> expected = {
      "https://news.hangzhou.com.cn/",
      "https://news.hangzhou.com.cn/news/",
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7664545.htm",
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/28/content_7664001.htm",
      "https://www.example.org/other/story.html",
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/27/content_7663000.htm",
      "https://news.hangzhou.com.cn/about.html",
  };
  EXPECT_EQ(urls(*links), expected);
}

TEST(FindLinks, EmptySelectorDiscoversTheArticleList) {
  auto page = load("channel_list_with_nav_and_duplicates.html");
  auto links = find_links(page, kPage, {}, test::kFetched);
  ASSERT_TRUE(links.ok()) << links.error().describe();
  const std::vector<std::string> expected = {
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7664545.htm",
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/28/content_7664001.htm",
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/27/content_7663000.htm",
  };
  EXPECT_EQ(urls(*links), expected);
  EXPECT_EQ((*links)[2].text, "图片新闻");  // image link: the alt text
}

TEST(FindLinks, DemoPortalGivesItsSixArticlesWithoutSelector) {
  std::ifstream in(std::string(FG_SOURCE_DIR) + "/feeds/demo/site/index.html");
  std::stringstream buf;
  buf << in.rdbuf();
  auto page = parse::Document::parse(buf.str());
  for (const std::string site : {"http://www.example.com/gn/", "http://127.0.0.1:8080/"}) {
    auto links = find_links(page, site + "index.html", {}, test::kFetched);
    ASSERT_TRUE(links.ok()) << links.error().describe();
    const std::vector<std::string> expected = {
        site + "content_7001.htm", site + "content_7002.htm", site + "content_7003.htm",
        site + "content_7004.htm", site + "content_7005.htm", site + "content_7006.htm"};
    EXPECT_EQ(urls(*links), expected) << site;
  }
}

TEST(FindLinks, ContainerSelectorTakesDescendantLinks) {
  auto page = load("channel_list_with_nav_and_duplicates.html");
  auto links = find_links(page, kPage, {"ul.news-list", ""}, test::kFetched);
  ASSERT_TRUE(links.ok()) << links.error().describe();
  ASSERT_EQ(links->size(), 4u);
  EXPECT_EQ((*links)[0].text, "中共中央印发《通知》");
  EXPECT_EQ((*links)[1].text, "杭州一定尽最大努力 守护市民");
  EXPECT_EQ((*links)[2].url, "https://www.example.org/other/story.html");
  EXPECT_EQ((*links)[3].text, "图片新闻");  // image link: the alt text
}

TEST(FindLinks, AnchorSelectorAndPattern) {
  auto page = load("channel_list_with_nav_and_duplicates.html");
  auto links =
      find_links(page, kPage, {".news-list li > a", R"(/content_\d+\.htm$)"}, test::kFetched);
  ASSERT_TRUE(links.ok()) << links.error().describe();
  const std::vector<std::string> expected = {
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7664545.htm",
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/28/content_7664001.htm",
      "https://news.hangzhou.com.cn/gnxw/content/2020-01/27/content_7663000.htm",
  };
  EXPECT_EQ(urls(*links), expected);
}

TEST(FindLinks, BaseHrefIsResolvedAgainstPageUrl) {
  auto page = parse::Document::parse(
      "<html><head><base href='/archive/2020/'></head><body>"
      "<a href='a.html'>A</a><a href='/b.html'>B</a></body></html>");
  auto links = find_links(page, "http://example.gov.cn/list/index.html", {"a", ""}, test::kFetched);
  ASSERT_TRUE(links.ok()) << links.error().describe();
  const std::vector<std::string> expected = {"http://example.gov.cn/archive/2020/a.html",
                                             "http://example.gov.cn/b.html"};
  EXPECT_EQ(urls(*links), expected);
}

TEST(FindLinks, PageOwnUrlIsDropped) {
  auto page = parse::Document::parse(
      "<body><a href='index.html'>self</a><a href='index.html?page=2'>next</a></body>");
  auto links = find_links(page, "http://example.gov.cn/list/index.html", {"a", ""}, test::kFetched);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0].url, "http://example.gov.cn/list/index.html?page=2");
}

TEST(FindLinks, BadPatternIsAParseError) {
  auto page = parse::Document::parse("<body><a href='a.html'>A</a></body>");
  auto links = find_links(page, kPage, {"", "content_(\\d+"}, test::kFetched);
  ASSERT_FALSE(links.ok());
  EXPECT_EQ(links.error().code, Errc::parse);
  EXPECT_NE(links.error().message.find("bad link_pattern"), std::string::npos);
}

TEST(FindLinks, BadSelectorIsAParseError) {
  auto page = parse::Document::parse("<body><a href='a.html'>A</a></body>");
  auto links = find_links(page, kPage, {"ul[", ""}, test::kFetched);
  ASSERT_FALSE(links.ok());
  EXPECT_EQ(links.error().code, Errc::parse);
  EXPECT_NE(links.error().message.find("ul["), std::string::npos);
}

TEST(FindLinks, SelectorMatchingNothingGivesNoLinks) {
  auto page = parse::Document::parse("<body><a href='a.html'>A</a></body>");
  auto links = find_links(page, kPage, {".missing", ""}, test::kFetched);
  ASSERT_TRUE(links.ok());
  EXPECT_TRUE(links->empty());
}

// "RFC 3339 precision" of the date beside each link, or "none".
std::vector<std::string> dates(const std::vector<ArticleLink>& links) {
  std::vector<std::string> out;
  for (const auto& l : links) {
    out.push_back(l.date ? format_rfc3339(*l.date) + " " +
                               std::string(precision_name(l.date->precision))
                         : "none");
  }
  return out;
}

TEST(FindLinks, EachLinkCarriesTheDateBesideItReadAgainstTheFetch) {
  auto page = load("list_rows_with_relative_dates.html");
  // test::kFetched is 15:00 on 2 December 2026 in Shanghai.
  const std::vector<std::string> expected = {
      "2026-12-02T15:00:00+08:00 time", "2026-12-02T12:00:00+08:00 hour",
      "2026-12-01T14:30:00+08:00 time", "2026-11-28T09:05:00+08:00 time",
      "2026-11-20T00:00:00+08:00 day",  "none"};
  auto selected = find_links(page, kPage, {"ul.list li > a", ""}, test::kFetched);
  ASSERT_TRUE(selected.ok()) << selected.error().describe();
  EXPECT_EQ(dates(*selected), expected);
  EXPECT_EQ((*selected)[1].date_text, "3小时前");
  // The headline's own year is not the row's date, and discovery reads the same rows.
  auto discovered = find_links(page, kPage, {}, test::kFetched);
  ASSERT_TRUE(discovered.ok()) << discovered.error().describe();
  EXPECT_EQ(dates(*discovered), expected);
}

TEST(FindLinks, DatesBesideLinksAreInTheFeedsZone) {
  auto page = load("list_rows_with_relative_dates.html");
  LinkRules rules{"ul.list li > a", "", "America/New_York"};
  auto links = find_links(page, kPage, rules, test::kFetched);
  ASSERT_TRUE(links.ok()) << links.error().describe();
  // 07:00 UTC is 02:00 in New York: "昨天 14:30" is 1 December there too, at -05:00.
  EXPECT_EQ(dates(*links)[2], "2026-12-01T14:30:00-05:00 time");
}

TEST(FindLinks, InAShortListEachRowKeepsItsOwnDate) {
  // Two rows: both links are within the three a row may hold, yet each date stays with its own.
  auto page = parse::Document::parse(
      "<ul><li><a href=\"/a/1.htm\">第一条新闻</a><span>3小时前</span></li>"
      "<li><a href=\"/a/2.htm\">第二条新闻</a><span>昨天 09:30</span></li></ul>"
      "<table><tr><td><a href=\"/a/3.htm\">第三条新闻</a></td><td>2026-11-30</td></tr></table>");
  auto links = find_links(page, kPage, {"a", ""}, test::kFetched);
  ASSERT_TRUE(links.ok()) << links.error().describe();
  EXPECT_EQ(dates(*links), (std::vector<std::string>{"2026-12-02T12:00:00+08:00 hour",
                                                     "2026-12-01T09:30:00+08:00 time",
                                                     "2026-11-30T00:00:00+08:00 day"}));
}

}  // namespace
}  // namespace fg::extract
