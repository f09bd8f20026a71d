#pragma once
// The scheduler's bookkeeping without threads or timers: which feed is due when (a min-heap,
// O(log n) per poll), backoff, Retry-After and the per-host circuit breakers. Time is passed in,
// so every rule is tested without sleeping.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "schedule/circuit_breaker.hpp"

namespace fg::schedule {

using std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

struct Job {
  std::string feed_id;
  milliseconds interval{15 * 60'000};
  std::string host;                        // for the circuit breaker; empty = none (file:)
  milliseconds max_backoff{6 * 3600'000};  // cap of the doubling delay after failures
};

// How one poll ended, as far as scheduling cares.
struct Outcome {
  bool ok = false;
  bool connection_failure = false;  // the host could not be reached (counts for its breaker)
  std::optional<milliseconds> retry_after;  // the portal asked for this much quiet
  // Stopped by shutdown before it finished: not a failure, and with a SharedSchedule the feed
  // is handed back due at once, for another instance to poll.
  bool cancelled = false;
};

struct PlanOptions {
  double jitter = 0.1;  // each delay varies by up to this fraction (at most 30 s after a success)
  // New feeds' first polls spread uniformly over max(first_poll_spread, feeds × spread_per_feed),
  // never more than the feed's interval: a few feeds start at once, thousands do not burst.
  milliseconds first_poll_spread{2'000};
  milliseconds spread_per_feed{30};
  BreakerOptions breaker;
  std::uint64_t seed = std::random_device{}();
};

// A poll the caller should start now.
struct DueStart {
  std::string feed_id;
  TimePoint due{};
  bool probe = false;  // the half-open probe of its host's breaker
};

class Plan {
 public:
  explicit Plan(PlanOptions options = {});

  // Replaces the jobs: new feeds become due soon, removed ones stop (a poll in flight finishes),
  // changed intervals and caps apply from the next poll.
  void set_jobs(const std::vector<Job>& jobs, TimePoint now);
  // Feeds due at `now` that may start, marked running. Feeds whose host breaker is open are
  // moved to when it may be probed.
  std::vector<DueStart> take_due(TimePoint now);
  // A poll started by take_due ended at `now`.
  void finished(const std::string& feed_id, const Outcome& outcome, TimePoint now);
  // Makes a feed due at `now` unless it is running.
  void poll_now(const std::string& feed_id, TimePoint now);

  // When the earliest feed is due (nullopt with no jobs).
  std::optional<TimePoint> next_wakeup();
  // When feed_id is next due; nullopt when unknown or running.
  std::optional<TimePoint> due_of(const std::string& feed_id) const;
  // Consecutive failures of a feed (0 when unknown).
  int failures(const std::string& feed_id) const;
  std::size_t size() const { return feeds_.size(); }

 private:
  struct Feed {
    Job job;
    int failures = 0;
    bool running = false;
    bool probe = false;
    bool removed = false;
    TimePoint due{};
    std::uint64_t generation = 0;  // bumped on every re-queue; older heap entries are stale
  };
  struct Entry {
    TimePoint due;
    std::uint64_t generation;
    std::string feed_id;
    bool operator>(const Entry& o) const { return due > o.due; }
  };
  void queue(const std::string& id, Feed& feed, TimePoint due);
  bool current(const Entry& e) const;
  void drop_stale_top();

  PlanOptions options_;
  std::mt19937_64 rng_;
  CircuitBreakers breakers_;
  std::map<std::string, Feed, std::less<>> feeds_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
};

}  // namespace fg::schedule
