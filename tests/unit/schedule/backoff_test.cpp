#include "schedule/backoff.hpp"

#include <gtest/gtest.h>

namespace fg::schedule {
namespace {

using namespace std::chrono_literals;

TEST(NextDelay, IntervalAfterSuccess) {
  EXPECT_EQ(next_delay(60s, 0, 6h), 60s);
}

TEST(NextDelay, DoublesPerFailureAndCaps) {
  EXPECT_EQ(next_delay(60s, 1, 6h), 120s);
  EXPECT_EQ(next_delay(60s, 3, 6h), 480s);
  EXPECT_EQ(next_delay(60s, 30, 6h), 6h);
}

TEST(NextDelay, NeverBelowTheInterval) {
  EXPECT_EQ(next_delay(10h, 2, 6h), 10h);
}

TEST(NextDelay, ASmallCapStopsTheDoublingEarly) {
  EXPECT_EQ(next_delay(10s, 5, 25s), 25s);
}

TEST(RetryAfter, WaitsAtLeastAsLongAsThePortalAsked) {
  EXPECT_EQ(honour_retry_after(60s, 300s), 300s);
  EXPECT_EQ(honour_retry_after(600s, 300s), 600s);  // the backoff is already longer
  EXPECT_EQ(honour_retry_after(60s, std::nullopt), 60s);
}

TEST(RetryAfter, APortalCannotParkAFeedForMoreThanADay) {
  EXPECT_EQ(honour_retry_after(60s, 1000h), 24h);
}

TEST(Jitter, StaysWithinTheFractionAndVaries) {
  std::mt19937_64 rng(7);
  milliseconds low = 100s, high = 0s;
  for (int i = 0; i < 1000; ++i) {
    const milliseconds d = jittered(100s, 0.1, 0s, rng);
    ASSERT_GE(d, 90s);
    ASSERT_LE(d, 110s);
    low = std::min(low, d);
    high = std::max(high, d);
  }
  EXPECT_LT(low, 95s);  // 1,000 draws cover both halves of the ±10 s band
  EXPECT_GT(high, 105s);
}

TEST(Jitter, TheSwingCapBoundsLongDelays) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const milliseconds d = jittered(3600s, 0.1, 30s, rng);
    ASSERT_GE(d, 3570s);
    ASSERT_LE(d, 3630s);
  }
}

TEST(Jitter, ZeroFractionIsExact) {
  std::mt19937_64 rng(7);
  EXPECT_EQ(jittered(42s, 0.0, 0s, rng), 42s);
}

}  // namespace
}  // namespace fg::schedule
