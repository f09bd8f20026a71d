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
  EXPECT_EQ(found("2020-01-29T01:17:00Z", "Mars/Olympus"), "2020-01-29T01:17:00+00:00");
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
