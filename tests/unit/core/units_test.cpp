#include "core/units.hpp"

#include <gtest/gtest.h>

namespace fg {
namespace {

using namespace std::chrono_literals;

TEST(ParseDuration, SingleUnits) {
  EXPECT_EQ(*parse_duration("90s"), 90s);
  EXPECT_EQ(*parse_duration("15m"), 15min);
  EXPECT_EQ(*parse_duration("1h"), 1h);
  EXPECT_EQ(*parse_duration("250ms"), 250ms);
  EXPECT_EQ(*parse_duration("2d"), 48h);
}

TEST(ParseDuration, CombinedUnits) {
  EXPECT_EQ(*parse_duration("1h30m"), 90min);
}

TEST(ParseDuration, RejectsMalformedWithAMessage) {
  for (const char* bad : {"", "15", "m15", "15x", "1.5h", "-5m", "15 m"}) {
    auto r = parse_duration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::parse);
    EXPECT_NE(r.error().message.find("90s, 15m"), std::string::npos) << r.error().message;
  }
}

TEST(ParseSize, BinaryAndDecimalUnits) {
  EXPECT_EQ(*parse_size("512KiB"), 512u * 1024);
  EXPECT_EQ(*parse_size("8MiB"), 8u * 1024 * 1024);
  EXPECT_EQ(*parse_size("2GiB"), 2ull * 1024 * 1024 * 1024);
  EXPECT_EQ(*parse_size("3KB"), 3000u);
  EXPECT_EQ(*parse_size("100"), 100u);
  EXPECT_EQ(*parse_size("7B"), 7u);
}

TEST(ParseSize, RejectsUnknownUnits) {
  EXPECT_FALSE(parse_size("8mb").ok());
  EXPECT_FALSE(parse_size("MiB").ok());
  EXPECT_FALSE(parse_size("99999999999999999999GiB").ok());
}

TEST(FormatDuration, ShortestSpelling) {
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(15min), "15m");
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(48h), "2d");
  EXPECT_EQ(format_duration(250ms), "250ms");
}

}  // namespace
}  // namespace fg
