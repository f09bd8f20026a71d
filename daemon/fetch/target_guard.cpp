// Checks the target of every request and redirect before a proxy sees it (target_guard.hpp).

#include "fetch/target_guard.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "core/url.hpp"
#include "fetch/target_check.hpp"

namespace fg::fetch {

namespace {

struct Job {
  Request request;
  FetchCallback done;
  int hops = 0;  // redirects followed so far
};

void deliver(const FetchCallback& done, Result<Response> result) {
  try {
    done(std::move(result));
  } catch (const std::exception&) {
    // A callback that throws must not take the guard's thread down.
  }
}

Error refused_error(const std::string& url, const std::string& why) {
  return make_error(Errc::network,
                    "refused to fetch through the proxy: the target " + why +
                        " is not a public address and fetch.allow_private is false; list it in "
                        "fetch.trusted_peers (or set allow_private: true) only if feedgate "
                        "should read portals on your own network",
                    url);
}

}  // namespace

struct TargetGuard::Shared {
  Engine& engine;
  FetchOptions options;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Job> jobs;
  bool stopped = false;
  std::thread thread;

  Shared(Engine& e, FetchOptions o) : engine(e), options(std::move(o)) {}

  // false once stopped: the caller fails the job itself.
  bool push(Job job) {
    {
      std::lock_guard lock(mutex);
      if (stopped) return false;
      jobs.push_back(std::move(job));
    }
    wake.notify_one();
    return true;
  }

  void run(const std::shared_ptr<Shared>& self) {
    while (true) {
      Job job;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopped || !jobs.empty(); });
        if (stopped) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      start(self, std::move(job));
    }
  }

  void start(const std::shared_ptr<Shared>& self, Job job) {
    const TargetVerdict verdict = check_target(job.request.url, options);
    if (!verdict.refused.empty()) {
      return deliver(job.done, refused_error(job.request.url, verdict.refused));
    }
    Request request = job.request;
    std::weak_ptr<Shared> weak = self;
    engine.submit(
        std::move(request),
        [weak, job = std::move(job)](Result<Response> r) mutable {
          if (!r || r->redirect_url.empty()) return deliver(job.done, std::move(r));
          follow(weak, std::move(job), r->redirect_url);
        },
        verdict.connect_to);
  }

  static void follow(const std::weak_ptr<Shared>& weak, Job job, const std::string& location) {
    const std::shared_ptr<Shared> self = weak.lock();
    const std::string& url = job.request.url;
    if (!self) return deliver(job.done, make_error(Errc::io, "fetcher stopped", url));
    if (job.hops >= self->options.max_redirects) {
      return deliver(job.done,
                     make_error(Errc::network,
                                "more than " + std::to_string(self->options.max_redirects) +
                                    " redirects (a redirect loop?); put the final "
                                    "URL in the feed's url",
                                url));
    }
    const std::string scheme = url_scheme(location);
    if (scheme != "http" && scheme != "https") {
      return deliver(
          job.done,
          make_error(Errc::unsupported, "redirect to a non-http(s) URL refused: " + location, url));
    }
    Job next{job.request, job.done, job.hops + 1};
    next.request.url = location;
    if (!self->push(std::move(next))) {
      deliver(job.done, make_error(Errc::io, "fetcher stopped before the request ran", url));
    }
  }
};

TargetGuard::TargetGuard(Engine& engine, FetchOptions options)
    : shared_(std::make_shared<Shared>(engine, std::move(options))) {
  shared_->thread = std::thread([s = shared_] { s->run(s); });
}

TargetGuard::~TargetGuard() {
  stop();
}

void TargetGuard::stop() {
  std::deque<Job> left;
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->stopped) return;
    shared_->stopped = true;
    left.swap(shared_->jobs);
  }
  shared_->wake.notify_one();
  shared_->thread.join();
  for (Job& job : left) {
    deliver(job.done,
            make_error(Errc::io, "fetcher stopped before the request ran", job.request.url));
  }
}

void TargetGuard::submit(Request request, FetchCallback done) {
  Job job{std::move(request), std::move(done), 0};
  const std::string url = job.request.url;
  FetchCallback fail = job.done;
  if (!shared_->push(std::move(job))) {
    deliver(fail, make_error(Errc::io, "fetcher stopped before the request ran", url));
  }
}

}  // namespace fg::fetch
