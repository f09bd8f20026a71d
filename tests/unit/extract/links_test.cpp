#include "extract/links.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/extract_fixtures.hpp"

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
  auto links = find_links(page, kPage, {"a", ""});
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
  auto links = find_links(page, kPage, {});
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
    auto links = find_links(page, site + "index.html", {});
    ASSERT_TRUE(links.ok()) << links.error().describe();
    const std::vector<std::string> expected = {
        site + "content_7001.htm", site + "content_7002.htm", site + "content_7003.htm",
        site + "content_7004.htm", site + "content_7005.htm", site + "content_7006.htm"};
    EXPECT_EQ(urls(*links), expected) << site;
  }
}

TEST(FindLinks, ContainerSelectorTakesDescendantLinks) {
  auto page = load("channel_list_with_nav_and_duplicates.html");
  auto links = find_links(page, kPage, {"ul.news-list", ""});
  ASSERT_TRUE(links.ok()) << links.error().describe();
  ASSERT_EQ(links->size(), 4u);
  EXPECT_EQ((*links)[0].text, "中共中央印发《通知》");
  EXPECT_EQ((*links)[1].text, "杭州一定尽最大努力 守护市民");
  EXPECT_EQ((*links)[2].url, "https://www.example.org/other/story.html");
  EXPECT_EQ((*links)[3].text, "图片新闻");  // image link: the alt text
}

TEST(FindLinks, AnchorSelectorAndPattern) {
  auto page = load("channel_list_with_nav_and_duplicates.html");
  auto links = find_links(page, kPage, {".news-list li > a", R"(/content_\d+\.htm$)"});
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
  auto links = find_links(page, "http://example.gov.cn/list/index.html", {"a", ""});
  ASSERT_TRUE(links.ok()) << links.error().describe();
  const std::vector<std::string> expected = {"http://example.gov.cn/archive/2020/a.html",
                                             "http://example.gov.cn/b.html"};
  EXPECT_EQ(urls(*links), expected);
}

TEST(FindLinks, PageOwnUrlIsDropped) {
  auto page = parse::Document::parse(
      "<body><a href='index.html'>self</a><a href='index.html?page=2'>next</a></body>");
  auto links = find_links(page, "http://example.gov.cn/list/index.html", {"a", ""});
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ((*links)[0].url, "http://example.gov.cn/list/index.html?page=2");
}

TEST(FindLinks, BadPatternIsAParseError) {
  auto page = parse::Document::parse("<body><a href='a.html'>A</a></body>");
  auto links = find_links(page, kPage, {"", "content_(\\d+"});
  ASSERT_FALSE(links.ok());
  EXPECT_EQ(links.error().code, Errc::parse);
  EXPECT_NE(links.error().message.find("bad link_pattern"), std::string::npos);
}

TEST(FindLinks, BadSelectorIsAParseError) {
  auto page = parse::Document::parse("<body><a href='a.html'>A</a></body>");
  auto links = find_links(page, kPage, {"ul[", ""});
  ASSERT_FALSE(links.ok());
  EXPECT_EQ(links.error().code, Errc::parse);
  EXPECT_NE(links.error().message.find("ul["), std::string::npos);
}

TEST(FindLinks, SelectorMatchingNothingGivesNoLinks) {
  auto page = parse::Document::parse("<body><a href='a.html'>A</a></body>");
  auto links = find_links(page, kPage, {".missing", ""});
  ASSERT_TRUE(links.ok());
  EXPECT_TRUE(links->empty());
}

}  // namespace
}  // namespace fg::extract
