#include "schedule/scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace fg::schedule {
namespace {

using namespace std::chrono_literals;

// Records when each feed was polled.
struct Recorder {
  std::mutex mutex;
  std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> calls;
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};

  void record(const std::string& id) {
    std::lock_guard lock(mutex);
    calls[id].push_back(std::chrono::steady_clock::now());
  }
  std::size_t count(const std::string& id) {
    std::lock_guard lock(mutex);
    return calls[id].size();
  }
};

SchedulerOptions fast_options() {
  SchedulerOptions o;
  o.plan.jitter = 0;
  o.plan.first_poll_spread = 0ms;
  o.plan.spread_per_feed = 0ms;
  o.workers = 4;
  return o;
}

Outcome succeeded() {
  return {true, false, std::nullopt, false};
}
Outcome failed() {
  return {false, false, std::nullopt, false};
}

TEST(Scheduler, PollsEveryFeedAtStartAndAgainAfterItsInterval) {
  Recorder rec;
  Scheduler s(
      [&](const PollStart& p) {
        rec.record(p.feed_id);
        return succeeded();
      },
      fast_options());
  s.set_jobs({{"a", 1s, ""}, {"b", 60s, ""}});
  s.start();
  std::this_thread::sleep_for(1500ms);
  s.stop();
  EXPECT_EQ(rec.count("a"), 2u);  // at start and after 1 s
  EXPECT_EQ(rec.count("b"), 1u);  // at start only
}

TEST(Scheduler, AFeedNeverOverlapsItself) {
  Recorder rec;
  Scheduler s(
      [&](const PollStart& p) {
        const int now = ++rec.running;
        int prev = rec.max_running.load();
        while (now > prev && !rec.max_running.compare_exchange_weak(prev, now)) {
        }
        rec.record(p.feed_id);
        std::this_thread::sleep_for(1200ms);  // longer than the interval
        --rec.running;
        return succeeded();
      },
      fast_options());
  s.set_jobs({{"slow", 1s, ""}});
  s.start();
  std::this_thread::sleep_for(2000ms);
  s.stop();
  EXPECT_EQ(rec.max_running.load(), 1);
  EXPECT_EQ(rec.count("slow"), 1u);  // the second poll waits for the first plus an interval
}

TEST(Scheduler, ASlowFeedDoesNotDelayOthers) {
  Recorder rec;
  Scheduler s(
      [&](const PollStart& p) {
        rec.record(p.feed_id);
        if (p.feed_id == "slow") std::this_thread::sleep_for(2500ms);
        return succeeded();
      },
      fast_options());
  s.set_jobs({{"slow", 1s, ""}, {"fast", 1s, ""}});
  s.start();
  std::this_thread::sleep_for(2300ms);
  const std::size_t fast_polls = rec.count("fast");
  s.stop();
  EXPECT_GE(fast_polls, 2u);
}

TEST(Scheduler, FailuresBackOff) {
  Recorder rec;
  Scheduler s(
      [&](const PollStart& p) {
        rec.record(p.feed_id);
        return failed();
      },
      fast_options());
  s.set_jobs({{"broken", 1s, ""}});
  s.start();
  std::this_thread::sleep_for(2500ms);  // polls at 0 s, then only after 2 s (doubled)
  s.stop();
  std::lock_guard lock(rec.mutex);
  ASSERT_EQ(rec.calls["broken"].size(), 2u);
  EXPECT_GE(rec.calls["broken"][1] - rec.calls["broken"][0], 1900ms);
}

TEST(Scheduler, APollThatThrowsIsLoggedAsAFailureAndPollingGoesOn) {
  Recorder rec;
  Scheduler s(
      [&](const PollStart& p) -> Outcome {
        rec.record(p.feed_id);
        if (p.feed_id == "throws") throw std::runtime_error("out of luck");
        return succeeded();
      },
      fast_options());
  testing::internal::CaptureStderr();
  s.set_jobs({{"throws", 1s, ""}, {"fine", 1s, ""}});
  s.start();
  std::this_thread::sleep_for(1500ms);
  s.stop();
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_GE(rec.count("fine"), 2u);
  EXPECT_EQ(rec.count("throws"), 1u);  // counted as a failure: backed off to 2 s
  EXPECT_NE(log.find("thread_failed thread=poll error=\"out of luck\""), std::string::npos) << log;
}

TEST(Scheduler, RemovedFeedsStopAndNextPollIsReported) {
  Recorder rec;
  Scheduler s(
      [&](const PollStart& p) {
        rec.record(p.feed_id);
        return succeeded();
      },
      fast_options());
  s.set_jobs({{"keep", 1s, ""}, {"drop", 1s, ""}});
  s.start();
  std::this_thread::sleep_for(300ms);
  s.set_jobs({{"keep", 1s, ""}});
  std::this_thread::sleep_for(1200ms);
  EXPECT_TRUE(s.next_poll("keep").has_value());
  EXPECT_FALSE(s.next_poll("drop").has_value());
  s.stop();
  EXPECT_EQ(rec.count("drop"), 1u);
  EXPECT_EQ(rec.count("keep"), 2u);
}

TEST(Scheduler, PollNowRunsADueFeedImmediately) {
  Recorder rec;
  Scheduler s(
      [&](const PollStart& p) {
        rec.record(p.feed_id);
        return succeeded();
      },
      fast_options());
  s.set_jobs({{"x", 3600s, ""}});
  s.start();
  std::this_thread::sleep_for(200ms);
  s.poll_now("x");
  std::this_thread::sleep_for(300ms);
  s.stop();
  EXPECT_EQ(rec.count("x"), 2u);
}

TEST(Scheduler, StopWithoutStartIsClean) {
  Scheduler s([](const PollStart&) { return succeeded(); }, fast_options());
  s.set_jobs({{"x", 1s, ""}});
  s.stop();
  SUCCEED();
}

}  // namespace
}  // namespace fg::schedule
