// Byline and date signals meant to hold across sites (issue 13), each on a minimal fixture named
// after what it exercises.

#include <gtest/gtest.h>

#include "extract/article.hpp"
#include "extract/labels.hpp"
#include "support/extract_fixtures.hpp"

namespace fg::extract {
namespace {

ExtractedArticle extract(const std::string& fixture) {
  parse::Document page = test::load(fixture);
  auto a = extract_article(page, "https://news.example.com/a/1.html", {}, test::kFetched);
  EXPECT_TRUE(a.ok()) << a.error().describe();
  return a.ok() ? std::move(*a) : ExtractedArticle{};
}

// A platform account or outlet named in its own element beside the time under the headline,
// without a 来源 label, is the source; the tool-bar words around it (原创, 字号) are not.
TEST(BylineSignals, NameInItsOwnElementBesideTheTimeIsTheSource) {
  const ExtractedArticle a = extract("source_in_own_element_beside_time.html");
  EXPECT_EQ(a.source, "华夏人文");
  EXPECT_EQ(a.author, "");
  EXPECT_TRUE(test::explains(a, "[byline.beside_time]"));
}

// English pages put the writer beside the time, not the outlet.
TEST(BylineSignals, LatinNameBesideTheTimeIsNotTakenAsTheSource) {
  const ExtractedArticle a = extract("writer_beside_time_on_english_page.html");
  EXPECT_EQ(a.source, "");
  EXPECT_FALSE(test::explains(a, "[byline.beside_time]"));
}

// The text under the title says "2小时前"; the element keeps the exact time in data-time. A
// time later than a day after the page was read (a clock's) is skipped.
TEST(DateSignals, ExactTimeInAnAttributeUnderTheTitle) {
  const ExtractedArticle a = extract("exact_time_in_attribute_under_title.html");
  EXPECT_EQ(test::published(a), "2026-12-02T04:50:00+00:00");
  EXPECT_TRUE(test::explains(a, "[date.attribute]"));
}

// "本报记者 张三 李四": the outlet's name before 记者 does not hide the reporters, and the
// correspondent (通讯员) is not taken over them; a photo's credit in the body is no author.
TEST(BylineSignals, ReportersAfterTheirOutletsName) {
  const ExtractedArticle a = extract("reporters_after_outlet_name.html");
  EXPECT_EQ(a.author, "张三 李四");
  EXPECT_EQ(split_byline("新京报记者 彭冲 山东冠县报道").author, "彭冲");
  EXPECT_EQ(split_byline("来源：新京报记者 张三").source, "新京报");
  EXPECT_EQ(split_byline("本报记者从市教育局获悉").author, "");
}

TEST(BylineSignals, PhotoCreditIsNotTheAuthor) {
  EXPECT_EQ(split_byline("中新社记者 贾天勇 摄").author, "");
  EXPECT_EQ(split_byline("记者 张三 摄").author, "");
  EXPECT_EQ(split_byline("记者 张三 报道").author, "张三");
}

// A platform's publishing account is the outlet: "作者：企鹅号 科技日报" is the source 科技日报.
TEST(BylineSignals, PlatformAccountIsTheSourceNotTheAuthor) {
  const ExtractedArticle a = extract("platform_account_as_author.html");
  EXPECT_EQ(a.source, "科技日报");
  EXPECT_EQ(a.author, "");
  EXPECT_EQ(split_byline("作者：百家号/财经早知道").source, "财经早知道");
  EXPECT_EQ(split_byline("来源：百家号 作者：张三").author, "张三");
}

}  // namespace
}  // namespace fg::extract
