#include "schedule/scheduler.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <thread>

namespace fg::schedule {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

milliseconds next_delay(milliseconds interval, int failures, milliseconds max_backoff) {
  if (failures <= 0) return interval;
  milliseconds delay = interval;
  for (int i = 0; i < failures && delay < max_backoff; ++i) delay *= 2;
  return std::max(interval, std::min(delay, max_backoff));
}

namespace {

struct FeedState {
  milliseconds interval{};
  int failures = 0;
  bool running = false;
  bool removed = false;
  Clock::time_point due{};
  std::unique_ptr<asio::steady_timer> timer;
};

}  // namespace

struct Scheduler::Impl : std::enable_shared_from_this<Scheduler::Impl> {
  Impl(PollFunction p, SchedulerOptions o)
      : poll(std::move(p)), options(o), workers(static_cast<std::size_t>(std::max(1, o.workers))) {}

  PollFunction poll;
  SchedulerOptions options;
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> guard{ioc.get_executor()};
  asio::thread_pool workers;
  std::thread timer_thread;
  mutable std::mutex mutex;  // guards feeds (touched by the timer thread and by readers)
  std::map<std::string, FeedState, std::less<>> feeds;
  std::mt19937_64 rng{std::random_device{}()};
  bool stopped = false;

  milliseconds jittered(milliseconds d) {
    const auto span = std::min<std::int64_t>(static_cast<std::int64_t>(d.count() * options.jitter),
                                             30'000);
    if (span <= 0) return d;
    std::uniform_int_distribution<std::int64_t> dist(-span, span);
    return std::max(milliseconds{0}, d + milliseconds{dist(rng)});
  }

  // Timer thread only.
  void arm(const std::string& id, FeedState& st, milliseconds delay) {
    st.due = Clock::now() + delay;
    st.timer->expires_at(st.due);
    st.timer->async_wait([self = shared_from_this(), id](const boost::system::error_code& ec) {
      if (!ec) self->fire(id);
    });
  }

  // Timer thread only.
  void fire(const std::string& id) {
    std::lock_guard lock(mutex);
    auto it = feeds.find(id);
    if (it == feeds.end() || it->second.running || stopped) return;
    it->second.running = true;
    asio::post(workers, [self = shared_from_this(), id] {
      bool ok = false;
      try {
        ok = self->poll(id);
      } catch (...) {
        ok = false;  // a poll that throws counts as a failure; the scheduler keeps going
      }
      asio::post(self->ioc, [self, id, ok] { self->finished(id, ok); });
    });
  }

  // Timer thread only.
  void finished(const std::string& id, bool ok) {
    std::lock_guard lock(mutex);
    auto it = feeds.find(id);
    if (it == feeds.end()) return;
    FeedState& st = it->second;
    st.running = false;
    if (st.removed) {
      feeds.erase(it);
      return;
    }
    st.failures = ok ? 0 : st.failures + 1;
    if (!stopped) arm(id, st, jittered(next_delay(st.interval, st.failures, options.max_backoff)));
  }

  // Timer thread only.
  void apply_jobs(const std::vector<Job>& jobs) {
    std::lock_guard lock(mutex);
    for (auto& [id, st] : feeds) st.removed = true;
    std::uniform_int_distribution<std::int64_t> spread(0, options.first_poll_spread.count());
    if (stopped) return;
    for (const Job& job : jobs) {
      auto [it, inserted] = feeds.try_emplace(job.feed_id);
      FeedState& st = it->second;
      st.removed = false;
      st.interval = std::max(job.interval, milliseconds{1000});
      if (inserted) {
        st.timer = std::make_unique<asio::steady_timer>(ioc);
        arm(job.feed_id, st, milliseconds{spread(rng)});
      }
    }
    for (auto it = feeds.begin(); it != feeds.end();) {
      if (it->second.removed && !it->second.running) {
        it->second.timer->cancel();
        it = feeds.erase(it);
      } else {
        ++it;
      }
    }
  }
};

Scheduler::Scheduler(PollFunction poll, SchedulerOptions options)
    : impl_(std::make_shared<Impl>(std::move(poll), options)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::set_jobs(const std::vector<Job>& jobs) {
  asio::post(impl_->ioc, [impl = impl_, jobs] { impl->apply_jobs(jobs); });
}

void Scheduler::start() {
  if (impl_->timer_thread.joinable()) return;
  impl_->timer_thread = std::thread([impl = impl_] { impl->ioc.run(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->workers.join();  // polls in flight finish; no new ones start once stopped is set
  asio::post(impl_->ioc, [impl = impl_] {
    std::lock_guard lock(impl->mutex);
    impl->feeds.clear();  // destroying the timers cancels their waits
  });
  impl_->guard.reset();
  // Drain every queued handler (they hold the Impl alive), on the timer thread or, if it never
  // started, right here.
  if (impl_->timer_thread.joinable()) {
    impl_->timer_thread.join();
  } else {
    impl_->ioc.run();
  }
}

void Scheduler::poll_now(const std::string& feed_id) {
  asio::post(impl_->ioc, [impl = impl_, feed_id] {
    std::lock_guard lock(impl->mutex);
    auto it = impl->feeds.find(feed_id);
    if (it == impl->feeds.end() || it->second.running || impl->stopped) return;
    impl->arm(feed_id, it->second, milliseconds{0});
  });
}

std::optional<Timestamp> Scheduler::next_poll(const std::string& feed_id) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->feeds.find(feed_id);
  if (it == impl_->feeds.end() || it->second.running) return std::nullopt;
  const auto remaining = it->second.due - Clock::now();
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() + remaining);
}

}  // namespace fg::schedule
