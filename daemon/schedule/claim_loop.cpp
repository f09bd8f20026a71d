#include "schedule/claim_loop.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <optional>

#include "core/log.hpp"
#include "schedule/backoff.hpp"

namespace fg::schedule {

namespace {

using std::chrono::duration_cast;

// As in Plan: after a success the jitter swings at most this much.
constexpr milliseconds kMaxSuccessSwing{30'000};
// While the shared schedule cannot be reached, claims back off up to this.
constexpr milliseconds kMaxClaimBackoff{5'000};
// Feeds held (claimed, not started) plus running, per worker: room for a window's worth of
// short polls, and a bound on what one instance takes from the others.
constexpr int kHeldPerWorker = 8;
// The same before any poll has finished here, when how long they take is not known yet.
constexpr int kFirstHeldPerWorker = 2;
// Weight of the newest poll in the running mean of poll durations (of 8).
constexpr int kDurationWeight = 2;

}  // namespace

ClaimLoop::ClaimLoop(PollFunction poll, SchedulerOptions options)
    : poll_(std::move(poll)),
      options_(options),
      shared_(*options.shared),
      rng_(options.plan.seed),
      workers_(static_cast<std::size_t>(workers())) {}

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

// Feeds held and not started go back first, so that another instance polls them on time while
// the polls in flight finish here.
void ClaimLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::vector<std::string> unstarted;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [due_at, due] : held_) unstarted.push_back(due.feed_id);
    held_.clear();
  }
  if (!unstarted.empty()) shared_.hand_back(unstarted);
  workers_.join();  // polls in flight finish and release their feeds
}

// A feed held here starts at once; any other is made due in the shared schedule and claimed now.
void ClaimLoop::poll_now(const std::string& feed_id) {
  {
    std::lock_guard lock(mutex_);
    const auto held = std::find_if(held_.begin(), held_.end(),
                                   [&](const auto& h) { return h.second.feed_id == feed_id; });
    if (held != held_.end()) {
      auto node = held_.extract(held);
      node.key() = Clock::now();
      held_.insert(std::move(node));
      wake_.notify_all();
      return;
    }
  }
  shared_.poll_now(feed_id);
  std::lock_guard lock(mutex_);
  claim_now_ = true;
  wake_.notify_all();
}

LatenessStats ClaimLoop::lateness() const {
  std::lock_guard lock(mutex_);
  return lateness_.stats();
}

// Claims every claim_every (sooner when a claim filled all the room), starts held feeds as they
// fall due, and renews the held and running polls' claims every renew_every. It sleeps until the
// earliest of those. The database calls are made without the lock, so finishing polls never
// wait on them.
void ClaimLoop::run_loop() {
  auto next_renewal = Clock::now() + options_.renew_every;
  claim_backoff_ = options_.claim_every;
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    auto now = Clock::now();
    // Nothing held, nothing to renew: the next renewal is a full period after a claim (else a
    // renewal time in the past would end every wait at once).
    if (running_.empty() && held_.empty()) next_renewal = now + options_.renew_every;
    if (now >= next_renewal) {
      std::vector<std::string> ids;
      for (const auto& [id, since] : running_) ids.push_back(id);
      for (const auto& [due_at, due] : held_) ids.push_back(due.feed_id);
      lock.unlock();
      shared_.renew(ids);
      lock.lock();
      next_renewal = Clock::now() + options_.renew_every;
      continue;
    }
    start_due(now);
    const int most_held = this->most_held(now);
    // A claim that filled the room is followed by another once this much is free again, not by
    // one per finished poll.
    const int batch = std::max(1, most_held / 4);
    const int room = most_held - static_cast<int>(held_.size() + running_.size());
    const bool may_claim = room >= batch || (room > 0 && held_.empty());
    if (may_claim && (now >= next_claim_ || claim_now_)) {
      claim(lock, room);
      continue;
    }
    // Woken early by poll_now, a finished poll (room, a free worker) and stop.
    std::optional<Clock::time_point> until;
    const auto earliest = [&](Clock::time_point t) { until = until ? std::min(*until, t) : t; };
    if (may_claim) earliest(next_claim_);
    if (!held_.empty() && static_cast<int>(running_.size()) < workers()) {
      earliest(held_.begin()->first);
    }
    if (!running_.empty() || !held_.empty()) earliest(next_renewal);
    if (until) {
      wake_.wait_until(lock, *until);
    } else {
      wake_.wait(lock);
    }
  }
}

// What the workers can start within the claim window at the recent poll duration (or longer,
// while a running poll has taken longer), the running ones included: an instance whose polls are
// slow (a portal that answers in seconds, articles fetched min_gap apart) would otherwise hold
// feeds it starts late while another instance's workers are free to start them on time.
int ClaimLoop::most_held(Clock::time_point now) const {
  auto expected = poll_duration_;
  for (const auto& [id, since] : running_) {
    expected = std::max(expected, duration_cast<milliseconds>(now - since));
  }
  if (expected <= milliseconds{0}) return workers() * kFirstHeldPerWorker;
  const auto per_worker = 1 + options_.claim_ahead / expected;
  return workers() * static_cast<int>(std::clamp<std::int64_t>(per_worker, 1, kHeldPerWorker));
}

void ClaimLoop::start_due(Clock::time_point now) {
  while (!held_.empty() && held_.begin()->first <= now &&
         static_cast<int>(running_.size()) < workers()) {
    auto node = held_.extract(held_.begin());
    running_.emplace(node.mapped().feed_id, now);
    boost::asio::post(workers_, [this, due = std::move(node.mapped()), due_at = node.key()] {
      run_poll(due, due_at);
    });
  }
}

void ClaimLoop::claim(std::unique_lock<std::mutex>& lock, int room) {
  claim_now_ = false;
  lock.unlock();
  auto claimed = shared_.claim(room, options_.claim_ahead);
  const auto now = Clock::now();
  lock.lock();
  if (!claimed) {  // unreachable: ask again later, doubling
    claim_backoff_ = std::min(claim_backoff_ * 2, kMaxClaimBackoff);
    next_claim_ = now + claim_backoff_;
    return;
  }
  claim_backoff_ = options_.claim_every;
  // Everything due within the window is claimed (by this instance or another) unless the room
  // ran out: then more may be due already.
  const bool filled = static_cast<int>(claimed->size()) >= room;
  next_claim_ = filled ? now : now + options_.claim_every;
  for (SharedDue& due : *claimed) {
    const auto due_at = now - due.late;
    held_.emplace(due_at, std::move(due));
  }
}

// A worker thread: one poll, then the feed goes back to the shared schedule.
void ClaimLoop::run_poll(const SharedDue& due, Clock::time_point due_at) {
  const auto started = Clock::now();
  const milliseconds late =
      std::max(milliseconds{0}, duration_cast<milliseconds>(started - due_at));
  {
    std::lock_guard lock(mutex_);
    lateness_.add(late);
  }
  Outcome outcome;
  try {
    outcome = poll_({due.feed_id, late, false});
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
    const auto since_due = late + duration_cast<milliseconds>(Clock::now() - started);
    milliseconds next;
    {
      std::lock_guard lock(mutex_);
      next = next_in(due.feed_id, outcome, failures, since_due);
    }
    shared_.release(due.feed_id, outcome, next, failures);
  }
  const auto took = std::max(milliseconds{1}, duration_cast<milliseconds>(Clock::now() - started));
  std::lock_guard lock(mutex_);
  poll_duration_ = poll_duration_ <= milliseconds{0}
                       ? took
                       : (poll_duration_ * (8 - kDurationWeight) + took * kDurationWeight) / 8;
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
