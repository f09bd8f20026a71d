#pragma once
// Polls feeds on their intervals: at start, then every interval (with jitter), never
// overlapping itself, backing off on failure. Timers run on one Asio thread; polls run on a
// worker pool so a slow poll delays nothing else.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace fg::schedule {

using std::chrono::milliseconds;

struct Job {
  std::string feed_id;
  milliseconds interval{15 * 60'000};
};

struct SchedulerOptions {
  int workers = 4;                      // polls running at once
  double jitter = 0.1;                  // each delay varies by up to this fraction (at most 30 s)
  milliseconds max_backoff{6 * 3600'000};  // cap of the doubling delay after failures
  milliseconds first_poll_spread{2'000};   // first polls spread over this window
};

// Runs one poll of one feed; returns true on success. Called on a worker thread.
using PollFunction = std::function<bool(const std::string& feed_id)>;

// Delay until the next poll after `failures` consecutive failures (0 = the last one succeeded):
// the interval, then doubling from the interval, capped at max_backoff (and never below the
// interval). Jitter is not included.
milliseconds next_delay(milliseconds interval, int failures, milliseconds max_backoff);

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

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace fg::schedule
