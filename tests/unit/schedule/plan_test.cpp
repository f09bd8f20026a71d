#include "schedule/plan.hpp"

#include <gtest/gtest.h>

#include <set>

namespace fg::schedule {
namespace {

using namespace std::chrono_literals;
const TimePoint t0{};

PlanOptions exact() {
  PlanOptions o;
  o.jitter = 0;
  o.first_poll_spread = 0ms;
  o.spread_per_feed = 0ms;
  o.breaker = {2, 60s, 600s};
  o.seed = 1;
  return o;
}

const Outcome kOk{true, false, std::nullopt, false};
const Outcome kHttpError{false, false, std::nullopt, false};
const Outcome kUnreachable{false, true, std::nullopt, false};

std::vector<std::string> ids(const std::vector<DueStart>& starts) {
  std::vector<std::string> out;
  for (const auto& s : starts) out.push_back(s.feed_id);
  return out;
}

TEST(Plan, NewFeedsAreDueAtOnceAndThenAfterTheirInterval) {
  Plan p(exact());
  p.set_jobs({{"a", 10s, "a.cn"}, {"b", 30s, "b.cn"}}, t0);
  EXPECT_EQ(p.take_due(t0).size(), 2u);
  p.finished("a", kOk, t0 + 1s);
  p.finished("b", kOk, t0 + 1s);
  EXPECT_TRUE(p.take_due(t0 + 9s).empty());
  EXPECT_EQ(ids(p.take_due(t0 + 10s)), std::vector<std::string>{"a"});
  EXPECT_EQ(p.next_wakeup(), t0 + 30s);
}

TEST(Plan, ARunningFeedIsNeverStartedTwice) {
  Plan p(exact());
  p.set_jobs({{"a", 10s, ""}}, t0);
  ASSERT_EQ(p.take_due(t0).size(), 1u);
  p.poll_now("a", t0 + 1s);  // ignored while running
  EXPECT_TRUE(p.take_due(t0 + 100s).empty());
  EXPECT_FALSE(p.due_of("a"));
}

TEST(Plan, AnOverrunningPollWaitsAFullIntervalFromItsEnd) {
  Plan p(exact());
  p.set_jobs({{"a", 10s, ""}}, t0);
  ASSERT_EQ(p.take_due(t0).size(), 1u);
  p.finished("a", kOk, t0 + 25s);
  EXPECT_EQ(p.due_of("a"), t0 + 35s);
}

TEST(Plan, APollThatEndsInTimeKeepsItsPhase) {
  Plan p(exact());
  p.set_jobs({{"a", 10s, ""}}, t0);
  ASSERT_EQ(p.take_due(t0 + 2s).size(), 1u);  // started 2 s late
  p.finished("a", kOk, t0 + 3s);
  EXPECT_EQ(p.due_of("a"), t0 + 10s);  // due + interval, not end + interval
}

TEST(Plan, FailuresBackOffUpToTheFeedsCapAndASuccessResets) {
  Plan p(exact());
  Job job{"a", 10s, "a.cn", 35s};
  p.set_jobs({job}, t0);
  TimePoint now = t0;
  const milliseconds expected[] = {20s, 35s, 35s};
  for (milliseconds delay : expected) {
    ASSERT_EQ(p.take_due(now).size(), 1u);
    p.finished("a", kHttpError, now);
    EXPECT_EQ(p.due_of("a"), now + delay);
    now += delay;
  }
  EXPECT_EQ(p.failures("a"), 3);
  ASSERT_EQ(p.take_due(now).size(), 1u);
  p.finished("a", kOk, now);
  EXPECT_EQ(p.due_of("a"), now + 10s);
  EXPECT_EQ(p.failures("a"), 0);
}

TEST(Plan, RetryAfterPostponesBeyondTheBackoff) {
  Plan p(exact());
  p.set_jobs({{"a", 10s, "a.cn"}}, t0);
  ASSERT_EQ(p.take_due(t0).size(), 1u);
  p.finished("a", {false, false, 120s}, t0);
  EXPECT_EQ(p.due_of("a"), t0 + 120s);
}

TEST(Plan, JitterSpreadsFeedsWithTheSameInterval) {
  PlanOptions o = exact();
  o.first_poll_spread = 60s;
  Plan p(o);
  std::vector<Job> jobs;
  for (int i = 0; i < 100; ++i) jobs.push_back({"f" + std::to_string(i), 60s, ""});
  p.set_jobs(jobs, t0);
  std::set<TimePoint> first;
  for (const auto& j : jobs) {
    const auto due = p.due_of(j.feed_id);
    ASSERT_TRUE(due);
    ASSERT_LT(*due, t0 + 60s);
    first.insert(*due);
  }
  EXPECT_GT(first.size(), 90u);                 // 100 draws over 60,000 ms rarely collide
  EXPECT_LT(p.take_due(t0 + 30s).size(), 80u);  // about half are due by mid-interval
}

TEST(Plan, ThousandsOfFeedsSpreadOverTheirIntervalNotTheFirstSeconds) {
  PlanOptions o = exact();
  o.first_poll_spread = 2s;
  o.spread_per_feed = 30ms;
  Plan p(o);
  std::vector<Job> jobs;
  for (int i = 0; i < 2000; ++i) jobs.push_back({"f" + std::to_string(i), 60s, ""});
  p.set_jobs(jobs, t0);
  const std::size_t early = p.take_due(t0 + 2s).size();
  EXPECT_GT(early, 20u);  // ~2000 × 2/60 ≈ 67 start in the first two seconds
  EXPECT_LT(early, 200u);
  EXPECT_EQ(early + p.take_due(t0 + 60s).size(), 2000u);  // the rest within the interval
}

TEST(Plan, AnUnreachableHostTripsItsBreakerAndOtherHostsGoOn) {
  Plan p(exact());
  p.set_jobs({{"a1", 10s, "down.cn"}, {"a2", 10s, "down.cn"}, {"b", 10s, "up.cn"}}, t0);
  ASSERT_EQ(p.take_due(t0).size(), 3u);
  p.finished("a1", kUnreachable, t0 + 1s);
  p.finished("a2", kUnreachable, t0 + 1s);  // second strike: open until t0 + 61 s
  p.finished("b", kOk, t0 + 1s);
  EXPECT_EQ(ids(p.take_due(t0 + 40s)), std::vector<std::string>{"b"});
  p.finished("b", kOk, t0 + 40s);
  // a1 and a2 were moved past the cool-down; the first to come up is the one probe.
  auto probes = p.take_due(t0 + 63s);
  std::erase_if(probes, [](const DueStart& s) { return s.feed_id == "b"; });
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_TRUE(probes[0].probe);
  p.finished(probes[0].feed_id, kOk, t0 + 63s);  // reachable again: the breaker closes
  const std::string other = probes[0].feed_id == "a1" ? "a2" : "a1";
  ASSERT_TRUE(p.due_of(other));
  const auto rest = p.take_due(*p.due_of(other) + 1s);
  ASSERT_FALSE(rest.empty());
  EXPECT_FALSE(rest[0].probe);
}

TEST(Plan, RemovedFeedsStopAndARunningOneFinishesFirst) {
  Plan p(exact());
  p.set_jobs({{"keep", 10s, ""}, {"drop", 10s, ""}, {"busy", 10s, ""}}, t0);
  ASSERT_EQ(p.take_due(t0).size(), 3u);
  p.finished("keep", kOk, t0);
  p.finished("drop", kOk, t0);
  p.set_jobs({{"keep", 10s, ""}}, t0 + 1s);
  EXPECT_EQ(p.size(), 2u);  // busy is still running
  p.finished("busy", kOk, t0 + 2s);
  EXPECT_EQ(p.size(), 1u);
  EXPECT_EQ(ids(p.take_due(t0 + 100s)), std::vector<std::string>{"keep"});
}

TEST(Plan, PollNowMovesAFeedToTheFront) {
  Plan p(exact());
  p.set_jobs({{"a", 3600s, ""}}, t0);
  ASSERT_EQ(p.take_due(t0).size(), 1u);
  p.finished("a", kOk, t0);
  p.poll_now("a", t0 + 5s);
  EXPECT_EQ(p.next_wakeup(), t0 + 5s);
  EXPECT_EQ(p.take_due(t0 + 5s).size(), 1u);
}

}  // namespace
}  // namespace fg::schedule
