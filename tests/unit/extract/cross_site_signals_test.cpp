// Signals meant to hold across sites (issue 13): each on its own minimal fixture named after
// what it exercises, none keyed on a site.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "extract/article.hpp"
#include "extract/page_meta.hpp"
#include "support/extract_fixtures.hpp"
#include "support/source_paths.hpp"

namespace fg::extract {
namespace {

ExtractedArticle extract(const std::string& fixture) {
  std::ifstream in(std::string(FG_FIXTURES) + "/extract/" + fixture, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  EXPECT_FALSE(buf.str().empty()) << fixture;
  auto page = parse::Document::parse(buf.str());
  auto a = extract_article(page, "https://mp.example.com/s/abc", {}, test::kFetched);
  EXPECT_TRUE(a.ok()) << a.error().describe();
  return a.ok() ? std::move(*a) : ExtractedArticle{};
}

TEST(ScriptTime, PublicationKeysOnlyNeverTheClock) {
  using detail::script_time;
  EXPECT_EQ(script_time(R"(var ct = "1581517074";)"), "1581517074");
  EXPECT_EQ(script_time("a = {publish_time: '2020-03-09 18:14:21'}"), "2020-03-09 18:14:21");
  EXPECT_EQ(script_time(R"({"publishTime":1581517074000})"), "1581517074000");
  EXPECT_EQ(script_time(R"(var now = "1581517074"; var time = "1581517074";)"), "");
  EXPECT_EQ(script_time(R"(var ctx = "1581517074"; x.act = "1581517074";)"), "");
  EXPECT_EQ(script_time(R"(var publish_time = "昨天";)"), "");
}

TEST(ScriptTime, PageShowingOnlyARelativeDayTakesTheScriptsTime) {
  const ExtractedArticle a = extract("publish_time_in_page_script.html");
  ASSERT_TRUE(a.published.has_value());
  EXPECT_EQ(format_rfc3339(*a.published, true), "2020-02-12T14:17:54Z");
}

// Blog themes give the post and every comment one class; the comments are longer together.
TEST(CommentSection, BlocksInsideACommentListDoNotWinOverThePost) {
  std::ifstream in(std::string(FG_FIXTURES) + "/extract/post_and_comments_sharing_a_class.html");
  std::stringstream buf;
  buf << in.rdbuf();
  auto page = parse::Document::parse(buf.str());  // the content node lives in the page
  auto a = extract_article(page, "https://blog.example.com/2012/07/tides/", {}, test::kFetched);
  ASSERT_TRUE(a.ok() && a->content != nullptr);
  const std::string text = a->content->text_content();
  EXPECT_NE(text.find("Seneca wrote about the tides"), std::string::npos);
  EXPECT_EQ(text.find("original Latin"), std::string::npos);
}

}  // namespace
}  // namespace fg::extract
