#pragma once
// Polls feeds on their intervals. One Asio timer thread keeps a min-heap of due times (see
// plan.hpp) and wakes once for the earliest; polls run on a worker pool so a slow poll delays
// nothing else. A feed never overlaps itself; failures back off; hosts that cannot be reached
// trip a circuit breaker. With a SharedSchedule (several instances on one database) the due
// feeds are claimed from it instead, and backoff and breakers are kept there.

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

// A feed due now or soon, claimed for this instance by a SharedSchedule.
struct SharedDue {
  std::string feed_id;
  int failures = 0;  // consecutive failures before this poll
  // How long past its due time when claimed; negative when claimed ahead of it (due in -late).
  milliseconds late{0};
};

// Where due polls come from when several instances share one schedule (kept in a database by
// the caller): the scheduler then claims the feeds due within a short window ahead, holds them
// and starts each at its due time, keeps the claims of held and running polls alive, and hands
// each one back with its next delay. Called from the scheduler's threads; implementations are
// thread-safe.
class SharedSchedule {
 public:
  virtual ~SharedSchedule() = default;
  // Up to `limit` feeds due now or within `ahead`, earliest first, each this instance's until
  // released or handed back; nullopt when the schedule cannot be reached (the scheduler asks
  // again later, backing off).
  virtual std::optional<std::vector<SharedDue>> claim(int limit, milliseconds ahead) = 0;
  // Polls running or claimed and not yet started: their claims must not lapse.
  virtual void renew(const std::vector<std::string>& held) = 0;
  // A poll ended: the feed is due again `next_in` from now, after `failures` consecutive
  // failures (0 when it succeeded).
  virtual void release(const std::string& feed_id, const Outcome& outcome, milliseconds next_in,
                       int failures) = 0;
  // Claimed and never started (this instance stops): each feed is free for another instance at
  // once, due when it was, its failures unchanged.
  virtual void hand_back(const std::vector<std::string>& feed_ids) = 0;
  // Makes a feed due now.
  virtual void poll_now(const std::string& feed_id) = 0;
};

struct SchedulerOptions {
  int workers = 4;  // polls running at once
  PlanOptions plan;
  // Not null: due feeds come from here (must outlive the scheduler), not from local timers.
  SharedSchedule* shared = nullptr;
  // Feeds due this soon are claimed from `shared` in one go and started at their due times, so
  // polls start on time and one claim serves many polls. Well under the claims' lease: a feed
  // held this long is still leased when it starts.
  milliseconds claim_ahead{2'000};
  milliseconds claim_every{1'000};   // how often it claims (half the window: none starts late)
  milliseconds renew_every{40'000};  // how often held and running polls' claims are renewed
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

class ClaimLoop;

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
  std::shared_ptr<Impl> impl_;         // local timers; null with a SharedSchedule
  std::unique_ptr<ClaimLoop> shared_;  // claims from a SharedSchedule; null without one
};

}  // namespace fg::schedule
