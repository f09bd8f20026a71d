#pragma once
// Private to schedule: the Scheduler's mode for a SharedSchedule. One thread claims due feeds
// whenever workers are free (and at least every claim_every), renews the claims of running polls,
// and each worker hands its feed back with the next delay (backoff, jitter, Retry-After).

#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
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
  void run_loop();
  void run_poll(const SharedDue& due);
  // The delay until the feed's next poll after this outcome, counted from now.
  milliseconds next_in(const std::string& feed_id, const Outcome& outcome, int failures,
                       milliseconds since_due);

  PollFunction poll_;
  SchedulerOptions options_;
  SharedSchedule& shared_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Job, std::less<>> jobs_;
  std::set<std::string> running_;
  LatenessRing lateness_;
  std::mt19937_64 rng_;
  bool started_ = false;
  bool stopped_ = false;
  boost::asio::thread_pool workers_;
  std::thread thread_;  // run_loop; declared last, so it starts after everything it uses
};

}  // namespace fg::schedule
