#pragma once
// Private to schedule: the Scheduler's mode for a SharedSchedule. One thread claims the feeds
// due within claim_ahead (every claim_every, at once when poll_now asks), holds them and starts
// each on a worker at its due time, renews the claims of held and running polls, and hands back
// the held ones when stopping; each worker hands its feed back with the next delay (backoff,
// jitter, Retry-After).

#include <algorithm>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "schedule/lateness_ring.hpp"
#include "schedule/scheduler.hpp"

namespace fg::schedule {

class ClaimLoop {
 public:
  ClaimLoop(PollFunction poll, SchedulerOptions options);
  ~ClaimLoop();  // stop()

  void set_jobs(const std::vector<Job>& jobs);
  void start();
  void stop();  // waits for the polls in flight
  void poll_now(const std::string& feed_id);
  LatenessStats lateness() const;

 private:
  using Clock = std::chrono::steady_clock;

  int workers() const { return std::max(1, options_.workers); }  // polls running at once
  void run_loop();
  // With the lock held: how many feeds this instance holds at most, claimed or running.
  int most_held(Clock::time_point now) const;
  // With the lock held: starts the held feeds that are due on the free workers.
  void start_due(Clock::time_point now);
  // With the lock held, released while the shared schedule answers: claims what `room` allows.
  void claim(std::unique_lock<std::mutex>& lock, int room);
  void run_poll(const SharedDue& due, Clock::time_point due_at);
  // The delay until the feed's next poll after this outcome, counted from now.
  milliseconds next_in(const std::string& feed_id, const Outcome& outcome, int failures,
                       milliseconds since_due);

  PollFunction poll_;
  SchedulerOptions options_;
  SharedSchedule& shared_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Job, std::less<>> jobs_;
  std::multimap<Clock::time_point, SharedDue> held_;  // claimed, not started: by due time
  std::map<std::string, Clock::time_point> running_;  // started at
  Clock::time_point next_claim_{};
  milliseconds claim_backoff_{0};  // while the shared schedule cannot be reached
  milliseconds poll_duration_{0};  // running mean of the polls here; 0 before the first ends
  bool claim_now_ = false;         // poll_now asked: claim without waiting for the period
  LatenessRing lateness_;
  std::mt19937_64 rng_;
  bool started_ = false;
  bool stopped_ = false;
  boost::asio::thread_pool workers_;
  std::thread thread_;  // run_loop; declared last, so it starts after everything it uses
};

}  // namespace fg::schedule
