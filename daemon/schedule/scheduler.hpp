#pragma once
// Polls feeds on their intervals. One Asio timer thread keeps a min-heap of due times (see
// plan.hpp) and wakes once for the earliest; polls run on a worker pool so a slow poll delays
// nothing else. A feed never overlaps itself; failures back off; hosts that cannot be reached
// trip a circuit breaker.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "schedule/backoff.hpp"
#include "schedule/plan.hpp"

namespace fg::schedule {

struct SchedulerOptions {
  int workers = 4;  // polls running at once
  PlanOptions plan;
};

// What a poll function is told.
struct PollStart {
  std::string feed_id;
  milliseconds lateness{0};  // how long after its due time the poll started
  bool probe = false;        // the half-open probe of an open circuit breaker
};

// Runs one poll of one feed. Called on a worker thread; may throw (counts as a failure).
using PollFunction = std::function<Outcome(const PollStart& start)>;

// How late polls started (over the most recent ones).
struct LatenessStats {
  std::uint64_t polls = 0;
  milliseconds p50{0}, p99{0}, max{0};
};

class Scheduler {
 public:
  Scheduler(PollFunction poll, SchedulerOptions options = {});
  ~Scheduler();  // stops and joins
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Replaces the set of jobs: new feeds are polled soon, removed ones stop (a poll in flight
  // finishes), changed intervals apply from the next poll.
  void set_jobs(const std::vector<Job>& jobs);
  // Starts the timer thread and workers.
  void start();
  // Stops timers, waits for polls in flight (they are not interrupted).
  void stop();
  // Asks for a poll of feed_id as soon as possible (no-op while one is in flight).
  void poll_now(const std::string& feed_id);

  // When feed_id is next due (nullopt when unknown or running).
  std::optional<Timestamp> next_poll(const std::string& feed_id) const;
  LatenessStats lateness() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace fg::schedule
