#include "schedule/scheduler.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <thread>

#include "core/log.hpp"
#include "schedule/claim_loop.hpp"
#include "schedule/lateness_ring.hpp"

namespace fg::schedule {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct Scheduler::Impl : std::enable_shared_from_this<Scheduler::Impl> {
  Impl(PollFunction p, SchedulerOptions o)
      : poll(std::move(p)),
        plan(o.plan),
        workers(static_cast<std::size_t>(std::max(1, o.workers))) {}

  PollFunction poll;
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> guard{ioc.get_executor()};
  asio::steady_timer timer{ioc};
  Plan plan;
  asio::thread_pool workers;
  std::thread timer_thread;
  mutable std::mutex mutex;  // guards plan (declared above), lateness and stopped
  LatenessRing lateness;
  bool stopped = false;

  // Timer thread only, with the lock held: wakes at the earliest due time.
  void rearm() {
    if (stopped) return;
    const auto next = plan.next_wakeup();
    if (!next) {
      timer.cancel();
      return;
    }
    timer.expires_at(*next);  // cancels the previous wait (its handler sees operation_aborted)
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->fire();
    });
  }

  // Timer thread only.
  void fire() {
    std::lock_guard lock(mutex);
    if (stopped) return;
    for (DueStart& start : plan.take_due(Clock::now())) {
      asio::post(workers,
                 [self = shared_from_this(), start = std::move(start)] { self->run(start); });
    }
    rearm();
  }

  // The timer thread. A handler that throws is logged and the loop goes on, its timer re-armed
  // first (the throw may have come before the handler re-armed it).
  void run_timer_thread() {
    bool rearm_first = false;
    for (;;) {
      try {
        if (rearm_first) {
          std::lock_guard lock(mutex);
          rearm();
        }
        ioc.run();
        return;
      } catch (...) {
        log::thread_failed("schedule", "the scheduler re-arms its timer and goes on");
        rearm_first = true;
      }
    }
  }

  // Worker thread.
  void run(const DueStart& start) {
    const auto late = std::chrono::duration_cast<milliseconds>(Clock::now() - start.due);
    {
      std::lock_guard lock(mutex);
      lateness.add(std::max(late, milliseconds{0}));
    }
    Outcome outcome;
    try {
      outcome = poll({start.feed_id, std::max(late, milliseconds{0}), start.probe});
    } catch (...) {
      log::thread_failed(
          "poll", "the poll of " + start.feed_id + " counts as a failure; the scheduler goes on");
      outcome = {};
    }
    asio::post(ioc, [self = shared_from_this(), id = start.feed_id, outcome] {
      std::lock_guard lock(self->mutex);
      self->plan.finished(id, outcome, Clock::now());
      self->rearm();
    });
  }
};

Scheduler::Scheduler(PollFunction poll, SchedulerOptions options) {
  if (options.shared != nullptr) {
    shared_ = std::make_unique<ClaimLoop>(std::move(poll), options);
  } else {
    impl_ = std::make_shared<Impl>(std::move(poll), options);
  }
}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::set_jobs(const std::vector<Job>& jobs) {
  if (shared_) return shared_->set_jobs(jobs);
  asio::post(impl_->ioc, [impl = impl_, jobs] {
    std::lock_guard lock(impl->mutex);
    if (impl->stopped) return;
    impl->plan.set_jobs(jobs, Clock::now());
    impl->rearm();
  });
}

void Scheduler::start() {
  if (shared_) return shared_->start();
  if (impl_->timer_thread.joinable()) return;
  impl_->timer_thread = std::thread([impl = impl_] { impl->run_timer_thread(); });
}

void Scheduler::stop() {
  if (shared_) return shared_->stop();
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->workers.join();  // polls in flight finish; no new ones start once stopped is set
  asio::post(impl_->ioc, [impl = impl_] { impl->timer.cancel(); });
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
  if (shared_) return shared_->poll_now(feed_id);
  asio::post(impl_->ioc, [impl = impl_, feed_id] {
    std::lock_guard lock(impl->mutex);
    if (impl->stopped) return;
    impl->plan.poll_now(feed_id, Clock::now());
    impl->rearm();
  });
}

std::optional<Timestamp> Scheduler::next_poll(const std::string& feed_id) const {
  if (shared_) return std::nullopt;  // the shared schedule knows (the status page reads it)
  std::lock_guard lock(impl_->mutex);
  const auto due = impl_->plan.due_of(feed_id);
  if (!due) return std::nullopt;
  const auto remaining = *due - Clock::now();
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now() + remaining);
}

LatenessStats Scheduler::lateness() const {
  if (shared_) return shared_->lateness();
  std::lock_guard lock(impl_->mutex);
  return impl_->lateness.stats();
}

}  // namespace fg::schedule
