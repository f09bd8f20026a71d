#include "schedule/claim_loop.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "core/log.hpp"
#include "schedule/backoff.hpp"

namespace fg::schedule {

namespace {

using Clock = std::chrono::steady_clock;

// As in Plan: after a success the jitter swings at most this much.
constexpr milliseconds kMaxSuccessSwing{30'000};
// While the shared schedule cannot be reached, claims back off up to this.
constexpr milliseconds kMaxClaimBackoff{5'000};

}  // namespace

ClaimLoop::ClaimLoop(PollFunction poll, SchedulerOptions options)
    : poll_(std::move(poll)),
      options_(options),
      shared_(*options.shared),
      rng_(options.plan.seed),
      workers_(static_cast<std::size_t>(std::max(1, options.workers))) {}

ClaimLoop::~ClaimLoop() {
  stop();
}

void ClaimLoop::set_jobs(const std::vector<Job>& jobs) {
  std::lock_guard lock(mutex_);
  jobs_.clear();
  for (const Job& job : jobs) jobs_[job.feed_id] = job;
  wake_.notify_all();
}

void ClaimLoop::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopped_) return;
  started_ = true;
  thread_ = std::thread([this] { run_loop(); });
}

void ClaimLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  workers_.join();  // polls in flight finish and release their feeds
}

void ClaimLoop::poll_now(const std::string& feed_id) {
  shared_.poll_now(feed_id);
  std::lock_guard lock(mutex_);
  wake_.notify_all();
}

LatenessStats ClaimLoop::lateness() const {
  std::lock_guard lock(mutex_);
  return lateness_.stats();
}

// Claims as many feeds as workers are free, whenever one frees up and at least every
// claim_every; renews the running polls' claims every renew_every. The database calls are made
// without the lock, so finishing polls never wait on them.
void ClaimLoop::run_loop() {
  const int workers = std::max(1, options_.workers);
  auto next_renewal = Clock::now() + options_.renew_every;
  milliseconds wait = options_.claim_every;
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    const int free = workers - static_cast<int>(running_.size());
    // Nothing running, nothing to renew: the next renewal is a full period after a poll starts
    // (else a renewal time in the past would end every wait at once).
    if (running_.empty()) next_renewal = Clock::now() + options_.renew_every;
    if (Clock::now() >= next_renewal) {
      std::vector<std::string> running(running_.begin(), running_.end());
      lock.unlock();
      shared_.renew(running);
      lock.lock();
      next_renewal = Clock::now() + options_.renew_every;
      continue;
    }
    if (free > 0) {
      lock.unlock();
      auto claimed = shared_.claim(free);
      lock.lock();
      // Unreachable: ask again later, doubling; reachable: at the usual pace.
      wait = claimed ? options_.claim_every : std::min(wait * 2, kMaxClaimBackoff);
      for (SharedDue& due : claimed.value_or(std::vector<SharedDue>{})) {
        running_.insert(due.feed_id);
        lateness_.add(due.late);
        boost::asio::post(workers_, [this, due = std::move(due)] { run_poll(due); });
      }
      if (claimed && static_cast<int>(claimed->size()) == free) continue;  // more may be due
    }
    const auto next_claim = Clock::now() + wait;
    wake_.wait_until(lock, running_.empty() ? next_claim : std::min(next_claim, next_renewal));
  }
}

// A worker thread: one poll, then the feed goes back to the shared schedule.
void ClaimLoop::run_poll(const SharedDue& due) {
  const auto started = Clock::now();
  Outcome outcome;
  try {
    outcome = poll_({due.feed_id, due.late, false});
  } catch (...) {
    log::thread_failed(
        "poll", "the poll of " + due.feed_id + " counts as a failure; the scheduler goes on");
    outcome = {};
  }
  if (outcome.cancelled) {
    // This instance is stopping: the feed is due at once, for another one, its count unchanged.
    shared_.release(due.feed_id, outcome, milliseconds{0}, due.failures);
  } else {
    const int failures = outcome.ok ? 0 : due.failures + 1;
    const auto since_due =
        due.late + std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    milliseconds next;
    {
      std::lock_guard lock(mutex_);
      next = next_in(due.feed_id, outcome, failures, since_due);
    }
    shared_.release(due.feed_id, outcome, next, failures);
  }
  std::lock_guard lock(mutex_);
  running_.erase(due.feed_id);
  wake_.notify_all();
}

// With the lock held. As Plan::finished: backoff after failures, jitter, Retry-After, and the
// feed's phase kept (due + delay) unless the poll overran it.
milliseconds ClaimLoop::next_in(const std::string& feed_id, const Outcome& outcome, int failures,
                                milliseconds since_due) {
  const auto job = jobs_.find(feed_id);
  Job known;  // a feed this instance's config lacks (configs differ): the default interval
  if (job != jobs_.end()) known = job->second;
  milliseconds delay = next_delay(known.interval, failures, known.max_backoff);
  delay = jittered(delay, options_.plan.jitter, failures == 0 ? kMaxSuccessSwing : milliseconds{0},
                   rng_);
  delay = honour_retry_after(delay, outcome.retry_after);
  return delay > since_due ? delay - since_due : delay;
}

}  // namespace fg::schedule
