#include "app/status_publisher.hpp"

#include <vector>

#include "core/log.hpp"
#include "core/metrics.hpp"
#include "pipeline/publish.hpp"
#include "render/render.hpp"
#include "serve/prepare.hpp"

namespace fg::app {

namespace {

constexpr int kOpmlMaxAge = 60;  // seconds a reader may cache the OPML; "/" is not cached
// Rebuilds are at least this far apart, and at least kQuietFactor times as long as the last
// build took, so that the page never costs more than a small share of a core however many
// feeds it lists.
constexpr std::chrono::milliseconds kMinRebuildGap{1000};
constexpr int kQuietFactor = 20;
// A feed's poll ends before the scheduler puts it back on its schedule, so the build that follows
// a poll may not know the next poll yet; it is retried on this many later builds (about a
// second apart) before the feed is taken for one that has no next poll (removed, or polling).
constexpr int kRescheduleChecks = 5;

// Items stored and the last successful poll, for /metrics.
void record_feed_gauges(const std::string& id, const FeedState& state) {
  auto& registry = metrics::registry();
  registry.gauge(metrics::kItemsStored, "Items kept in the store for each feed.", {{"feed", id}})
      .set(state.item_count());
  if (auto success = state.last_success()) {
    registry
        .gauge(metrics::kLastSuccess, "Unix time of the last successful poll of each feed.",
               {{"feed", id}})
        .set(static_cast<double>(success->time_since_epoch().count()));
  }
}

}  // namespace

StatusPublisher::StatusPublisher(store::Store& store, NextPoll next_poll, Publish publish)
    : store_(store),
      next_poll_(std::move(next_poll)),
      publish_(std::move(publish)),
      thread_([this] { run(); }) {}

StatusPublisher::~StatusPublisher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

StatusResources StatusPublisher::set_config(std::shared_ptr<const config::Config> config) {
  std::vector<std::string> unknown;
  {
    std::lock_guard lock(mutex_);
    for (const auto& feed : config->feeds) {
      if (!feeds_.contains(feed.id)) unknown.push_back(feed.id);
    }
  }
  std::map<std::string, FeedState> loaded;  // read without the lock: polls go on meanwhile
  for (const auto& id : unknown) loaded[id].load(store_, id);
  {
    std::lock_guard lock(mutex_);
    // Known feeds are taken as they are now, with any poll that ended during the reads above.
    std::map<std::string, FeedState> next;
    for (const auto& feed : config->feeds) {
      auto known = feeds_.find(feed.id);
      FeedState& state = next[feed.id];
      state = known != feeds_.end() ? std::move(known->second) : std::move(loaded[feed.id]);
      record_feed_gauges(feed.id, state);
    }
    config_ = std::move(config);
    feeds_ = std::move(next);
  }
  return build();
}

void StatusPublisher::feed_polled(const std::string& feed_id, bool items_changed) {
  auto last = store_.last_poll(feed_id);
  if (!last || !*last) return;
  std::optional<int> count;
  if (items_changed) {
    if (auto n = store_.count_items(feed_id)) count = *n;
  }
  {
    std::lock_guard lock(mutex_);
    auto it = feeds_.find(feed_id);
    if (it == feeds_.end() || !it->second.polled(**last, count)) return;
    record_feed_gauges(feed_id, it->second);
    awaiting_next_poll_[feed_id] = kRescheduleChecks;
    dirty_ = true;
  }
  wake_.notify_one();
}

void StatusPublisher::refresh() {
  {
    std::lock_guard lock(mutex_);
    dirty_ = true;
  }
  wake_.notify_one();
}

void StatusPublisher::use_cluster_view(ClusterView view) {
  std::lock_guard lock(mutex_);
  cluster_view_ = std::move(view);
}

void StatusPublisher::use_push_stats(PushStats stats) {
  std::lock_guard lock(mutex_);
  push_stats_ = std::move(stats);
}

std::string StatusPublisher::summary() const {
  std::lock_guard lock(mutex_);
  return summary_;
}

StatusResources StatusPublisher::build() {
  std::lock_guard build_lock(build_mutex_);
  std::shared_ptr<const config::Config> config;
  std::vector<render::FeedInfo> infos;
  std::vector<render::FeedStatus> statuses;
  {
    std::lock_guard lock(mutex_);
    dirty_ = false;
    config = config_;
    if (!config) return {};
    long long items = 0;
    int failing = 0;
    for (const auto& feed : config->feeds) {
      auto it = feeds_.find(feed.id);
      statuses.push_back(it != feeds_.end() ? it->second.status() : render::FeedStatus{});
      statuses.back().info = pipeline::feed_info(feed, *config);
      infos.push_back(statuses.back().info);
      items += statuses.back().item_count;
      if (it != feeds_.end() && it->second.failing()) ++failing;
    }
    summary_ = std::to_string(config->feeds.size()) + " feeds, " + std::to_string(items) +
               " items, " + std::to_string(failing) + " failing";
  }
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    statuses[i].next_poll = next_poll_ ? next_poll_(config->feeds[i].id) : std::nullopt;
  }
  settle_next_polls(*config, statuses);
  render::StatusHead head;
  PushStats push_stats;
  ClusterView cluster_view;
  {
    std::lock_guard lock(mutex_);
    push_stats = push_stats_;
    cluster_view = cluster_view_;
  }
  if (cluster_view) head.cluster = cluster_view(statuses);
  if (push_stats) {
    const HubStats hub = push_stats();
    head.push = render::PushSummary{hub.deliveries, hub.failures, hub.dropped};
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      const auto found = hub.subscribers.find(config->feeds[i].id);
      statuses[i].push_subscribers = found == hub.subscribers.end() ? 0 : found->second;
    }
  }
  const Timestamp now = now_seconds();
  if (config != opml_config_) {
    opml_ =
        serve::make_resource("text/x-opml; charset=utf-8",
                             render::render_opml(infos, config->server.base_url), now, kOpmlMaxAge);
    opml_config_ = config;
  }
  StatusResources out;
  out.opml = opml_;
  // The first page of every feed; searches and the other pages render on request from `status`.
  out.page = serve::make_resource("text/html; charset=utf-8",
                                  render::render_status_page(statuses, now, {}, head), now, 0);
  auto snapshot = std::make_shared<StatusSnapshot>();
  snapshot->feeds = std::move(statuses);
  snapshot->now = now;
  snapshot->head = std::move(head);
  out.status = std::move(snapshot);
  out.sequence = ++builds_;
  return out;
}

