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

TEST(Rfc3339, ParsesWhatFormatWrites) {
  const PublishedTime t{Timestamp{std::chrono::seconds{1796194800}}, std::chrono::hours{8}};
  EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t.utc);
  EXPECT_EQ(parse_rfc3339("2026-12-02T07:00:00Z"), t.utc);
  EXPECT_EQ(parse_rfc3339("2026-12-02T02:00:00.250-05:00"), t.utc);
  EXPECT_FALSE(parse_rfc3339("2026-12-02T07:00:00").has_value());  // no offset: no instant
  EXPECT_FALSE(parse_rfc3339("2026-12-02 07:00:00Z").has_value());
  EXPECT_FALSE(parse_rfc3339("2026-12-02T07:00:00+0800").has_value());
  EXPECT_FALSE(parse_rfc3339("yesterday").has_value());
}

}  // namespace
}  // namespace fg
