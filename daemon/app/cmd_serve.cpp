#include <malloc.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include "app/args.hpp"
#include "app/common.hpp"
#include "app/publisher.hpp"
#include "app/service.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/url.hpp"
#include "pipeline/page_budget.hpp"
#include "pipeline/poll.hpp"
#include "schedule/scheduler.hpp"
#include "store/store.hpp"

namespace fg::app {

namespace {

// The config in force; swapped whole on reload, read by polls on worker threads. Feeds are
// indexed by id, so a poll finds its feed in O(1) however many there are.
class ConfigHolder {
 public:
  explicit ConfigHolder(std::shared_ptr<const config::Config> c) { set(std::move(c)); }
  std::shared_ptr<const config::Config> get() const {
    std::lock_guard lock(mutex_);
    return config_;
  }
  void set(std::shared_ptr<const config::Config> c) {
    std::unordered_map<std::string, const config::FeedConfig*> index;
    for (const auto& feed : c->feeds) index.emplace(feed.id, &feed);
    std::lock_guard lock(mutex_);
    config_ = std::move(c);
    index_ = std::move(index);
  }
  // The feed with this id and the config that owns it; a null feed when a reload removed it.
  std::pair<std::shared_ptr<const config::Config>, const config::FeedConfig*> feed(
      const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = index_.find(id);
    return {config_, it == index_.end() ? nullptr : it->second};
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const config::Config> config_;
  std::unordered_map<std::string, const config::FeedConfig*> index_;  // into *config_
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
  std::string line = "poll" + log::kv("feed", s.feed_id) + log::kv("status", s.http_status) +
                     log::kv("bytes", s.bytes) + log::kv("late_ms", late.count()) +
                     log::kv("links", s.links_found) + log::kv("fetched", s.articles_fetched) +
                     log::kv("new", s.new_items) + log::kv("took_ms", s.duration.count());
  if (s.ok && s.problems.empty()) return log::info(line);
  line += log::kv("error", s.problems.empty() ? std::string("failed") : s.problems.front());
  if (s.problems.size() > 1) line += log::kv("more_problems", s.problems.size() - 1);
  log::warning(line);  // one line per failed poll, however many problems it had
}

// Loads a config for the daemon: every problem becomes one error line (FILE:LINE:COL: message).
std::optional<config::Config> load_logged(const std::string& path) {
  config::LoadResult loaded = config::load_config(path, recipe_dirs(path));
  for (const auto& problem : loaded.problems) {
    log::error("config_problem" +
               log::kv("at", problem.file + ":" + std::to_string(problem.line) + ":" +
                                 std::to_string(problem.column)) +
               log::kv("message", problem.message));
  }
  if (!loaded.problems.empty()) {
    log::error("config_invalid" + log::kv("config", path) +
               log::kv("problems", loaded.problems.size()) +
               log::kv("hint", "run feedgate check -c " + path));
    return std::nullopt;
  }
  return std::move(loaded.config);
}

// Applies the log settings of a config unless --log-level was given.
void apply_log_level(const config::Config& config, bool level_from_command_line) {
  log::Level level;
  if (!level_from_command_line && log::parse_level(config.log.level, level)) log::set_level(level);
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

// Starts the server on the configured address, or on the socket systemd passed (socket
// activation). Access log lines are written while `access_log` is set.
std::optional<std::unique_ptr<serve::Server>> start_server(const config::Config& config,
                                                           const std::atomic<bool>& access_log) {
  serve::ServerOptions options;
  options.listen = config.server.listen;
  options.threads = config.server.threads;
  std::string error;
  options.adopt_fd = service::inherited_listener(error);
  if (options.adopt_fd == -2) {
    log::error("socket_activation_failed" + log::kv("error", error));
    return std::nullopt;
  }
  options.on_request = [&access_log](std::string_view method, std::string_view target, int status,
                                     std::size_t bytes) {
    if (!access_log) return;
    log::info("request" + log::kv("method", method) + log::kv("target", target) +
              log::kv("status", status) + log::kv("bytes", static_cast<long long>(bytes)));
  };
  auto server = std::make_unique<serve::Server>(options);
  // Until the Publisher has rendered every feed, a feed not published yet is answered 503 with
  // Retry-After and /healthz says "starting": a restart never answers 404 for a feed that exists.
  auto starting = std::make_shared<serve::Site>();
  starting->starting = true;
  server->publish(std::move(starting));
  if (auto started = server->start(); !started) {
    log::error("listen_failed" + log::kv("error", started.error().describe()));
    return std::nullopt;
  }
  return server;
}

// Waits for signals: SIGHUP reloads (an invalid config is logged and the running one stays),
// SIGINT/SIGTERM return.
void serve_until_stopped(const sigset_t& signals, const std::string& config_path,
                         bool level_from_command_line,
                         const std::function<void(std::shared_ptr<const config::Config>)>& apply,
                         const std::function<std::string()>& status) {
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig != SIGHUP) return;
    service::reloading();
    log::info("reload" + log::kv("config", config_path));
    auto reloaded = load_logged(config_path);
    if (!reloaded) {
      log::error("reload_failed" + log::kv("config", config_path) +
                 log::kv("result", "the running configuration stays in force"));
    } else {
      apply_log_level(*reloaded, level_from_command_line);
      apply(std::make_shared<const config::Config>(std::move(*reloaded)));
      log::info("reloaded" + log::kv("config", config_path));
    }
    service::ready(status());
  }
}

// glibc gives each polling thread its own malloc arena (up to 8 per core); pages parsed on 16
// workers then leave 16 fragmented heaps resident. Two arenas take ~15% off the resident size in
// tests/bench/poll (see its README). MALLOC_ARENA_MAX in the environment still overrides.
void limit_malloc_arenas() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
}

// Feed bodies go to files next to the database (page cache, not heap). A read-only or full
// data directory only costs memory: the bodies then stay in the heap.
std::shared_ptr<const serve::BodyDir> open_body_dir(const std::string& store_path) {
  const std::string dir = (std::filesystem::path(store_path).parent_path() / "bodies").string();
  auto opened = serve::BodyDir::open(dir);
  if (!opened) {
    log::warning("serve_bodies_in_memory" + log::kv("error", opened.error().describe()));
    return nullptr;
  }
  return *opened;
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  limit_malloc_arenas();
  std::string error;
  auto args = parse_args(argc, argv, 2, {"--config", "--log-level"}, {}, error);
  if (!args) {
    std::fprintf(stderr,
                 "feedgate serve: %s\nusage: feedgate serve [-c FILE] [--log-level LEVEL]\n",
                 error.c_str());
    return kExitUsage;
  }
  const bool level_from_command_line = args->get("--log-level").has_value();
  if (auto level_name = args->get("--log-level")) {
    log::Level level;
    if (!log::parse_level(*level_name, level)) {
      std::fprintf(stderr, "feedgate serve: --log-level must be error, warning, info or debug\n");
      return kExitUsage;
    }
    log::set_level(level);
  }
  const std::string config_path = args->get("--config").value_or(kDefaultConfigPath);
  auto loaded = load_logged(config_path);
  if (!loaded) return kExitUsage;
  apply_log_level(*loaded, level_from_command_line);
  ConfigHolder config(std::make_shared<const config::Config>(std::move(*loaded)));
  std::atomic<bool> access_log{config.get()->log.access_log};

  auto opened = open_store(config.get()->storage);
  if (!opened) {
    log::error("store_open_failed" + log::kv("error", opened.error().describe()));
    return kExitFailure;
  }
  std::unique_ptr<store::Store> store = std::move(*opened);
  const sigset_t signals = block_signals();
  auto started = start_server(*config.get(), access_log);
  if (!started) return kExitFailure;
  serve::Server& server = **started;

  fetch::Fetcher fetcher(fetch_options(config.get()->fetch));
  pipeline::PageBudget pages(config.get()->limits);  // read at start; a reload keeps them
  const pipeline::PollContext ctx{fetcher, *store, &pages};
  std::unique_ptr<schedule::Scheduler> scheduler;
  Publisher publisher(*store, server,
                      [&](const std::string& id) { return scheduler->next_poll(id); });
  publisher.use_body_dir(open_body_dir(config.get()->storage.path));
  auto status_text = [&] { return publisher.summary(); };
  schedule::SchedulerOptions sched_options;
  sched_options.workers = config.get()->fetch.concurrency;
  scheduler = std::make_unique<schedule::Scheduler>(
      [&](const schedule::PollStart& start) {
        const auto [owner, feed] = config.feed(start.feed_id);
        if (feed == nullptr) return schedule::Outcome{true, false, std::nullopt};  // reloaded away
        auto summary = pipeline::poll_feed(*feed, ctx);
        log_poll(summary, start.lateness);
        metrics::record_poll(feed->id, summary.outcome, summary.fetch_seconds);
        publisher.feed_polled(feed->id, summary.new_items > 0);
        service::status(status_text());
        return outcome_of(summary);
      },
      sched_options);
  auto apply = [&](std::shared_ptr<const config::Config> next) {
    config.set(std::move(next));
    access_log = config.get()->log.access_log;
    publisher.set_config(config.get());
    scheduler->set_jobs(jobs_of(*config.get()));
  };
  apply(config.get());
  scheduler->start();
  if (auto period = service::watchdog_period()) server.every(*period, service::watchdog_ping);
  log::info("listening" + log::kv("url", config.get()->server.base_url) +
            log::kv("port", server.port()) + log::kv("feeds", config.get()->feeds.size()) +
            log::kv("store", store_name(config.get()->storage)));
  service::ready(status_text());

  serve_until_stopped(signals, config_path, level_from_command_line, apply, status_text);
  service::stopping();
  log::info("stopping");
  server.stop();
  scheduler->stop();
  log::info("stopped");
  return kExitOk;
}

}  // namespace fg::app
