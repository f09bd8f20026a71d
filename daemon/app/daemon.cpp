#include "app/daemon.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "app/cluster_gate.hpp"
#include "app/common.hpp"
#include "app/service.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/url.hpp"
#include "pipeline/feed_shaping.hpp"
#include "render/render.hpp"

namespace fg::app {

namespace {

std::vector<schedule::Job> jobs_of(const config::Config& config) {
  std::vector<schedule::Job> jobs;
  for (const auto& feed : config.feeds) {
    if (!feed.polls()) continue;  // merged and same_as feeds poll nothing
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
  o.cancelled = s.cancelled;
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

// The server's options for a config; `adopt_fd` is the socket systemd passed (-1: bind the
// configured address). Access log lines are written while `access_log` is set.
serve::ServerOptions server_options(const config::Config& config, int adopt_fd,
                                    const std::atomic<bool>& access_log) {
  serve::ServerOptions options;
  options.listen = config.server.listen;
  options.threads = config.server.threads;
  options.shaped_cache_bytes = config.server.shaped_cache;
  options.adopt_fd = adopt_fd;
  options.on_request = [&access_log](std::string_view method, std::string_view target, int status,
                                     std::size_t bytes) {
    if (!access_log) return;
    log::info("request" + log::kv("method", method) + log::kv("target", target) +
              log::kv("status", status) + log::kv("bytes", static_cast<long long>(bytes)));
  };
  return options;
}

// Threads for previews: enough for the configured concurrency (a reload that raises it queues
// the extra previews), few, since each waits on fetches most of its time.
int preview_workers(const config::Config& config) {
  return std::clamp(config.preview.concurrency, 1, 8);
}

schedule::SchedulerOptions scheduler_options(const config::Config& config, ClusterMember* cluster) {
  schedule::SchedulerOptions options;
  options.workers = config.fetch.concurrency;
  options.shared = cluster;
  // Renewed three times a lease, so one late renewal never loses a running poll.
  options.renew_every = config.cluster.lease / 3;
  // Claimed ahead well within a lease (a feed held until due is still leased when it starts),
  // twice per window, so that no feed waits for a claim once due.
  options.claim_ahead = std::min(std::chrono::milliseconds{2'000}, config.cluster.lease / 4);
  options.claim_every = options.claim_ahead / 2;
  return options;
}

// Cluster mode: the store is shared (PostgreSQL), so the schedule is too.
std::unique_ptr<ClusterMember> cluster_member(store::Store& store, const config::Config& config) {
  store::ClusterBook* book = store.cluster();
  if (book == nullptr) return nullptr;
  MemberOptions options;
  options.lease = config.cluster.lease;
  options.address = config.server.listen;
  const schedule::BreakerOptions breaker;  // the scheduler's defaults, now counted cluster-wide
  options.breaker = {breaker.threshold, breaker.cooldown, breaker.max_cooldown};
  return std::make_unique<ClusterMember>(*book, std::move(options));
}

// Feed bodies go to files (page cache, not heap), where body_dir says. A read-only or full
// data directory only costs memory: the bodies then stay in the heap.
std::shared_ptr<const serve::BodyDir> open_body_dir(const config::StorageOptions& storage) {
  const std::string dir = body_dir(storage);
  auto opened = serve::BodyDir::open(dir);
  if (!opened) {
    log::warning("serve_bodies_in_memory" + log::kv("error", opened.error().describe()));
    return nullptr;
  }
  return *opened;
}

// The WebSub hub when websub.enabled (read at start only): callbacks obey fetch's policy.
std::shared_ptr<WebSubHub> make_hub(store::Store& store, const config::Config& config) {
  if (!config.websub.enabled) return nullptr;
  HubOptions options;
  options.websub = config.websub;
  options.base_url = config.server.base_url;
  options.fetch = fetch_options(config.fetch);
  return std::make_shared<WebSubHub>(store, std::move(options));
}

}  // namespace

std::unique_ptr<Daemon> Daemon::open(std::shared_ptr<const config::Config> config) {
  const auto inherited = service::inherited_listener();
  if (!inherited) {
    log::error("socket_activation_failed" + log::kv("error", inherited.error().describe()));
    return nullptr;
  }
  const int adopt_fd = inherited->value_or(-1);
  auto opened = open_store(config->storage);
  if (!opened) {
    log::error("store_open_failed" + log::kv("error", opened.error().describe()));
    return nullptr;
  }
  std::unique_ptr<Daemon> daemon(new Daemon(std::move(config), std::move(*opened), adopt_fd));
  if (auto started = daemon->server_.start(); !started) {
    log::error("listen_failed" + log::kv("error", started.error().describe()));
    return nullptr;
  }
  return daemon;
}

Daemon::Daemon(std::shared_ptr<const config::Config> config, std::unique_ptr<store::Store> store,
               int adopt_fd)
    : config_(std::move(config)),
      access_log_(config_.get()->log.access_log),
      store_(std::move(store)),
      hub_(make_hub(*store_, *config_.get())),
      server_(server_options(*config_.get(), adopt_fd, access_log_)),
      fetcher_(fetch_options(config_.get()->fetch)),
      preview_(std::make_shared<pipeline::PreviewService>(
          fetcher_, [this] { return config_.get(); }, preview_workers(*config_.get()))),
      pages_(config_.get()->limits),
      poll_context_{fetcher_, *store_, &pages_},
      cluster_(cluster_member(*store_, *config_.get())),
      scheduler_([this](const schedule::PollStart& start) { return poll(start); },
                 scheduler_options(*config_.get(), cluster_.get())),
      publisher_(*store_, server_, [this](const std::string& id) {
        return cluster_ ? cluster_->next_due(id) : scheduler_.next_poll(id);
      }) {
  // Until the Publisher has rendered every feed, a feed not published yet is answered 503 with
  // Retry-After and /healthz says "starting": a restart never answers 404 for a feed that exists.
  auto starting = std::make_shared<serve::Site>();
  starting->starting = true;
  server_.publish(std::move(starting));
  server_.handle("/preview", preview_);
  publisher_.use_body_dir(open_body_dir(config_.get()->storage));
  publisher_.use_hub(hub_);
  if (cluster_) {
    // Request turns, pauses and per_host shared with the other instances; an instance is
    // counted among per_host's sharers while its heartbeat is within one lease.
    fetcher_.use_gate(
        std::make_shared<ClusterGate>(*store_->cluster(), config_.get()->cluster.lease));
    publisher_.use_cluster_view([member = cluster_.get()](std::vector<render::FeedStatus>& feeds) {
      return member->view(feeds);
    });
  }
}

Daemon::~Daemon() {
  stop();
}

void Daemon::apply(std::shared_ptr<const config::Config> config) {
  config_.set(std::move(config));
  access_log_ = config_.get()->log.access_log;
  publisher_.set_config(config_.get());
  const auto jobs = jobs_of(*config_.get());
  if (cluster_) {
    const auto& path = config_.get()->path;
    cluster_->sync(jobs, config_digest(path), config_mtime(path));
  }
  scheduler_.set_jobs(jobs);
}

void Daemon::start() {
  if (cluster_) {
    // An instance stored items: every instance renders them (and shows that poll on "/"); the
    // one that polled delivers them to WebSub subscribers, so each notification goes out once.
    cluster_->start([this](const std::string& id) { publisher_.feed_polled(id, true, false); },
                    [this] { publisher_.set_config(config_.get()); },
                    [this] { publisher_.refresh_status(); });
  }
  scheduler_.start();
  // Off the serving and polling threads: the first reader asking for ?opencc= then does not
  // wait for OpenCC's dictionaries.
  preload_ = std::thread(pipeline::preload_shaping);
  if (auto period = service::watchdog_period()) server_.every(*period, service::watchdog_ping);
  const auto config = config_.get();
  log::info("listening" + log::kv("url", config->server.base_url) +
            log::kv("port", server_.port()) + log::kv("feeds", config->feeds.size()) +
            log::kv("store", store_name(config->storage)));
}

// Polls in flight are cancelled first (their fetches fail at once and they store nothing), so
// waiting for them takes no longer than their parsing; then serving and polling end.
void Daemon::stop() {
  if (stopped_.exchange(true)) return;
  fetcher_.stop();
  server_.stop();
  preview_->stop();
  scheduler_.stop();
  if (preload_.joinable()) preload_.join();
  if (cluster_) cluster_->stop();  // after the scheduler has handed its feeds back
  if (hub_) hub_->stop();
}

schedule::Outcome Daemon::poll(const schedule::PollStart& start) {
  const auto [owner, feed] = config_.feed(start.feed_id);
  if (feed == nullptr) return schedule::Outcome{true, false, std::nullopt, false};  // reloaded away
  auto summary = pipeline::poll_feed(*feed, poll_context_);
  if (summary.cancelled) {
    log::info("poll_cancelled" + log::kv("feed", feed->id) +
              log::kv("took_ms", summary.duration.count()));
    return outcome_of(summary);
  }
  log_poll(summary, start.lateness);
  if (cluster_ && summary.outcome == "store_error") {
    cluster_->poll_not_stored(feed->id, summary.problems.empty() ? "" : summary.problems.front());
  }
  metrics::record_poll(feed->id, summary.outcome, summary.fetch_seconds);
  publisher_.feed_polled(feed->id, summary.new_items > 0);
  service::status(status());
  return outcome_of(summary);
}

}  // namespace fg::app
