#include "core/time.hpp"

#include <gtest/gtest.h>

namespace fg {
namespace {

using namespace std::chrono;

// 2020-01-28T17:17:24Z, i.e. 2020-01-29 01:17:24 in Hangzhou.
constexpr Timestamp kSeedInstant{seconds{1580231844}};

TEST(FormatRfc3339, KeepsThePublishersOffset) {
  EXPECT_EQ(format_rfc3339(PublishedTime{kSeedInstant, hours{8}}), "2020-01-29T01:17:24+08:00");
  EXPECT_EQ(format_rfc3339(PublishedTime{kSeedInstant, minutes{-330}}),
            "2020-01-28T11:47:24-05:30");
}

TEST(FormatRfc3339, UtcUsesZ) {
  EXPECT_EQ(format_rfc3339(kSeedInstant), "2020-01-28T17:17:24Z");
}

TEST(FormatRfc822, NumericOffset) {
  EXPECT_EQ(format_rfc822(PublishedTime{kSeedInstant, hours{8}}),
            "Wed, 29 Jan 2020 01:17:24 +0800");
}

TEST(HttpDate, FormatsAndParsesImfFixdate) {
  EXPECT_EQ(format_http_date(kSeedInstant), "Tue, 28 Jan 2020 17:17:24 GMT");
  EXPECT_EQ(parse_http_date("Tue, 28 Jan 2020 17:17:24 GMT"), kSeedInstant);
  EXPECT_FALSE(parse_http_date("yesterday").has_value());
  EXPECT_FALSE(parse_http_date("").has_value());
}

}  // namespace
}  // namespace fg
