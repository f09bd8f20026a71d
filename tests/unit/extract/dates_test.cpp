#include "extract/dates.hpp"

#include <gtest/gtest.h>

#include "core/time.hpp"

namespace fg::extract {
namespace {

// The date found in `text` as RFC 3339, or "none".
std::string found(std::string_view text, std::string_view zone = "Asia/Shanghai") {
  const auto t = find_date(text, zone);
  return t ? format_rfc3339(*t) : "none";
}

TEST(FindDate, DashedDateTimeWithSeconds) {
  EXPECT_EQ(found("2020-01-29 01:17:24"), "2020-01-29T01:17:24+08:00");
}

TEST(FindDate, EnglishMonthNamedFirst) {
  EXPECT_EQ(found("Saturday, September 10th, 2005   10:56 pm", "UTC"), "2005-09-10T22:56:00+00:00");
  EXPECT_EQ(found("Posted on Jan 29, 2020 at 1:17 AM", "UTC"), "2020-01-29T01:17:00+00:00");
  EXPECT_EQ(found("Jun 7, 2023, 8:54 PM UTC"), "2023-06-07T20:54:00+00:00");
  EXPECT_EQ(found("Sept. 3rd, 2019", "UTC"), "2019-09-03T00:00:00+00:00");
  EXPECT_EQ(found("March 2020 issue, page 29, 2021 edition", "UTC"), "none");
}

TEST(FindDate, DashedDateTimeWithoutSeconds) {
  EXPECT_EQ(found("2020-01-29 01:17"), "2020-01-29T01:17:00+08:00");
}

TEST(FindDate, DashedDateOnlyIsLocalMidnight) {
  EXPECT_EQ(found("2020-01-29"), "2020-01-29T00:00:00+08:00");
}

TEST(FindDate, SlashedWithoutLeadingZeros) {
  EXPECT_EQ(found("2020/1/29 1:17"), "2020-01-29T01:17:00+08:00");
  EXPECT_EQ(found("2020/01/29"), "2020-01-29T00:00:00+08:00");
}

TEST(FindDate, ChineseDateWithColonTime) {
  EXPECT_EQ(found("2020年01月29日 01:17"), "2020-01-29T01:17:00+08:00");
}

TEST(FindDate, ChineseDateWithChineseTime) {
  EXPECT_EQ(found("2020年1月29日 01时17分"), "2020-01-29T01:17:00+08:00");
  EXPECT_EQ(found("2020年1月29日 8点05分30秒"), "2020-01-29T08:05:30+08:00");
}

TEST(FindDate, ChineseDateOnly) {
  EXPECT_EQ(found("2020年1月29日"), "2020-01-29T00:00:00+08:00");
}

TEST(FindDate, DottedDates) {
  EXPECT_EQ(found("2020.01.29 01:17"), "2020-01-29T01:17:00+08:00");
  EXPECT_EQ(found("2020.01.29"), "2020-01-29T00:00:00+08:00");
}

TEST(FindDate, Rfc3339KeepsWrittenOffset) {
  EXPECT_EQ(found("2020-01-29T01:17:24+08:00"), "2020-01-29T01:17:24+08:00");
  EXPECT_EQ(found("2020-01-29T01:17:24-05:00"), "2020-01-29T01:17:24-05:00");
}

TEST(FindDate, Rfc3339ZuluIgnoresLocalZone) {
  EXPECT_EQ(found("2020-01-28T17:17:24Z"), "2020-01-28T17:17:24+00:00");
}

TEST(FindDate, Rfc3339FractionalSecondsDropped) {
  EXPECT_EQ(found("2020-01-28T17:17:24.123456Z"), "2020-01-28T17:17:24+00:00");
  EXPECT_EQ(found("2020-01-29T01:17:24.5+08:00"), "2020-01-29T01:17:24+08:00");
}

TEST(FindDate, Rfc822WithNumericOffset) {
  EXPECT_EQ(found("Wed, 29 Jan 2020 01:17:24 +0800", "UTC"), "2020-01-29T01:17:24+08:00");
}

TEST(FindDate, Rfc822Gmt) {
  EXPECT_EQ(found("Tue, 28 Jan 2020 17:17:24 GMT"), "2020-01-28T17:17:24+00:00");
}

TEST(FindDate, Rfc822WithoutZoneIsLocal) {
  EXPECT_EQ(found("29 Jan 2020 01:17"), "2020-01-29T01:17:00+08:00");
}

TEST(FindDate, EightDigitRunIsNotADate) {
  EXPECT_EQ(found("20200129"), "none");
  EXPECT_EQ(found("稿件编号 20200129 发布 2020-01-30"), "2020-01-30T00:00:00+08:00");
}

TEST(FindDate, FullWidthDigitsAndColons) {
  EXPECT_EQ(found("２０２０－０１－２９　０１：１７：２４"), "2020-01-29T01:17:24+08:00");
  EXPECT_EQ(found("２０２０年１月２９日　０１：１７"), "2020-01-29T01:17:00+08:00");
}

TEST(FindDate, SeedDateLine) {
  EXPECT_EQ(found("2020-01-29 01:17:24;杭州网"), "2020-01-29T01:17:24+08:00");
}

TEST(FindDate, DateAfterLabelAndBeforeSource) {
  EXPECT_EQ(found("发布时间:2020-01-29 01:17:24 来源: 新华网"), "2020-01-29T01:17:24+08:00");
}

TEST(FindDate, FirstDateWins) {
  EXPECT_EQ(found("2020-01-29 更新于 2020-02-01 10:00"), "2020-01-29T00:00:00+08:00");
}

TEST(FindDate, InvalidCalendarDatesAreSkipped) {
  EXPECT_EQ(found("2020-13-01"), "none");
  EXPECT_EQ(found("2019-02-29"), "none");
  EXPECT_EQ(found("2020-02-30 then 2020-02-29"), "2020-02-29T00:00:00+08:00");
  EXPECT_EQ(found("2020-04-31"), "none");
}

TEST(FindDate, InvalidTimeFallsBackToDate) {
  EXPECT_EQ(found("2020-01-29 24:00"), "2020-01-29T00:00:00+08:00");
  EXPECT_EQ(found("2020-01-29 10:60"), "2020-01-29T00:00:00+08:00");
}

TEST(FindDate, YearOutsideRangeIsSkipped) {
  EXPECT_EQ(found("1989-06-01"), "none");
  EXPECT_EQ(found("2101-01-01"), "none");
  EXPECT_EQ(found("1990-01-01"), "1990-01-01T00:00:00+08:00");
}

TEST(FindDate, MixedSeparatorsAreNotADate) {
  EXPECT_EQ(found("2020-01/29"), "none");
}

TEST(FindDate, NoDateInText) {
  EXPECT_EQ(found("新华社北京1月28日电"), "none");
  EXPECT_EQ(found(""), "none");
}

TEST(FindDate, DstZoneUsesSummerOffset) {
  EXPECT_EQ(found("2020-07-04 12:00", "America/New_York"), "2020-07-04T12:00:00-04:00");
  EXPECT_EQ(found("2020-01-29 12:00", "America/New_York"), "2020-01-29T12:00:00-05:00");
}

TEST(FindDate, InstantIsUtcBehindLocal) {
  const auto t = find_date("2020-01-29 01:17:24", "Asia/Shanghai");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(t->utc), "2020-01-28T17:17:24Z");
  EXPECT_EQ(t->offset, std::chrono::minutes(480));
}

TEST(FindDate, UnknownZoneGivesNoLocalDate) {
  EXPECT_EQ(found("2020-01-29 01:17", "Mars/Olympus"), "none");
  EXPECT_EQ(found("2020-01-29T01:17:00+00:00", "Mars/Olympus"), "2020-01-29T01:17:00+00:00");
}

TEST(FindDate, DateOnlyHasDayPrecisionAndTimeHasTimePrecision) {
  const auto day = find_date("2020年1月29日", "Asia/Shanghai");
  const auto timed = find_date("2020年1月29日 08:05", "Asia/Shanghai");
  ASSERT_TRUE(day && timed);
  EXPECT_EQ(day->precision, TimePrecision::day);
  EXPECT_EQ(timed->precision, TimePrecision::time);
}

TEST(FindDate, MonthDayYearWithMeridiem) {
  EXPECT_EQ(found("发布日期： 7/15/2005 9:23:57 PM"), "2005-07-15T21:23:57+08:00");
  EXPECT_EQ(found("7/15/2005 12:05 AM"), "2005-07-15T00:05:00+08:00");
  EXPECT_EQ(found("7/15/2005 12:05 PM"), "2005-07-15T12:05:00+08:00");
}

TEST(FindDate, DayFirstWhenTheFirstNumberCannotBeAMonthOrWithDots) {
  EXPECT_EQ(found("15/7/2005 21:23"), "2005-07-15T21:23:00+08:00");
  EXPECT_EQ(found("5.7.2005 21:23"), "2005-07-05T21:23:00+08:00");
}

TEST(FindDate, SlashedDateWithoutTimeIsNotRead) {
  EXPECT_EQ(found("12/01/2004 - 01/01/2005"), "none");  // a blog's archive range
}

TEST(FindDate, AmbiguousSlashedDateFollowsThePageOrder) {
  DateReading reading("Asia/Shanghai");
  EXPECT_EQ(format_rfc3339(*find_date("7/5/2005 9:00 PM", reading)), "2005-07-05T21:00:00+08:00");
  reading.order = DayMonthOrder::day_first;
  EXPECT_EQ(format_rfc3339(*find_date("7/5/2005 9:00 PM", reading)), "2005-05-07T21:00:00+08:00");
}

TEST(FindDate, AmbiguousSlashedDateTakesTheReadingClosestToTheReference) {
  DateReading reading("Asia/Shanghai");
  reading.order = DayMonthOrder::day_first;
  reading.reference = [] { return find_date("2005-07-03", "Asia/Shanghai"); };
  EXPECT_EQ(format_rfc3339(*find_date("7/5/2005 9:00 PM", reading)), "2005-07-05T21:00:00+08:00");
  reading.unambiguous_only = true;
  EXPECT_FALSE(find_date("7/5/2005 9:00 PM", reading));
}

// `now` for the yearless tests: 2021-03-01T00:00:00Z.
const Timestamp kNow = find_date("2021-03-01T00:00:00+00:00", "UTC")->utc;

std::string yearless(std::string_view text, const DateReading& reading) {
  const auto t = find_yearless_date(text, reading, kNow);
  return t ? format_rfc3339(*t) : "none";
}

TEST(FindYearlessDate, YearOfTheReferenceClosestAcrossNewYear) {
  DateReading reading("Asia/Shanghai");
  reading.reference = [] { return find_date("2020-01-02 10:00", "Asia/Shanghai"); };
  EXPECT_EQ(yearless("发布时间：01-14 17:58", reading), "2020-01-14T17:58:00+08:00");
  EXPECT_EQ(yearless("12-31 23:10", reading), "2019-12-31T23:10:00+08:00");
  EXPECT_EQ(yearless("1月14日 17:58", reading), "2020-01-14T17:58:00+08:00");
}

TEST(FindYearlessDate, CurrentYearNeverInTheFuture) {
  const DateReading reading("Asia/Shanghai");
  EXPECT_EQ(yearless("02-27 08:00", reading), "2021-02-27T08:00:00+08:00");
  EXPECT_EQ(yearless("11-30 08:00", reading), "2020-11-30T08:00:00+08:00");
}

TEST(FindYearlessDate, NeedsATimeAndIsNotPartOfAFullDate) {
  const DateReading reading("Asia/Shanghai");
  EXPECT_EQ(yearless("比分 01-14", reading), "none");
  EXPECT_EQ(yearless("新华社北京1月28日电", reading), "none");
  EXPECT_EQ(yearless("版本 3.01-14 17:58", reading), "none");
}

TEST(FindIssueMonth, PeriodicalIssueAfterTitleMarks) {
  const auto t = find_issue_month("——《北京之春》1998年3月号", "Asia/Shanghai");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "1998-03-01T00:00:00+08:00");
  EXPECT_EQ(t->precision, TimePrecision::month);
  EXPECT_FALSE(find_issue_month("《北京之春》是一本杂志", "Asia/Shanghai"));
  EXPECT_FALSE(find_issue_month("1998年3月号", "Asia/Shanghai"));
}

TEST(CheckTimezone, KnownAndUnknownNames) {
  EXPECT_TRUE(check_timezone("Asia/Shanghai").ok());
  EXPECT_TRUE(check_timezone("America/New_York").ok());
  const auto bad = check_timezone("Asia/Hangzhou");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::not_found);
  EXPECT_NE(bad.error().message.find("Asia/Hangzhou"), std::string::npos);
}

}  // namespace
}  // namespace fg::extract
