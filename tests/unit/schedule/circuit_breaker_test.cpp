#include "schedule/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace fg::schedule {
namespace {

using namespace std::chrono_literals;
using Verdict = CircuitBreakers::Verdict;
const CircuitBreakers::TimePoint t0{};

CircuitBreakers three_strikes() {
  return CircuitBreakers({3, 60s, 300s});
}

TEST(CircuitBreaker, StaysClosedBelowTheThreshold) {
  auto b = three_strikes();
  b.record("a.cn", true, false, t0);
  b.record("a.cn", true, false, t0);
  EXPECT_EQ(b.admit("a.cn", t0).verdict, Verdict::go);
  EXPECT_FALSE(b.open_until("a.cn"));
}

TEST(CircuitBreaker, OpensAfterConsecutiveConnectionFailuresOnlyForThatHost) {
  auto b = three_strikes();
  for (int i = 0; i < 3; ++i) b.record("a.cn", true, false, t0);
  const auto d = b.admit("a.cn", t0 + 10s);
  EXPECT_EQ(d.verdict, Verdict::wait);
  EXPECT_EQ(d.retry_at, t0 + 60s);
  EXPECT_EQ(b.admit("b.cn", t0 + 10s).verdict, Verdict::go);
}

TEST(CircuitBreaker, AnAnswerInBetweenResetsTheCount) {
  auto b = three_strikes();
  b.record("a.cn", true, false, t0);
  b.record("a.cn", true, false, t0);
  b.record("a.cn", false, false, t0);  // e.g. an HTTP 500: the host is reachable
  b.record("a.cn", true, false, t0);
  EXPECT_EQ(b.admit("a.cn", t0).verdict, Verdict::go);
}

TEST(CircuitBreaker, AfterTheCooldownOneProbeGoesAndOthersWait) {
  auto b = three_strikes();
  for (int i = 0; i < 3; ++i) b.record("a.cn", true, false, t0);
  EXPECT_EQ(b.admit("a.cn", t0 + 60s).verdict, Verdict::probe);
  EXPECT_EQ(b.admit("a.cn", t0 + 61s).verdict, Verdict::wait);
}

TEST(CircuitBreaker, ASuccessfulProbeClosesIt) {
  auto b = three_strikes();
  for (int i = 0; i < 3; ++i) b.record("a.cn", true, false, t0);
  ASSERT_EQ(b.admit("a.cn", t0 + 60s).verdict, Verdict::probe);
  b.record("a.cn", false, true, t0 + 61s);
  EXPECT_EQ(b.admit("a.cn", t0 + 62s).verdict, Verdict::go);
  EXPECT_FALSE(b.open_until("a.cn"));
}

TEST(CircuitBreaker, AFailedProbeReopensForTwiceAsLongUpToTheCap) {
  auto b = three_strikes();
  for (int i = 0; i < 3; ++i) b.record("a.cn", true, false, t0);
  ASSERT_EQ(b.admit("a.cn", t0 + 60s).verdict, Verdict::probe);
  b.record("a.cn", true, true, t0 + 60s);
  EXPECT_EQ(b.open_until("a.cn"), t0 + 180s);  // 60 s + 120 s
  ASSERT_EQ(b.admit("a.cn", t0 + 180s).verdict, Verdict::probe);
  b.record("a.cn", true, true, t0 + 180s);
  EXPECT_EQ(b.open_until("a.cn"), t0 + 420s);  // + 240 s
  ASSERT_EQ(b.admit("a.cn", t0 + 420s).verdict, Verdict::probe);
  b.record("a.cn", true, true, t0 + 420s);
  EXPECT_EQ(b.open_until("a.cn"), t0 + 720s);  // + 300 s, the cap
}

TEST(CircuitBreaker, FilesHaveNoHostAndNeverTrip) {
  auto b = three_strikes();
  for (int i = 0; i < 10; ++i) b.record("", true, false, t0);
  EXPECT_EQ(b.admit("", t0).verdict, Verdict::go);
}

}  // namespace
}  // namespace fg::schedule
