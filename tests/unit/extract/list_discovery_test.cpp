#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "extract/links.hpp"
#include "extract/list_features.hpp"
#include "support/extract_fixtures.hpp"
#include "support/source_paths.hpp"

namespace fg::extract {
namespace {

std::vector<std::string> discover(const std::string& html, const std::string& page_url,
                                  const std::string& pattern = "") {
  auto page = parse::Document::parse(html);
  auto links = find_links(page, page_url, {"", pattern}, test::kFetched);
  EXPECT_TRUE(links.ok());
  std::vector<std::string> out;
  for (const auto& l : *links) out.push_back(l.url);
  return out;
}

const std::string kSite = "http://news.example.com.cn/gn/index.htm";

// A main list of three dated articles, in the channel's own URL shape.
const std::string kMainList =
    "<ul class='list'>"
    "<li><a href='/gn/2020-01/29/c_1001.htm'>国务院部署春节假期延长后的返程工作</a> 2020-01-29</li>"
    "<li><a href='/gn/2020-01/28/c_1002.htm'>教育部：春季学期延期开学 停课不停学</a> "
    "2020-01-28</li>"
    "<li><a href='/gn/2020-01/27/c_1003.htm'>多地出台措施保障蔬菜等生活必需品供应</a> "
    "2020-01-27</li>"
    "</ul>";
const std::vector<std::string> kMainUrls = {"http://news.example.com.cn/gn/2020-01/29/c_1001.htm",
                                            "http://news.example.com.cn/gn/2020-01/28/c_1002.htm",
                                            "http://news.example.com.cn/gn/2020-01/27/c_1003.htm"};

TEST(ListFeatures, ArticleUrlShapesOfChinesePortals) {
  for (const char* url :
       {"http://a.cn/gnxw/content/2020-01/29/content_7664545.htm",
        "http://a.cn/politics/2020-01/29/c_1125511020.htm",
        "http://a.gov.cn/tzgg/202001/t20200129_3472113.html", "http://a.cn/a/123.html",
        "http://a.gov.cn/art/2020/1/29/art_1_2.html", "http://a.cn/20200129/abc.shtml",
        "http://a.cn/n1/2020/0129/c1-3.html", "http://a.cn/detail.aspx?id=52311"})
    EXPECT_TRUE(list::is_article_url(list::split_url(url))) << url;
  for (const char* url :
       {"http://a.cn/gnxw/", "http://a.cn/gnxw/index.htm", "http://a.cn/node_1234.htm",
        "http://a.cn/list.aspx?classid=12", "http://a.cn/about.html"})
    EXPECT_FALSE(list::is_article_url(list::split_url(url))) << url;
}

TEST(ListFeatures, PaginationByTextAndUrl) {
  const auto plain = list::split_url("http://a.cn/x/y.htm");
  for (const char* text : {"下一页", "尾页", "上一页", "2", "[3]", "»", "Next"})
    EXPECT_TRUE(list::is_pagination(text, plain)) << text;
  EXPECT_TRUE(list::is_pagination("更早", list::split_url("http://a.cn/gn/index_2.html")));
  EXPECT_TRUE(list::is_pagination("更早", list::split_url("http://a.cn/l.aspx?c=1&page=3")));
  EXPECT_FALSE(list::is_pagination("2020年春节假期延长至2月2日", plain));
}

TEST(ListFeatures, DatesNearLinks) {
  for (const char* text : {"2020-01-29", "[2020-01-29]", "01-29", "[01-29]", "2020年1月29日",
                           "2020.01.29 10:21", "发布时间：2020/1/29", "1-29 10:21"})
    EXPECT_TRUE(list::contains_date(text)) << text;
  for (const char* text : {"", "10:21", "3.5", "共120条", "第13-45期"})
    EXPECT_FALSE(list::contains_date(text)) << text;
}

TEST(ListFeatures, HeadlineLengthCountsCjkCharacters) {
  EXPECT_EQ(list::headline_units("杭州地铁开通"), 6);
  EXPECT_EQ(list::headline_units("G20 峰会"), 4);  // one word (2) + two characters
  EXPECT_EQ(list::headline_units("Hangzhou metro opens"), 6);
}

TEST(ListFeatures, SameSiteByRegistrableDomain) {
  EXPECT_TRUE(list::same_site("news.hangzhou.com.cn", "hznews.hangzhou.com.cn"));
  EXPECT_FALSE(list::same_site("www.hangzhou.gov.cn", "www.zj.gov.cn"));
  EXPECT_TRUE(list::same_site("www.xinhuanet.com", "xinhuanet.com"));
  EXPECT_FALSE(list::same_site("127.0.0.1", "www.example.com"));
}

TEST(ListDiscovery, NavigationMenuIsNotTheList) {
  const std::string html =
      "<body><ul class='menu'><li><a href='/gn/'>国内</a></li><li><a href='/gj/'>国际</a></li>"
      "<li><a href='/sh/'>社会</a></li><li><a href='/ty/'>体育</a></li><li><a href='/cj/'>财经</a>"
      "</li></ul>" +
      kMainList + "</body>";
  EXPECT_EQ(discover(html, kSite), kMainUrls);
}

TEST(ListDiscovery, SidebarUnderRankingHeadingIsRejectedEvenWithArticleUrls) {
  const std::string html =
      "<body>" + kMainList +
      "<div><h3>点击排行</h3><ul><li><a "
      "href='/gn/2020-01/20/c_9001.htm'>一周前的热门文章标题很长</a>"
      "</li><li><a href='/gn/2020-01/21/c_9002.htm'>另一篇上周的热门文章标题</a></li>"
      "<li><a href='/gn/2020-01/22/c_9003.htm'>第三篇被很多人点击的文章</a></li>"
      "<li><a href='/gn/2020-01/23/c_9004.htm'>第四篇被很多人点击的文章</a></li></ul></div></body>";
  EXPECT_EQ(discover(html, kSite), kMainUrls);
}

TEST(ListDiscovery, SideClassIsRejected) {
  const std::string html =
      "<body><div class='side-box'><ul><li><a "
      "href='/sh/2020-01/20/c_9001.htm'>社会频道的一篇文章标题</a>"
      " 01-20</li><li><a href='/sh/2020-01/21/c_9002.htm'>社会频道的另一篇文章标题</a> 01-21</li>"
      "<li><a href='/sh/2020-01/22/c_9003.htm'>社会频道的第三篇文章标题</a> 01-22</li>"
      "<li><a href='/sh/2020-01/23/c_9004.htm'>社会频道的第四篇文章标题</a> 01-23</li></ul></div>" +
      kMainList + "</body>";
  EXPECT_EQ(discover(html, kSite), kMainUrls);
}

TEST(ListDiscovery, OffSiteLinksAreDropped) {
  const std::string html =
      "<body><div class='friend'>" + std::string() +
      "<a href='http://www.gov.cn/a/2020-01/29/c_1.htm'>中国政府网的一篇文章链接</a></div>"
      "<ul class='list'><li><a "
      "href='http://other.org.cn/2020-01/29/c_5.htm'>外站转载的文章标题在这里</a>"
      "</li></ul>" +
      kMainList + "</body>";
  EXPECT_EQ(discover(html, kSite), kMainUrls);
}

TEST(ListDiscovery, HeadlineBlockOfTheSameUrlShapeJoinsTheList) {
  const std::string html =
      "<body><div class='headline'><h1><a href='/gn/2020-01/29/c_1000.htm'>"
      "头条：全国新增确诊病例1459例</a></h1></div>" +
      kMainList + "<div class='pager'><a href='index_2.htm'>下一页</a></div></body>";
  std::vector<std::string> expected = {"http://news.example.com.cn/gn/2020-01/29/c_1000.htm"};
  expected.insert(expected.end(), kMainUrls.begin(), kMainUrls.end());
  EXPECT_EQ(discover(html, kSite), expected);
}

TEST(ListDiscovery, LinkPatternStillFilters) {
  EXPECT_EQ(discover("<body>" + kMainList + "</body>", kSite, "c_100[13]"),
            (std::vector<std::string>{kMainUrls[0], kMainUrls[2]}));
}

TEST(ListDiscovery, ExplanationNamesTheChosenAndRejectedGroups) {
  auto page = parse::Document::parse("<body><div class='nav'><a href='/gn/'>国内</a></div>" +
                                     kMainList + "</body>");
  const ListDiscovery found = explain_links(page, kSite);
  ASSERT_EQ(found.groups.size(), 2u);
  EXPECT_EQ(found.groups[0].verdict, GroupVerdict::chosen);
  EXPECT_EQ(found.groups[0].path, "ul.list>li>a");
  EXPECT_EQ(found.groups[0].story_links, 3);
  EXPECT_DOUBLE_EQ(found.groups[0].date_share, 1.0);
  EXPECT_EQ(found.groups[1].verdict, GroupVerdict::rejected);
  EXPECT_EQ(found.groups[1].reason, "navigation or pagination only");
}

// Precision and recall over the hand-labelled channel pages in tests/fixtures/lists/.
TEST(ListDiscovery, FixtureChannelPagesPrecisionAndRecall) {
  namespace fs = std::filesystem;
  int found_total = 0, correct = 0, expected_total = 0, pages = 0;
  for (const auto& entry : fs::directory_iterator(std::string(FG_FIXTURES) + "/lists")) {
    if (entry.path().extension() != ".html") continue;
    std::ifstream html_in(entry.path());
    std::stringstream html;
    html << html_in.rdbuf();
    fs::path expected_path = entry.path();
    std::ifstream expected_in(expected_path.replace_extension(".expected.txt"));
    std::string page_url, line;
    std::set<std::string> expected;
    while (std::getline(expected_in, line)) {
      if (line.rfind("# page: ", 0) == 0) page_url = line.substr(8);
      if (!line.empty() && line[0] != '#') expected.insert(line);
    }
    ASSERT_FALSE(page_url.empty()) << expected_path;
    const auto got = discover(html.str(), page_url);
    int hits = 0;
    for (const auto& url : got) hits += expected.count(url) != 0 ? 1 : 0;
    std::printf("  %-45s found %2zu, expected %2zu, correct %2d\n", entry.path().filename().c_str(),
                got.size(), expected.size(), hits);
    found_total += static_cast<int>(got.size());
    expected_total += static_cast<int>(expected.size());
    correct += hits;
    ++pages;
  }
  ASSERT_GE(pages, 8);
  const double precision = found_total > 0 ? static_cast<double>(correct) / found_total : 0;
  const double recall = static_cast<double>(correct) / expected_total;
  std::printf("list discovery over %d fixture pages: precision %.3f, recall %.3f\n", pages,
              precision, recall);
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.95);
}

}  // namespace
}  // namespace fg::extract
