#include <gtest/gtest.h>

#include "shape/shape.hpp"

namespace fg::shape {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const Timestamp kNow{seconds{1'700'000'000}};

render::FeedItem item(std::string title, std::string text, std::string author,
                      Timestamp first_seen = kNow) {
  render::FeedItem it;
  it.article.url = "https://news.example.cn/" + title;
  it.article.title = std::move(title);
  it.article.text = std::move(text);
  it.article.content_html = "<p>" + it.article.text + "</p>";
  it.article.author = std::move(author);
  it.first_seen = first_seen;
  return it;
}

std::vector<render::FeedItem> sample() {
  return {item("Hangzhou metro opens", "Line 19 runs to the airport.", "王明"),
          item("杭州 亚运 场馆", "赛后开放", "李华"), item("Weather", "Rain in Zhejiang", "")};
}

std::vector<std::string> titles_after(std::string_view query) {
  auto spec = parse_query(query);
  EXPECT_TRUE(spec) << spec.error().describe();
  auto shaper = Shaper::compile(*spec);
  EXPECT_TRUE(shaper) << shaper.error().describe();
  std::vector<std::string> titles;
  for (const auto& it : (*shaper)->apply(sample(), kNow)) titles.push_back(it.article.title);
  return titles;
}

using Titles = std::vector<std::string>;

TEST(Shaper, EachIncludeField) {
  EXPECT_EQ(titles_after("filter_title=metro|Weather"),
            (Titles{"Hangzhou metro opens", "Weather"}));
  EXPECT_EQ(titles_after("filter_description=Zhejiang"), Titles{"Weather"});
  EXPECT_EQ(titles_after("filter_author=^李"), Titles{"杭州 亚运 场馆"});
  // `filter` reads the title or the description.
  EXPECT_EQ(titles_after("filter=亚运|airport"),
            (Titles{"Hangzhou metro opens", "杭州 亚运 场馆"}));
}

TEST(Shaper, EachExcludeField) {
  EXPECT_EQ(titles_after("filterout_title=Weather"),
            (Titles{"Hangzhou metro opens", "杭州 亚运 场馆"}));
  EXPECT_EQ(titles_after("filterout_description=开放|airport"), Titles{"Weather"});
  EXPECT_EQ(titles_after("filterout_author=王"), (Titles{"杭州 亚运 场馆", "Weather"}));
  EXPECT_EQ(titles_after("filterout=亚运|Rain"), Titles{"Hangzhou metro opens"});
}

TEST(Shaper, EveryPatternMustAgree) {
  EXPECT_EQ(titles_after("filter=a&filterout_title=Weather"), Titles{"Hangzhou metro opens"});
  EXPECT_EQ(titles_after("filter_title=a&filter_author=王"), Titles{"Hangzhou metro opens"});
}

TEST(Shaper, DescriptionFallsBackToTheTitle) {
  std::vector<render::FeedItem> items = {item("only a title", "", "")};
  auto shaper = Shaper::compile(*parse_query("filter_description=only"));
  ASSERT_TRUE(shaper);
  EXPECT_EQ((*shaper)->apply(items, kNow).size(), 1u);
}

TEST(Shaper, CaseSensitiveByDefault) {
  EXPECT_EQ(titles_after("filter_title=hangzhou"), Titles{});
  EXPECT_EQ(titles_after("filter_title=hangzhou&filter_case_sensitive=false"),
            Titles{"Hangzhou metro opens"});
}

TEST(Shaper, PatternsRe2RejectsNameTheParameter) {
  for (const char* query : {"filter_title=(unclosed", "filterout=a**", "filter_author=(?<=x)y"}) {
    auto shaper = Shaper::compile(*parse_query(query));
    ASSERT_FALSE(shaper) << query;
    const std::string name = std::string(query).substr(0, std::string(query).find('='));
    EXPECT_EQ(shaper.error().message.rfind(name + ": invalid regular expression", 0), 0u)
        << shaper.error().message;
    EXPECT_EQ(shaper.error().code, Errc::invalid_argument);
  }
}

TEST(Shaper, BackreferencesAreRefusedNotRunSlowly) {
  auto shaper = Shaper::compile(*parse_query("filter_title=(a)\\1"));
  EXPECT_FALSE(shaper);
}

TEST(Shaper, CatastrophicPatternRunsInLinearTime) {
  // (a+)+$ on "aaaa...b" takes exponential time in a backtracking engine; RE2 is linear.
  std::vector<render::FeedItem> items = {item(std::string(100'000, 'a') + "b", "", "")};
  auto shaper = Shaper::compile(*parse_query("filter_title=(a%2B)%2B$"));
  ASSERT_TRUE(shaper) << shaper.error().describe();
  EXPECT_TRUE((*shaper)->apply(items, kNow).empty());
}

TEST(Shaper, FilterTimeReadsPublishedElseFirstSeenAgainstTheClock) {
  std::vector<render::FeedItem> items = {item("fresh", "", "", kNow - hours(1)),
                                         item("stale", "", "", kNow - hours(5)),
                                         item("dated", "", "", kNow)};
  items[2].article.published = PublishedTime{kNow - hours(3)};
  auto shaper = Shaper::compile(*parse_query("filter_time=7200"));
  ASSERT_TRUE(shaper);
  const auto kept = (*shaper)->apply(items, kNow);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].article.title, "fresh");
  // Kept until its age passes two hours.
  EXPECT_EQ((*shaper)->next_expiry(kept), kNow + hours(1) + seconds(1));
  EXPECT_EQ((*shaper)->apply(items, kNow + hours(1) + seconds(1)).size(), 0u);
  // At four hours, "dated" (published three hours ago) is back in range: it never was at kNow.
  EXPECT_EQ((*shaper)->apply(items, kNow - hours(2)).size(), 2u);
}

TEST(Shaper, LimitCountsAfterFiltering) {
  EXPECT_EQ(titles_after("filterout_title=Hangzhou&limit=1"), Titles{"杭州 亚运 场馆"});
}

TEST(Shaper, BriefIsPlainTextOfAtMostNCharacters) {
  std::string long_text;
  for (int i = 0; i < 150; ++i) long_text += "字";
  std::vector<render::FeedItem> items = {item("t", long_text, ""), item("u", "short & <b>", "")};
  items[0].article.content_html = "<p><a href=\"https://x.example/\">link</a>" + long_text + "</p>";
  auto shaper = Shaper::compile(*parse_query("brief=100"));
  ASSERT_TRUE(shaper);
  const auto out = (*shaper)->apply(items, kNow);
  std::string expected;
  for (int i = 0; i < 99; ++i) expected += "字";
  expected += "…";
  EXPECT_EQ(out[0].article.text, expected);
  EXPECT_EQ(out[0].article.content_html, "<p>" + expected + "</p>");
  EXPECT_EQ(out[1].article.text, "short & <b>");
  EXPECT_EQ(out[1].article.content_html, "<p>short &amp; &lt;b&gt;</p>");
}

TEST(Shaper, BriefTextCountsCodePoints) {
  const std::string hundred(100, 'x');
  EXPECT_EQ(brief_text(hundred, 100), hundred);
  EXPECT_EQ(brief_text(hundred + "y", 100), std::string(99, 'x') + "…");
  EXPECT_EQ(brief_text("  padded  ", 100), "padded");
}

}  // namespace
}  // namespace fg::shape
