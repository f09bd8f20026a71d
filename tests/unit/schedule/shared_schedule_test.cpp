// The Scheduler with a SharedSchedule (several instances on one database): polls come from
// claims, never more than the workers at once, running polls' claims are renewed, and each feed
// goes back with its next delay and failure count.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "schedule/scheduler.hpp"

namespace fg::schedule {
namespace {

using namespace std::chrono_literals;

// A shared schedule in memory: feeds queued as due, what was released and renewed.
class FakeShared final : public SharedSchedule {
 public:
  struct Released {
    std::string feed_id;
    milliseconds next_in{0};
    int failures = 0;
    bool connection_failure = false;
  };

  void make_due(const std::string& id, int failures = 0) {
    std::lock_guard lock(mutex_);
    due_.push_back({id, failures, 0ms});
  }
  void set_reachable(bool reachable) {
    std::lock_guard lock(mutex_);
    reachable_ = reachable;
  }

  std::optional<std::vector<SharedDue>> claim(int limit) override {
    std::lock_guard lock(mutex_);
    ++claims_;
    if (!reachable_) return std::nullopt;
    std::vector<SharedDue> out;
    while (!due_.empty() && static_cast<int>(out.size()) < limit) {
      out.push_back(due_.front());
      due_.pop_front();
    }
    return out;
  }
  void renew(const std::vector<std::string>& running) override {
    std::lock_guard lock(mutex_);
    for (const auto& id : running) ++renewed_[id];
  }
  void release(const std::string& feed_id, const Outcome& outcome, milliseconds next_in,
               int failures) override {
    std::lock_guard lock(mutex_);
    released_.push_back({feed_id, next_in, failures, outcome.connection_failure});
    changed_.notify_all();
  }
  void poll_now(const std::string& feed_id) override { make_due(feed_id); }

  // Waits (up to 10 s) until `n` polls were released; returns them.
  std::vector<Released> wait_released(std::size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 10s, [&] { return released_.size() >= n; });
    return released_;
  }
  int renewals(const std::string& id) {
    std::lock_guard lock(mutex_);
    return renewed_[id];
  }
  int claims() {
    std::lock_guard lock(mutex_);
    return claims_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SharedDue> due_;
  std::vector<Released> released_;
  std::map<std::string, int> renewed_;
  int claims_ = 0;
  bool reachable_ = true;
};

SchedulerOptions shared_options(FakeShared& shared) {
  SchedulerOptions o;
  o.plan.jitter = 0;
  o.workers = 2;
  o.shared = &shared;
  o.claim_every = 20ms;
  o.renew_every = 30ms;
  return o;
}

TEST(SharedScheduler, PollsWhatItClaimsAndHandsEachBackWithItsNextDelay) {
  FakeShared shared;
  shared.make_due("ok");
  shared.make_due("failing", 2);
  std::atomic<int> polls{0};
  Scheduler s(
      [&](const PollStart& p) {
        ++polls;
        return Outcome{p.feed_id == "ok", p.feed_id == "failing", std::nullopt, false};
      },
      shared_options(shared));
  s.set_jobs({{"ok", 60s, "a.test", 3600s}, {"failing", 60s, "b.test", 3600s}});
  s.start();
  auto released = shared.wait_released(2);
  s.stop();
  ASSERT_EQ(released.size(), 2u);
  EXPECT_EQ(polls.load(), 2);
  std::map<std::string, FakeShared::Released> by_id;
  for (const auto& r : released) by_id[r.feed_id] = r;
  EXPECT_EQ(by_id["ok"].failures, 0);
  EXPECT_LE(by_id["ok"].next_in, 60s);
  EXPECT_GT(by_id["ok"].next_in, 50s);
  EXPECT_EQ(by_id["failing"].failures, 3);       // two before, this one
  EXPECT_GT(by_id["failing"].next_in, 7 * 60s);  // 60 s doubled three times
  EXPECT_TRUE(by_id["failing"].connection_failure);
  EXPECT_EQ(s.lateness().polls, 2u);
  EXPECT_FALSE(s.next_poll("ok").has_value());
}

TEST(SharedScheduler, NeverRunsMorePollsThanWorkersAndRenewsTheRunningOnes) {
  FakeShared shared;
  for (int i = 0; i < 6; ++i) shared.make_due("f" + std::to_string(i));
  std::atomic<int> running{0}, most{0};
  Scheduler s(
      [&](const PollStart&) {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(150ms);  // long enough for renewals to come due
        --running;
        return Outcome{true, false, std::nullopt, false};
      },
      shared_options(shared));
  s.set_jobs({});
  s.start();
  auto released = shared.wait_released(6);
  s.stop();
  EXPECT_EQ(released.size(), 6u);
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(shared.renewals("f0"), 1);
}

TEST(SharedScheduler, AnUnreachableScheduleIsAskedAgainUntilItAnswers) {
  FakeShared shared;
  shared.set_reachable(false);
  shared.make_due("a");
  std::atomic<int> polls{0};
  Scheduler s(
      [&](const PollStart&) {
        ++polls;
        return Outcome{true, false, std::nullopt, false};
      },
      shared_options(shared));
  s.start();
  while (shared.claims() < 3) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(polls.load(), 0);
  shared.set_reachable(true);
  auto released = shared.wait_released(1);
  s.stop();
  EXPECT_EQ(released.size(), 1u);
  EXPECT_EQ(polls.load(), 1);
}

TEST(SharedScheduler, RetryAfterAndPollNowGoThroughTheSharedSchedule) {
  FakeShared shared;
  Scheduler s(
      [&](const PollStart&) {
        return Outcome{false, false, milliseconds{2 * 3600'000}, false};
      },
      shared_options(shared));
  s.set_jobs({{"a", 60s, "a.test", 3600s}});
  s.start();
  s.poll_now("a");
  auto released = shared.wait_released(1);
  s.stop();
  ASSERT_EQ(released.size(), 1u);
  EXPECT_GE(released[0].next_in, milliseconds{2 * 3600'000} - 1s);
}

TEST(SharedScheduler, WithNothingDueItAsksAboutOnceAClaimPeriodNotInALoop) {
  FakeShared shared;
  SchedulerOptions options = shared_options(shared);
  options.claim_every = 50ms;
  options.renew_every = 10ms;  // shorter than a claim period: must not shorten the waits
  Scheduler s([&](const PollStart&) { return Outcome{true, false, std::nullopt, false}; }, options);
  shared.make_due("a");
  s.start();
  shared.wait_released(1);
  std::this_thread::sleep_for(500ms);
  s.stop();
  // About ten periods; a loop that does not wait asks thousands of times.
  EXPECT_LT(shared.claims(), 40);
  EXPECT_EQ(shared.renewals("a"), 0);
}

TEST(SharedScheduler, APollCancelledByShutdownGoesBackDueAtOnceWithItsFailuresKept) {
  FakeShared shared;
  shared.make_due("a", 2);
  Scheduler s(
      [&](const PollStart&) {
        return Outcome{false, false, std::nullopt, true};
      },
      shared_options(shared));
  s.set_jobs({{"a", 60s, "a.test", 3600s}});
  s.start();
  auto released = shared.wait_released(1);
  s.stop();
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].next_in, 0ms);
  EXPECT_EQ(released[0].failures, 2);
}

}  // namespace
}  // namespace fg::schedule
