#include <signal.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "app/args.hpp"
#include "app/common.hpp"
#include "app/publisher.hpp"
#include "core/log.hpp"
#include "core/url.hpp"
#include "pipeline/poll.hpp"
#include "schedule/scheduler.hpp"
#include "store/store.hpp"

namespace fg::app {

namespace {

// The config in force; swapped whole on reload, read by polls on worker threads.
class ConfigHolder {
 public:
  explicit ConfigHolder(std::shared_ptr<const config::Config> c) : config_(std::move(c)) {}
  std::shared_ptr<const config::Config> get() const {
    std::lock_guard lock(mutex_);
    return config_;
  }
  void set(std::shared_ptr<const config::Config> c) {
    std::lock_guard lock(mutex_);
    config_ = std::move(c);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const config::Config> config_;
};

std::vector<schedule::Job> jobs_of(const config::Config& config) {
  std::vector<schedule::Job> jobs;
  for (const auto& feed : config.feeds) {
    if (!feed.merge.empty()) continue;  // merged feeds poll nothing
    jobs.push_back({feed.id, feed.interval, url_host(feed.url), feed.max_backoff});
  }
  return jobs;
}

// What the scheduler needs to know of a poll.
schedule::Outcome outcome_of(const pipeline::PollSummary& s) {
  schedule::Outcome o;
  o.ok = s.ok;
  o.connection_failure = s.connection_failure;
  if (s.retry_after) o.retry_after = *s.retry_after;
  return o;
}

void log_poll(const pipeline::PollSummary& s, std::chrono::milliseconds late) {
  std::string line =
      "poll feed=" + s.feed_id + " status=" + std::to_string(s.http_status) +
      " bytes=" + std::to_string(s.bytes) + " late_ms=" + std::to_string(late.count()) +
      " links=" + std::to_string(s.links_found) + " fetched=" + std::to_string(s.articles_fetched) +
      " new=" + std::to_string(s.new_items) + " took_ms=" + std::to_string(s.duration.count());
  if (s.ok && s.problems.empty()) return log::info(line);
  line += " error=\"" + (s.problems.empty() ? std::string("failed") : s.problems.front()) + "\"";
  if (s.problems.size() > 1) line += " more_problems=" + std::to_string(s.problems.size() - 1);
  log::warning(line);
}

// Blocks the signals we handle in every thread, so that only sigwait() receives them.
sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  std::string error;
  auto args = parse_args(argc, argv, 2, {"--config", "--log-level"}, {}, error);
  if (!args || !args->get("--config")) {
    std::fprintf(stderr, "feedgate serve: %s\nusage: feedgate serve -c FILE [--log-level LEVEL]\n",
                 args ? "missing -c FILE" : error.c_str());
    return kExitUsage;
  }
  if (auto level_name = args->get("--log-level")) {
    log::Level level;
    if (!log::parse_level(*level_name, level)) {
      std::fprintf(stderr, "feedgate serve: --log-level must be error, warning, info or debug\n");
      return kExitUsage;
    }
    log::set_level(level);
  }
  const std::string config_path = *args->get("--config");
  auto loaded = load_or_report(config_path);
  if (!loaded) return kExitUsage;
  ConfigHolder config(std::make_shared<const config::Config>(std::move(*loaded)));

  auto opened = store::open_sqlite_store(config.get()->storage.path);
  if (!opened) {
    log::error("cannot open store: " + opened.error().describe());
    return kExitFailure;
  }
  std::unique_ptr<store::Store> store = std::move(*opened);
  const sigset_t signals = block_signals();

  serve::ServerOptions server_options;
  server_options.listen = config.get()->server.listen;
  serve::Server server(server_options);
  if (auto started = server.start(); !started) {
    log::error(started.error().describe());
    return kExitFailure;
  }
  fetch::Fetcher fetcher(fetch_options(config.get()->fetch));
  const pipeline::PollContext ctx{fetcher, *store};

  std::unique_ptr<schedule::Scheduler> scheduler;
  Publisher publisher(*store, server,
                      [&](const std::string& id) { return scheduler->next_poll(id); });
  schedule::SchedulerOptions sched_options;
  sched_options.workers = config.get()->fetch.concurrency;
  scheduler = std::make_unique<schedule::Scheduler>(
      [&](const schedule::PollStart& start) {
        auto current = config.get();
        for (const auto& feed : current->feeds) {
          if (feed.id != start.feed_id) continue;
          auto summary = pipeline::poll_feed(feed, ctx);
          log_poll(summary, start.lateness);
          publisher.feed_polled(feed.id, summary.new_items > 0);
          return outcome_of(summary);
        }
        return schedule::Outcome{true, false, std::nullopt};  // removed by a reload while due
      },
      sched_options);
  publisher.set_config(config.get());
  scheduler->set_jobs(jobs_of(*config.get()));
  scheduler->start();
  log::info("listening on " + config.get()->server.base_url + " (port " +
            std::to_string(server.port()) + "), " + std::to_string(config.get()->feeds.size()) +
            " feed(s), store " + config.get()->storage.path);

  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig != SIGHUP) break;
    log::info("reloading " + config_path);
    auto reloaded = load_or_report(config_path);
    if (!reloaded) {
      log::error("reload failed; the running configuration stays in force");
      continue;
    }
    config.set(std::make_shared<const config::Config>(std::move(*reloaded)));
    publisher.set_config(config.get());
    scheduler->set_jobs(jobs_of(*config.get()));
  }
  log::info("stopping");
  server.stop();
  scheduler->stop();
  log::info("stopped");
  return kExitOk;
}

}  // namespace fg::app
