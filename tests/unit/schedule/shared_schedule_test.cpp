// The Scheduler with a SharedSchedule (several instances on one database): polls come from
// claims, never more than the workers at once; feeds claimed ahead start at their due times;
// held and running polls' claims are renewed, each feed goes back with its next delay and
// failure count, and a stop hands back what was claimed and not started.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "schedule/scheduler.hpp"

namespace fg::schedule {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A shared schedule in memory: feeds queued as due, what was released and renewed.
class FakeShared final : public SharedSchedule {
 public:
  struct Released {
    std::string feed_id;
    milliseconds next_in{0};
    int failures = 0;
    bool connection_failure = false;
  };

  // Due `in` from now (claimed once within a claim's window ahead).
  void make_due(const std::string& id, int failures = 0, milliseconds in = 0ms) {
    std::lock_guard lock(mutex_);
    due_.push_back({{id, failures, 0ms}, Clock::now() + in});
  }
  void set_reachable(bool reachable) {
    std::lock_guard lock(mutex_);
    reachable_ = reachable;
  }

  std::optional<std::vector<SharedDue>> claim(int limit, milliseconds ahead) override {
    std::lock_guard lock(mutex_);
    ++claims_;
    if (!reachable_) return std::nullopt;
    const auto now = Clock::now();
    std::vector<SharedDue> out;
    for (auto it = due_.begin(); it != due_.end() && static_cast<int>(out.size()) < limit;) {
      if (it->second > now + ahead) {
        ++it;
        continue;
      }
      out.push_back(it->first);
      out.back().late = std::chrono::floor<milliseconds>(now - it->second);  // as PostgreSQL rounds
      it = due_.erase(it);
    }
    claimed_.push_back(out.size());
    changed_.notify_all();
    return out;
  }
  void renew(const std::vector<std::string>& held) override {
    std::lock_guard lock(mutex_);
    for (const auto& id : held) ++renewed_[id];
  }
  void hand_back(const std::vector<std::string>& feed_ids) override {
    std::lock_guard lock(mutex_);
    handed_back_.insert(handed_back_.end(), feed_ids.begin(), feed_ids.end());
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
  // Waits (up to 10 s) until claims handed out `n` feeds in all; how many each claim returned.
  std::vector<std::size_t> wait_claimed(std::size_t n) {
    std::unique_lock lock(mutex_);
    auto total = [&] {
      std::size_t sum = 0;
      for (auto c : claimed_) sum += c;
      return sum;
    };
    changed_.wait_for(lock, 10s, [&] { return total() >= n; });
    return claimed_;
  }
  std::vector<std::string> handed_back() {
    std::lock_guard lock(mutex_);
    return handed_back_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<SharedDue, Clock::time_point>> due_;
  std::vector<Released> released_;
  std::vector<std::size_t> claimed_;
  std::vector<std::string> handed_back_;
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

TEST(SharedScheduler, OneClaimTakesWhatFallsDueWithinTheWindowAndEachStartsAtItsDueTime) {
  FakeShared shared;
  const auto t0 = Clock::now();
  for (int i = 0; i < 5; ++i) shared.make_due("f" + std::to_string(i), 0, 100ms * (i + 1));
  std::mutex mutex;
  std::map<std::string, Clock::time_point> started;
  SchedulerOptions options = shared_options(shared);
  options.workers = 3;  // before a poll has ended, two held per worker: room for the five
  options.claim_ahead = 2s;
  options.claim_every = 1s;
  Scheduler s(
      [&](const PollStart& p) {
        std::lock_guard lock(mutex);
        started[p.feed_id] = Clock::now();
        return Outcome{true, false, std::nullopt, false};
      },
      options);
  s.start();
  auto released = shared.wait_released(5);
  auto claimed = shared.wait_claimed(5);
  s.stop();
  ASSERT_EQ(released.size(), 5u);
  ASSERT_FALSE(claimed.empty());
  EXPECT_EQ(claimed.front(), 5u) << "one claim for the five polls";
  for (int i = 0; i < 5; ++i) {
    const std::string id = "f" + std::to_string(i);
    ASSERT_TRUE(started.count(id)) << id;
    EXPECT_GE(started[id] - t0, 100ms * (i + 1)) << id << " started before it was due";
  }
}

// Polls that take longer than the claim window: after the first ends, the instance claims only
// what its workers can start now, leaving the rest due for another instance to start on time.
TEST(SharedScheduler, AnInstanceWhosePollsAreSlowClaimsNoMoreThanItsWorkersStart) {
  FakeShared shared;
  for (int i = 0; i < 12; ++i) shared.make_due("f" + std::to_string(i));
  SchedulerOptions options = shared_options(shared);
  options.claim_ahead = 50ms;
  Scheduler s(
      [&](const PollStart&) {
        std::this_thread::sleep_for(120ms);
        return Outcome{true, false, std::nullopt, false};
      },
      options);
  s.start();
  shared.wait_released(12);
  const auto claimed = shared.wait_claimed(12);
  s.stop();
  ASSERT_GE(claimed.size(), 2u);
  EXPECT_EQ(claimed.front(), 4u) << "before a poll ended: two per worker";
  for (std::size_t i = 1; i < claimed.size(); ++i) {
    EXPECT_LE(claimed[i], 2u) << "claim " << i << " took more than the two workers start";
  }
}

TEST(SharedScheduler, HeldFeedsAreRenewedAndPollNowStartsOneAtOnce) {
  FakeShared shared;
  const auto t0 = Clock::now();
  shared.make_due("later", 0, 5s);
  SchedulerOptions options = shared_options(shared);
  options.claim_ahead = 10s;
  std::atomic<bool> polled{false};
  Clock::time_point started;
  Scheduler s(
      [&](const PollStart&) {
        started = Clock::now();
        polled = true;
        return Outcome{true, false, std::nullopt, false};
      },
      options);
  s.start();
  shared.wait_claimed(1);
  while (shared.renewals("later") < 1) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(polled.load()) << "claimed ahead, not due yet";
  s.poll_now("later");
  auto released = shared.wait_released(1);
  s.stop();
  ASSERT_EQ(released.size(), 1u);
  EXPECT_LT(started - t0, 5s) << "poll_now waited for the due time";
  EXPECT_TRUE(shared.handed_back().empty());
}

TEST(SharedScheduler, AStopHandsBackWhatWasClaimedAndNotStarted) {
  FakeShared shared;
  shared.make_due("now");
  shared.make_due("later", 1, 5s);
  SchedulerOptions options = shared_options(shared);
  options.claim_ahead = 10s;
  std::atomic<int> polls{0};
  Scheduler s(
      [&](const PollStart&) {
        ++polls;
        return Outcome{true, false, std::nullopt, false};
      },
      options);
  s.start();
  shared.wait_claimed(2);
  auto released = shared.wait_released(1);
  s.stop();
  EXPECT_EQ(polls.load(), 1);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0].feed_id, "now");
  EXPECT_EQ(shared.handed_back(), std::vector<std::string>{"later"});
}

}  // namespace
}  // namespace fg::schedule