// Feeds polled since the last build whose next poll is now known are settled; the others keep
// the page dirty, so that it is rebuilt once the scheduler has put them back on its schedule.
void StatusPublisher::settle_next_polls(const config::Config& config,
                                        const std::vector<render::FeedStatus>& statuses) {
  bool again = false;
  {
    std::lock_guard lock(mutex_);
    if (awaiting_next_poll_.empty()) return;
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      auto it = awaiting_next_poll_.find(config.feeds[i].id);
      if (it == awaiting_next_poll_.end()) continue;
      if (statuses[i].next_poll || --it->second <= 0) awaiting_next_poll_.erase(it);
    }
    // Feeds a reload removed are no longer on the page.
    std::erase_if(awaiting_next_poll_,
                  [&](const auto& entry) { return !feeds_.contains(entry.first); });
    again = !awaiting_next_poll_.empty();
    dirty_ = dirty_ || again;
  }
  if (again) wake_.notify_one();
}

// Waits for a poll to make the page stale, then rebuilds it, no sooner than the gap allows.
// The thread's entry point: what a build throws is logged and the thread carries on, since the
// next poll makes the page stale again and the page in use stays served meanwhile.
void StatusPublisher::run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point next_allowed = Clock::now();
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return dirty_ || stopping_; });
    if (wake_.wait_until(lock, next_allowed, [&] { return stopping_; })) return;
    lock.unlock();
    // The build alone sets the gap: publishing may wait for a feed being rendered.
    Clock::duration took{};
    try {
      took = rebuild();
    } catch (...) {
      log::thread_failed("status", "the page in use stays; the next poll rebuilds it");
    }
    next_allowed = Clock::now() + std::max<Clock::duration>(kMinRebuildGap, took * kQuietFactor);
    lock.lock();
  }
}

std::chrono::steady_clock::duration StatusPublisher::rebuild() {
  const auto started = std::chrono::steady_clock::now();
  StatusResources built = build();
  const auto took = std::chrono::steady_clock::now() - started;
  if (built.page) {
    log::debug(
        "status_page" + log::kv("bytes", static_cast<long long>(built.page->body.size())) +
        log::kv("build_ms", std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  }
  if (built.page && publish_) publish_(std::move(built));
  return took;
}

}  // namespace fg::app
