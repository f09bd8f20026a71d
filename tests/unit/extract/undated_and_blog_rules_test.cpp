// Zero-config rules for dates without a year, US-style dates, dated lines opening the body,
// periodical issues, blog owners, signatures before link tails and headings with subtitles;
// each on its own minimal fixture named after the rule.

#include <gtest/gtest.h>

#include "extract/article.hpp"
#include "extract/article_parts.hpp"
#include "support/extract_fixtures.hpp"

namespace fg::extract {
namespace {

using test::explains;
using test::load;
using test::published;

const std::string kUndatedUrl = "https://news.example.cn/society/article_1.html";

ExtractedArticle extract(const std::string& fixture, const std::string& url = kUndatedUrl) {
  auto page = load(fixture);
  auto a = extract_article(page, url, {}, test::kFetched);
  EXPECT_TRUE(a.ok()) << a.error().describe();
  return a.ok() ? std::move(*a) : ExtractedArticle{};
}

std::string precision(const ExtractedArticle& a) {
  return a.published ? std::string(precision_name(a.published->precision)) : "none";
}

TEST(UndatedRules, DateWithoutYearTakesTheYearOfAnotherDateOnThePage) {
  const ExtractedArticle a = extract("date_without_year_in_two_spans.html");
  EXPECT_EQ(published(a), "2020-01-14T17:58:00+08:00");
  EXPECT_EQ(precision(a), "time");
  EXPECT_TRUE(explains(a, "published: date without its year"));
}

TEST(UndatedRules, DateWithoutYearTakesTheYearOfTheUrl) {
  const ExtractedArticle a =
      extract("date_without_year_in_two_spans.html", "https://news.example.cn/2019/01/14/a.html");
  EXPECT_EQ(published(a), "2019-01-14T17:58:00+08:00");
}

TEST(UndatedRules, MonthDayYearWithPmAgreesWithTheBodysDate) {
  // 7/5 read as 5 July: two days after the report date the body gives (2005年07月03日).
  const ExtractedArticle a = extract("month_day_year_with_pm.html");
  EXPECT_EQ(published(a), "2005-07-05T21:23:57+08:00");
}

TEST(UndatedRules, MonthDayYearFollowsTheUrlDateWhenTheyDisagree) {
  const ExtractedArticle a =
      extract("month_day_year_with_pm.html", "https://news.example.cn/2005-05/07/a.html");
  EXPECT_EQ(published(a), "2005-05-07T21:23:57+08:00");
}

TEST(UndatedRules, DateLineOpeningTheBodyIsADay) {
  const ExtractedArticle a = extract("date_line_opening_body.html");
  EXPECT_EQ(published(a), "2005-01-02T00:00:00+08:00");
  EXPECT_EQ(precision(a), "day");
  EXPECT_TRUE(explains(a, "published: dated line opening the body"));
}

TEST(UndatedRules, IssueOfThePeriodicalClosingAReprintIsAMonth) {
  const ExtractedArticle a = extract("issue_month_closing_reprint.html");
  EXPECT_EQ(published(a), "1998-03-01T00:00:00+08:00");
  EXPECT_EQ(precision(a), "month");
  EXPECT_TRUE(explains(a, "published: issue of the periodical"));
}

TEST(UndatedRules, EpaperIssueDateInAnElementNamedDate) {
  const ExtractedArticle a = extract("epaper_issue_date_in_named_element.html");
  EXPECT_EQ(published(a), "2022-02-13T00:00:00+08:00");
  EXPECT_EQ(precision(a), "day");
  EXPECT_TRUE(explains(a, "published: date in an element named date/time"));
}

TEST(BlogRules, LinksToTheAuthorsArchiveAgreeingOnOneName) {
  const ExtractedArticle a = extract("author_archive_links_agreeing.html");
  EXPECT_EQ(a.author, "太小心");
  EXPECT_TRUE(explains(a, "author: links to the author's archive"));
}

TEST(BlogRules, OwnerNamedByTitleTagAndShownInThePage) {
  const ExtractedArticle a = extract("blog_owner_named_by_title_tag.html");
  EXPECT_EQ(a.author, "海边姑娘");
  EXPECT_TRUE(explains(a, "author: blog owner named by <title>"));
}

TEST(BlogRules, OwnerFromTitleTagShapes) {
  using detail::blog_owner;
  EXPECT_EQ(blog_owner("[太小心]的博客", "播客热潮"), "太小心");
  EXPECT_EQ(blog_owner("春天的故事_张三丰_新浪博客", "春天的故事"), "张三丰");
  EXPECT_EQ(blog_owner("海边姑娘 | blog.example.com", "海边姑娘"), "海边姑娘");
  EXPECT_EQ(blog_owner("多维博客 » 播客热潮迅速蔓延 挑逗传统传媒业", "播客热潮"), "");
  EXPECT_EQ(blog_owner("市政府召开常务会议_杭州网", "市政府召开常务会议"), "");
  EXPECT_EQ(blog_owner("甲_乙_博客", "丙"), "");  // two names: which one owns it is unknown
}

TEST(SignatureRules, ReporterSigningTheLastSentenceBeforeLinkLines) {
  const ExtractedArticle a = extract("reporter_signing_last_sentence_before_links.html");
  EXPECT_EQ(a.author, "蔡雪婧");
}

TEST(TitleRules, HeadingWithATranslationLineKeepsTheLineTitleTagNames) {
  const ExtractedArticle a = extract("title_heading_with_translation_line.html");
  EXPECT_EQ(a.title, "网店物流配送的问题及对策研究");
}

TEST(TitleRules, TitleTagShownWholeIsNotCutAtItsDash) {
  const ExtractedArticle a = extract("title_shown_whole_with_dash.html");
  EXPECT_EQ(a.title, "对比试车—测试两款微型车(图)");
  EXPECT_TRUE(explains(a, "title: <title> shown whole in the page"));
}

}  // namespace
}  // namespace fg::extract
