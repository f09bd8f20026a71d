// Politeness bookkeeping with explicit times: slots, minimum gap, Retry-After pauses.

#include "fetch/host_limits.hpp"

#include <gtest/gtest.h>

namespace fg::fetch {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using V = HostLimits::Verdict;

const HostLimits::TimePoint t0 = HostLimits::TimePoint{} + seconds(1000);

TEST(HostLimits, PerHostSlotsAreIndependentOfOtherHosts) {
  HostLimits limits(8, 2, milliseconds(0));
  limits.started("a.example", t0);
  limits.started("a.example", t0);
  EXPECT_EQ(limits.check("a.example", t0).verdict, V::wait_slot);
  EXPECT_EQ(limits.check("b.example", t0).verdict, V::start);
  limits.finished("a.example");
  EXPECT_EQ(limits.check("a.example", t0).verdict, V::start);
}

TEST(HostLimits, GlobalConcurrencyCapsEveryHost) {
  HostLimits limits(2, 2, milliseconds(0));
  limits.started("a.example", t0);
  limits.started("b.example", t0);
  EXPECT_EQ(limits.in_flight(), 2);
  EXPECT_EQ(limits.check("c.example", t0).verdict, V::wait_slot);
  EXPECT_EQ(limits.check("", t0).verdict, V::wait_slot);  // files count too
  limits.finished("b.example");
  EXPECT_EQ(limits.check("c.example", t0).verdict, V::start);
}

TEST(HostLimits, MinimumGapBetweenStartsToOneHost) {
  HostLimits limits(8, 4, milliseconds(1000));
  limits.started("a.example", t0);
  limits.finished("a.example");
  const auto d = limits.check("a.example", t0 + milliseconds(400));
  EXPECT_EQ(d.verdict, V::wait_until);
  EXPECT_EQ(d.at, t0 + milliseconds(1000));
  EXPECT_EQ(limits.check("a.example", t0 + milliseconds(1000)).verdict, V::start);
  EXPECT_EQ(limits.check("b.example", t0 + milliseconds(1)).verdict, V::start);
}

TEST(HostLimits, FilesHaveNoGap) {
  HostLimits limits(8, 1, milliseconds(1000));
  limits.started("", t0);
  EXPECT_EQ(limits.check("", t0).verdict, V::start);
}

TEST(HostLimits, PauseRefusesUntilItEndsAndTheLaterPauseWins) {
  HostLimits limits(8, 2, milliseconds(0));
  limits.pause("a.example", t0 + seconds(120));
  limits.pause("a.example", t0 + seconds(30));  // an earlier end does not shorten the pause
  const auto d = limits.check("a.example", t0 + seconds(10));
  EXPECT_EQ(d.verdict, V::paused);
  EXPECT_EQ(d.at, t0 + seconds(120));
  EXPECT_EQ(limits.check("a.example", t0 + seconds(120)).verdict, V::start);
  EXPECT_EQ(limits.check("b.example", t0 + seconds(10)).verdict, V::start);
}

TEST(RetryAfter, DeltaSecondsAndHttpDates) {
  // 1580260644 is Wed, 29 Jan 2020 01:17:24 GMT.
  const std::int64_t now = 1580260644;
  EXPECT_EQ(parse_retry_after("120", now), seconds(120));
  EXPECT_EQ(parse_retry_after(" 0 ", now), seconds(0));
  EXPECT_EQ(parse_retry_after("Wed, 29 Jan 2020 01:19:24 GMT", now), seconds(120));
  EXPECT_EQ(parse_retry_after("Wed, 29 Jan 2020 01:00:00 GMT", now), seconds(0));  // past
  EXPECT_EQ(parse_retry_after("9999999", now), seconds(24 * 3600));                // capped
  EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
}

}  // namespace
}  // namespace fg::fetch
