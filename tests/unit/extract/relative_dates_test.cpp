// Dates written against the time the page was read, on a fixed clock: every form, the precision
// kept, around midnight and New Year, and across both clock changes of a daylight-saving zone.
#include <gtest/gtest.h>

#include "core/time.hpp"
#include "extract/dates.hpp"
#include "extract/links.hpp"

namespace fg::extract {
namespace {

constexpr std::string_view kShanghai = "Asia/Shanghai";
constexpr std::string_view kNewYork = "America/New_York";

// An instant from an RFC 3339 text (the test's own clock readings).
Timestamp at(std::string_view rfc3339) {
  const auto t = find_date(rfc3339, "UTC");
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t ? t->utc : Timestamp{};
}

// 15:00 in Shanghai.
const Timestamp kAfternoon = at("2026-12-02T15:00:00+08:00");

// "RFC 3339 precision", or "none".
std::string relative(std::string_view text, Timestamp fetched = kAfternoon,
                     std::string_view zone = kShanghai) {
  const auto t = find_relative_date(text, zone, fetched);
  return t ? format_rfc3339(*t) + " " + std::string(precision_name(t->precision)) : "none";
}

std::string listed(std::string_view text, Timestamp fetched = kAfternoon,
                   std::string_view zone = kShanghai) {
  const auto t = find_list_date(text, zone, fetched);
  return t ? format_rfc3339(*t) + " " + std::string(precision_name(t->precision)) : "none";
}

TEST(RelativeDate, ChineseAgesKeepThePrecisionWritten) {
  EXPECT_EQ(relative("刚刚"), "2026-12-02T15:00:00+08:00 time");
  EXPECT_EQ(relative("30秒前"), "2026-12-02T14:59:30+08:00 time");
  EXPECT_EQ(relative("5分钟前"), "2026-12-02T14:55:00+08:00 time");
  EXPECT_EQ(relative("半小时前"), "2026-12-02T14:30:00+08:00 time");
  EXPECT_EQ(relative("3小时前"), "2026-12-02T12:00:00+08:00 hour");
  EXPECT_EQ(relative("1个小时前"), "2026-12-02T14:00:00+08:00 hour");
  EXPECT_EQ(relative("2天前"), "2026-11-30T00:00:00+08:00 day");
  EXPECT_EQ(relative("1周前"), "2026-11-25T00:00:00+08:00 day");
}

TEST(RelativeDate, MinutesAndHoursAreFlooredNotRounded) {
  const Timestamp later = at("2026-12-02T15:20:42+08:00");
  EXPECT_EQ(relative("5分钟前", later), "2026-12-02T15:15:00+08:00 time");
  EXPECT_EQ(relative("3小时前", later), "2026-12-02T12:00:00+08:00 hour");
  EXPECT_EQ(relative("10秒前", later), "2026-12-02T15:20:32+08:00 time");
}

TEST(RelativeDate, NamedDaysWithAndWithoutATime) {
  EXPECT_EQ(relative("今天 14:30"), "2026-12-02T14:30:00+08:00 time");
  EXPECT_EQ(relative("昨天 14:30"), "2026-12-01T14:30:00+08:00 time");
  EXPECT_EQ(relative("昨天14:30"), "2026-12-01T14:30:00+08:00 time");
  EXPECT_EQ(relative("前天 09:05"), "2026-11-30T09:05:00+08:00 time");
  EXPECT_EQ(relative("前天"), "2026-11-30T00:00:00+08:00 day");
  EXPECT_EQ(relative("发布于：昨天"), "2026-12-01T00:00:00+08:00 day");
}

TEST(RelativeDate, EnglishForms) {
  EXPECT_EQ(relative("Just now"), "2026-12-02T15:00:00+08:00 time");
  EXPECT_EQ(relative("5 minutes ago"), "2026-12-02T14:55:00+08:00 time");
  EXPECT_EQ(relative("a minute ago"), "2026-12-02T14:59:00+08:00 time");
  EXPECT_EQ(relative("an hour ago"), "2026-12-02T14:00:00+08:00 hour");
  EXPECT_EQ(relative("Updated 3 hours ago"), "2026-12-02T12:00:00+08:00 hour");
  EXPECT_EQ(relative("2 days ago"), "2026-11-30T00:00:00+08:00 day");
  EXPECT_EQ(relative("Yesterday"), "2026-12-01T00:00:00+08:00 day");
  EXPECT_EQ(relative("yesterday at 2:30 PM"), "2026-12-01T14:30:00+08:00 time");
}

TEST(RelativeDate, FullWidthDigitsCount) {
  EXPECT_EQ(relative("３小时前"), "2026-12-02T12:00:00+08:00 hour");
  EXPECT_EQ(relative("昨天　１４：３０"), "2026-12-01T14:30:00+08:00 time");
}

TEST(RelativeDate, NeverLaterThanTheFetch) {
  EXPECT_EQ(relative("今天 16:00"), "2026-12-02T15:00:00+08:00 time");
  EXPECT_EQ(relative("0秒前"), "2026-12-02T15:00:00+08:00 time");
}

TEST(RelativeDate, WordsThatAreNotDates) {
  EXPECT_EQ(relative("3天前，记者来到杭州市西湖区的一个社区，看到居民们正在排队接种疫苗。"),
            "none");
  EXPECT_EQ(relative("昨天下午"), "none");
  EXPECT_EQ(relative("今天的新闻"), "none");
  EXPECT_EQ(relative("Today's headlines"), "none");
  EXPECT_EQ(relative("5 minutes"), "none");
  EXPECT_EQ(relative("Chicago 3 hours"), "none");
  EXPECT_EQ(relative("admin 5 min"), "none");
  EXPECT_EQ(relative("v1.5小时前"), "none");
}

TEST(RelativeDate, ShortLineAmongLongOnes) {
  const std::string text =
      "3天前，记者来到杭州市西湖区的一个社区，看到居民们正在排队接种疫苗，现场秩序井然。\n"
      "来源：新华网 2小时前";
  EXPECT_EQ(relative(text), "2026-12-02T13:00:00+08:00 hour");
}

TEST(RelativeDate, AroundMidnight) {
  const Timestamp past_midnight = at("2026-12-02T00:10:00+08:00");
  EXPECT_EQ(relative("20分钟前", past_midnight), "2026-12-01T23:50:00+08:00 time");
  EXPECT_EQ(relative("1小时前", past_midnight), "2026-12-01T23:00:00+08:00 hour");
  EXPECT_EQ(relative("昨天 23:50", past_midnight), "2026-12-01T23:50:00+08:00 time");
  EXPECT_EQ(relative("今天 00:05", past_midnight), "2026-12-02T00:05:00+08:00 time");
  EXPECT_EQ(relative("1天前", past_midnight), "2026-12-01T00:00:00+08:00 day");
  // Still 1 December in UTC: the day is the zone's, not UTC's.
  EXPECT_EQ(relative("今天", past_midnight), "2026-12-02T00:00:00+08:00 day");
}

TEST(RelativeDate, DaylightSavingStartsInNewYork) {
  // 8 March 2026: clocks went from 02:00 EST to 03:00 EDT.
  const Timestamp noon = at("2026-03-08T12:00:00-04:00");
  EXPECT_EQ(relative("昨天 14:30", noon, kNewYork), "2026-03-07T14:30:00-05:00 time");
  EXPECT_EQ(relative("1天前", noon, kNewYork), "2026-03-07T00:00:00-05:00 day");
  EXPECT_EQ(relative("今天 01:30", noon, kNewYork), "2026-03-08T01:30:00-05:00 time");
  EXPECT_EQ(relative("10 hours ago", noon, kNewYork), "2026-03-08T01:00:00-05:00 hour");
  EXPECT_EQ(relative("12小时前", noon, kNewYork), "2026-03-07T23:00:00-05:00 hour");
  EXPECT_EQ(relative("2 minutes ago", noon, kNewYork), "2026-03-08T11:58:00-04:00 time");
}

TEST(RelativeDate, DaylightSavingEndsInNewYork) {
  // 1 November 2026: 01:00-02:00 happens twice; this is the second 01:30 (EST).
  const Timestamp second_half = at("2026-11-01T01:30:00-05:00");
  EXPECT_EQ(relative("5分钟前", second_half, kNewYork), "2026-11-01T01:25:00-05:00 time");
  EXPECT_EQ(relative("1小时前", second_half, kNewYork), "2026-11-01T01:00:00-04:00 hour");
  EXPECT_EQ(relative("昨天", second_half, kNewYork), "2026-10-31T00:00:00-04:00 day");
}

TEST(RelativeDate, UnknownZoneGivesNone) {
  EXPECT_EQ(relative("3小时前", kAfternoon, "Mars/Olympus_Mons"), "none");
}

TEST(FindDate, ReadsRelativeDatesOnlyWhenTheFetchIsKnown) {
  DateReading reading(kShanghai);
  EXPECT_FALSE(find_date("3小时前", reading).has_value());
  reading.fetched = kAfternoon;
  const auto t = find_date("3小时前", reading);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(format_rfc3339(*t), "2026-12-02T12:00:00+08:00");
  // A written date wins over a relative one in the same text.
  EXPECT_EQ(format_rfc3339(*find_date("3小时前 2020-01-29 08:00", reading)),
            "2020-01-29T08:00:00+08:00");
}

TEST(ListDate, EveryFormAListWritesBesideALink) {
  EXPECT_EQ(listed("2026-11-30"), "2026-11-30T00:00:00+08:00 day");
  EXPECT_EQ(listed("[2026-11-30 08:15]"), "2026-11-30T08:15:00+08:00 time");
  EXPECT_EQ(listed("12-01 09:30"), "2026-12-01T09:30:00+08:00 time");
  EXPECT_EQ(listed("(12-01)"), "2026-12-01T00:00:00+08:00 day");
  EXPECT_EQ(listed("11月28日"), "2026-11-28T00:00:00+08:00 day");
  EXPECT_EQ(listed("3小时前"), "2026-12-02T12:00:00+08:00 hour");
  EXPECT_EQ(listed("阅读 1024"), "none");
  EXPECT_EQ(listed("3-5"), "none");
}

TEST(ListDate, YearWithoutItIsTheOneNotInTheFuture) {
  // 12-05 would be three days ahead this year: it is last year's.
  EXPECT_EQ(listed("12-05 10:00"), "2025-12-05T10:00:00+08:00 time");
  // Within a day ahead is a clock apart, not last year: kept this year, no later than the fetch.
  EXPECT_EQ(listed("12-02 15:30"), "2026-12-02T15:00:00+08:00 time");
}

TEST(ListDate, AcrossNewYearInTheFeedsZone) {
  // 00:10 on 1 January in Shanghai is still 31 December in UTC.
  const Timestamp new_year = at("2027-01-01T00:10:00+08:00");
  EXPECT_EQ(listed("12-31 23:50", new_year), "2026-12-31T23:50:00+08:00 time");
  EXPECT_EQ(listed("01-01 00:05", new_year), "2027-01-01T00:05:00+08:00 time");
  EXPECT_EQ(listed("01-01", new_year), "2027-01-01T00:00:00+08:00 day");
}

}  // namespace
}  // namespace fg::extract
