// Which publication time an item gets from its article page and the date beside its link.
#include <gtest/gtest.h>

#include "core/time.hpp"
#include "extract/article.hpp"
#include "extract/dates.hpp"
#include "extract/links.hpp"

namespace fg::extract {
namespace {

constexpr std::string_view kZone = "Asia/Shanghai";
const Timestamp kFetched = find_date("2026-12-02T15:00:00+08:00", "UTC")->utc;

std::optional<PublishedTime> written(std::string_view text) {
  return find_date(text, kZone);
}
std::optional<PublishedTime> beside(std::string_view text) {
  return find_list_date(text, kZone, kFetched);
}
std::string shown(const PublishedChoice& c) {
  return c.time ? format_rfc3339(*c.time) + " " + std::string(precision_name(c.time->precision))
                : "none";
}

TEST(ChoosePublished, ListDateWhenTheArticleHasNone) {
  const PublishedChoice c = choose_published(std::nullopt, beside("3小时前"), kFetched);
  EXPECT_EQ(shown(c), "2026-12-02T12:00:00+08:00 hour");
  EXPECT_NE(c.why.find("gives none"), std::string::npos) << c.why;
}

TEST(ChoosePublished, ListTimeOnTheArticlesDay) {
  const PublishedChoice c =
      choose_published(written("2026年12月01日"), beside("昨天 09:30"), kFetched);
  EXPECT_EQ(shown(c), "2026-12-01T09:30:00+08:00 time");
  EXPECT_NE(c.why.find("on the article page's day"), std::string::npos) << c.why;
  // The list's hour is finer than the article's day too.
  EXPECT_EQ(shown(choose_published(written("2026-12-02"), beside("3小时前"), kFetched)),
            "2026-12-02T12:00:00+08:00 hour");
}

TEST(ChoosePublished, ArticleWinsOtherwise) {
  // Another day: the article's own day stands.
  EXPECT_EQ(shown(choose_published(written("2026-11-28"), beside("昨天 09:30"), kFetched)),
            "2026-11-28T00:00:00+08:00 day");
  // The article's time of day is as precise as the list's.
  const PublishedChoice c =
      choose_published(written("2026-12-01 08:00"), beside("昨天 09:30"), kFetched);
  EXPECT_EQ(shown(c), "2026-12-01T08:00:00+08:00 time");
  EXPECT_EQ(c.why, "the article page's own");
  // A list day is no finer than an article's day.
  EXPECT_EQ(shown(choose_published(written("2026-12-01"), beside("12-01"), kFetched)),
            "2026-12-01T00:00:00+08:00 day");
}

TEST(ChoosePublished, NeverInTheFuture) {
  const PublishedChoice c = choose_published(written("2026-12-03 10:00"), std::nullopt, kFetched);
  EXPECT_EQ(shown(c), "2026-12-02T15:00:00+08:00 time");
  EXPECT_NE(c.why.find("moved back"), std::string::npos) << c.why;
}

TEST(ChoosePublished, NoneFromEither) {
  const PublishedChoice c = choose_published(std::nullopt, std::nullopt, kFetched);
  EXPECT_FALSE(c.time.has_value());
}

}  // namespace
}  // namespace fg::extract
