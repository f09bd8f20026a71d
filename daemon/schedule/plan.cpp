#include "schedule/plan.hpp"

#include <algorithm>

#include "schedule/backoff.hpp"

namespace fg::schedule {

namespace {
constexpr milliseconds kMaxSuccessSwing{30'000};
}

Plan::Plan(PlanOptions options)
    : options_(options), rng_(options.seed), breakers_(options.breaker) {}

void Plan::queue(const std::string& id, Feed& feed, TimePoint due) {
  feed.due = due;
  heap_.push({due, ++feed.generation, id});
}

bool Plan::current(const Entry& e) const {
  auto it = feeds_.find(e.feed_id);
  return it != feeds_.end() && !it->second.running && !it->second.removed &&
         it->second.generation == e.generation;
}

void Plan::drop_stale_top() {
  while (!heap_.empty() && !current(heap_.top())) heap_.pop();
}

void Plan::set_jobs(const std::vector<Job>& jobs, TimePoint now) {
  for (auto& [id, feed] : feeds_) feed.removed = true;
  const auto count = static_cast<std::int64_t>(jobs.size());
  const milliseconds spread =
      std::max(options_.first_poll_spread, options_.spread_per_feed * count);
  for (const Job& job : jobs) {
    auto [it, inserted] = feeds_.try_emplace(job.feed_id);
    Feed& feed = it->second;
    feed.removed = false;
    feed.job = job;
    feed.job.interval = std::max(job.interval, milliseconds{1000});
    if (!inserted) continue;
    const std::int64_t window = std::min(spread, feed.job.interval).count();
    std::uniform_int_distribution<std::int64_t> offset(0, std::max<std::int64_t>(window - 1, 0));
    queue(job.feed_id, feed, now + milliseconds{offset(rng_)});
  }
  std::erase_if(feeds_, [](const auto& kv) { return kv.second.removed && !kv.second.running; });
}

std::vector<DueStart> Plan::take_due(TimePoint now) {
  std::vector<DueStart> starts;
  for (drop_stale_top(); !heap_.empty() && heap_.top().due <= now; drop_stale_top()) {
    const Entry top = heap_.top();
    heap_.pop();
    Feed& feed = feeds_.find(top.feed_id)->second;
    const auto decision = breakers_.admit(feed.job.host, now);
    if (decision.verdict == CircuitBreakers::Verdict::wait) {
      // Spread the host's feeds over a second so the probe goes first and the rest trickle in.
      std::uniform_int_distribution<int> ms(0, 999);
      queue(top.feed_id, feed, decision.retry_at + milliseconds{ms(rng_)});
      continue;
    }
    feed.running = true;
    feed.probe = decision.verdict == CircuitBreakers::Verdict::probe;
    starts.push_back({top.feed_id, top.due, feed.probe});
  }
  return starts;
}

void Plan::finished(const std::string& feed_id, const Outcome& outcome, TimePoint now) {
  auto it = feeds_.find(feed_id);
  if (it == feeds_.end()) return;
  Feed& feed = it->second;
  breakers_.record(feed.job.host, outcome.connection_failure, feed.probe, now);
  feed.running = false;
  feed.probe = false;
  if (feed.removed) {
    feeds_.erase(it);
    return;
  }
  feed.failures = outcome.ok ? 0 : feed.failures + 1;
  milliseconds delay = next_delay(feed.job.interval, feed.failures, feed.job.max_backoff);
  delay = jittered(delay, options_.jitter, feed.failures == 0 ? kMaxSuccessSwing : milliseconds{0},
                   rng_);
  delay = honour_retry_after(delay, outcome.retry_after);
  // Keep the feed's phase (due + delay) unless the poll overran it: then wait a full delay
  // from now, so a feed never polls back to back.
  TimePoint next = feed.due + delay;
  if (next < now) next = now + delay;
  queue(feed_id, feed, next);
}

void Plan::poll_now(const std::string& feed_id, TimePoint now) {
  auto it = feeds_.find(feed_id);
  if (it == feeds_.end() || it->second.running || it->second.removed) return;
  queue(feed_id, it->second, now);
}

std::optional<TimePoint> Plan::next_wakeup() {
  drop_stale_top();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().due;
}

std::optional<TimePoint> Plan::due_of(const std::string& feed_id) const {
  auto it = feeds_.find(feed_id);
  if (it == feeds_.end() || it->second.running || it->second.removed) return std::nullopt;
  return it->second.due;
}

int Plan::failures(const std::string& feed_id) const {
  auto it = feeds_.find(feed_id);
  return it == feeds_.end() ? 0 : it->second.failures;
}

}  // namespace fg::schedule
