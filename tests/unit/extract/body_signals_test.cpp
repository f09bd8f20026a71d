// Body signals meant to hold across sites (issue 13), each on a minimal fixture named after
// what it exercises.

#include <gtest/gtest.h>

#include "extract/article.hpp"
#include "support/extract_fixtures.hpp"

namespace fg::extract {
namespace {

struct Body {
  std::string text;  // the chosen body's text, read while its page is alive
  ExtractedArticle article;
};

Body extract_body(const std::string& fixture) {
  parse::Document page = test::load(fixture);
  auto a = extract_article(page, "https://blog.example.com/2012/10/post.html", {}, test::kFetched);
  EXPECT_TRUE(a.ok()) << a.error().describe();
  if (!a.ok() || a->content == nullptr) return {};
  std::string text = a->content->text_content();
  return {std::move(text), std::move(*a)};
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A blog theme's post and its comment list share one container: the comments go, the post stays.
TEST(BodySignals, CommentSectionInsideThePostsContainerIsTakenOut) {
  const Body b = extract_body("comments_inside_post_container.html");
  EXPECT_TRUE(has(b.text, "foam earplugs"));
  EXPECT_TRUE(has(b.text, "fall asleep without them"));
  EXPECT_FALSE(has(b.text, "wax kind"));
  EXPECT_FALSE(has(b.text, "White noise"));
  EXPECT_TRUE(test::explains(b.article, "[body.inner_comments]"));
}

// A <span> around a whole comment list is a wrapper, not one long paragraph of its parent.
TEST(BodySignals, InlineWrapperAroundBlocksIsNotAParagraph) {
  const Body b = extract_body("span_wrapping_comment_list.html");
  EXPECT_TRUE(has(b.text, "case for spending wisely"));
  EXPECT_FALSE(has(b.text, "Nobody asked"));
  EXPECT_TRUE(test::explains(b.article, "body candidate div#article-body-blocks"));
}

// An ad's <iframe> fallback markup is never text: the article wins over the ad slot.
TEST(BodySignals, IframeFallbackTextIsNotBodyText) {
  const Body b = extract_body("ad_iframe_fallback_text.html");
  EXPECT_TRUE(has(b.text, "Recent buyers will get the upgrade"));
  EXPECT_FALSE(has(b.text, "without frames"));
  EXPECT_FALSE(has(b.article.explain.front() + b.text, "sz=728x90"));
}

// An article that goes on in a list of sentences: the list is its text, so the article wins
// over a longer paragraph elsewhere.
TEST(BodySignals, ListOfSentencesCountsAsTheArticlesText) {
  const Body b = extract_body("prose_list_continuing_article.html");
  EXPECT_TRUE(has(b.text, "round-up"));
  EXPECT_TRUE(has(b.text, "profile before optimizing"));
  EXPECT_FALSE(has(b.text, "twenty years"));
}

// Items cut short with an ellipsis are teasers of other pages: a list of them beside a short
// article does not outweigh it.
TEST(BodySignals, TeaserListWithExcerptsDoesNotOutweighTheArticle) {
  const Body b = extract_body("teaser_list_beside_short_article.html");
  EXPECT_TRUE(has(b.text, "播客是一种新的网络广播方式"));
  EXPECT_FALSE(has(b.text, "最新回复"));
}

}  // namespace
}  // namespace fg::extract
