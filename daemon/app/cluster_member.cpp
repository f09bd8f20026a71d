#include "app/cluster_member.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <tuple>

#include "core/log.hpp"
#include "core/metrics.hpp"

namespace fg::app {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// An instance is alive while its heartbeat is this many beats old at most.
constexpr int kBeatsAlive = 3;
// While the database cannot be reached, the listener reconnects backing off up to this.
constexpr milliseconds kMaxReconnect{5'000};

// host:port/pid-random: unique per process, and says where to look for it.
std::string instance_id(const std::string& address) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::random_device random;
  const unsigned salt = random() & 0xffffu;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%04x", salt);
  return std::string(host) + "/" + address + "/" + std::to_string(::getpid()) + "-" + suffix;
}

// Heartbeats come often enough that an instance is seen dead well within one lease.
milliseconds beat_every(milliseconds lease) {
  return std::clamp(lease / 4, milliseconds{250}, milliseconds{10'000});
}

}  // namespace

std::string config_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a: stable across builds and machines
  char c;
  while (in.get(c)) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

Timestamp config_mtime(const std::string& path) {
  std::error_code error;
  const auto written = std::filesystem::last_write_time(path, error);
  if (error) return Timestamp{};
  const auto system = std::chrono::file_clock::to_sys(written);
  return std::chrono::floor<std::chrono::seconds>(system);
}

ClusterMember::ClusterMember(store::ClusterBook& book, MemberOptions options)
    : book_(book), options_(std::move(options)) {
  store_available_gauge().set(1);  // until a claim or a heartbeat fails
  self_.id = instance_id(options_.address);
  self_.address = options_.address;
  self_.version = FEEDGATE_VERSION;
  self_.started = now_seconds();
  // Listening and reading the items versions before the first render: a commit by another
  // instance in between is then heard (queued on this connection) or seen by the periodic
  // check, rather than missed.
  if (auto opened = book_.listen_items()) listener_ = std::move(*opened);
  if (auto versions = book_.item_versions()) {
    for (const auto& v : *versions) rendered_[v.feed_id] = v.version;
    versions_known_ = true;
  }
}

ClusterMember::~ClusterMember() {
  stop();
}

void ClusterMember::sync(const std::vector<schedule::Job>& jobs, const std::string& config_hash,
                         Timestamp config_time) {
  store::InstanceInfo self;
  {
    std::lock_guard lock(mutex_);
    schedule_.clear();
    for (const auto& job : jobs) schedule_.push_back({job.feed_id, job.host, job.interval});
    self_.config_hash = config_hash;
    self_.config_time = config_time;
    self = self_;
  }
  // Announced first, so that an older instance syncing after this one sees this config.
  if (auto r = book_.announce(self); !r) reachable(false, r.error().describe());
  sync_schedule();
}

// "Newest" is the config file's modification time, not when an instance loaded it: an instance
// restarted on a machine whose file was not updated loads late but reads an old file, and must
// not undo the schedule of the config written after it. Machines' clocks only need to agree to
// within the time between two edits of the config.
void ClusterMember::sync_schedule() {
  std::vector<store::ScheduledFeed> feeds;
  {
    std::lock_guard lock(mutex_);
    feeds = schedule_;
  }
  milliseconds shortest{0};
  for (const auto& feed : feeds) {
    if (shortest.count() == 0 || feed.interval < shortest) shortest = feed.interval;
  }
  // New feeds' first polls spread as a single instance spreads them (30 ms a feed), within
  // the shortest interval.
  const milliseconds spread =
      std::min(shortest, milliseconds{30} * static_cast<long>(feeds.size()));
  auto newer =
      book_.sync_feeds_if_newest(self_.id, feeds, spread, beat_every(options_.lease) * kBeatsAlive);
  if (!newer) {
    log::error("cluster_sync_failed" + log::kv("error", newer.error().describe()));
    return;
  }
  bool changed;
  {
    std::lock_guard lock(mutex_);
    changed = note_newer_config(*newer);
  }
  if (changed && status_changed_) status_changed_();
}

// With the lock held; true when it changed.
bool ClusterMember::note_newer_config(const std::optional<store::InstanceInfo>& newer) {
  const std::string was = newer_config_;
  newer_config_ = newer ? newer->id : std::string();
  if (newer && was != newer_config_) {
    log::warning("cluster_config_older" + log::kv("newer_on", newer->id) +
                 log::kv("its_config_written", format_rfc3339(newer->config_time)) +
                 log::kv("mine_written", format_rfc3339(self_.config_time)) +
                 log::kv("then",
                         "the shared schedule follows the newer config; update this "
                         "instance's config file"));
  } else if (!newer && !was.empty()) {
    log::info("cluster_config_newest" + log::kv("then", "the shared schedule follows this config"));
  }
  return was != newer_config_;
}

void ClusterMember::start(ItemsChanged items_changed, Resync resync, StatusChanged status_changed) {
  items_changed_ = std::move(items_changed);
  resync_ = std::move(resync);
  status_changed_ = std::move(status_changed);
  if (auto r = book_.announce(self_); !r) reachable(false, r.error().describe());
  log::info("cluster_joined" + log::kv("instance", self_.id) +
            log::kv("lease_ms", options_.lease.count()));
  thread_ = std::thread([this] { run(); });
}

void ClusterMember::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (auto r = book_.retire(self_.id); !r) {
    log::warning("cluster_retire_failed" + log::kv("error", r.error().describe()) +
                 log::kv("then", "its leases lapse after cluster.lease"));
  }
}

std::optional<Timestamp> ClusterMember::next_due(const std::string& feed_id) const {
  std::lock_guard lock(mutex_);
  const auto found = leases_.find(feed_id);
  if (found == leases_.end() || !found->second.holder.empty()) return std::nullopt;
  return found->second.next_due;
}

render::ClusterSummary ClusterMember::view(std::vector<render::FeedStatus>& feeds) const {
  std::lock_guard lock(mutex_);
  for (auto& feed : feeds) {
    const auto found = leases_.find(feed.info.id);
    if (found == leases_.end()) continue;
    feed.polled_by = found->second.last_polled_by;
    feed.polling_on = found->second.holder;
  }
  render::ClusterSummary out = seen_;
  out.self = self_.id;
  out.newer_config = newer_config_;
  if (unreachable_since_) {
    out.store_unavailable_since = unreachable_since_;
    out.store_error = unreachable_error_;
    // Their polls cannot run: what the page says of them is this, not their last poll.
    for (auto& feed : feeds) {
      if (!stalled_.contains(feed.info.id)) continue;
      feed.last_error = "store unavailable";
      feed.last_error_at = unreachable_since_;
    }
  }
  return out;
}

std::optional<std::vector<schedule::SharedDue>> ClusterMember::claim(int limit,
                                                                     milliseconds ahead) {
  auto claimed = book_.claim_due(self_.id, limit, options_.lease, ahead);
  if (!claimed) {
    metrics::registry()
        .counter("feedgate_cluster_store_unavailable_total",
                 "Attempts to claim due feeds that failed because the database did not answer.")
        .inc();
    reachable(false, claimed.error().describe());
    bool stalled;
    {
      std::lock_guard lock(mutex_);
      stalled = stall_due_feeds();
    }
    if (stalled && status_changed_) status_changed_();
    return std::nullopt;
  }
  reachable(true, {});
  std::vector<schedule::SharedDue> due;
  for (const auto& c : *claimed) {
    if (!c.taken_from.empty()) {
      log::warning("poll_taken_over" + log::kv("feed", c.feed_id) + log::kv("from", c.taken_from) +
                   log::kv("late_ms", c.late.count()));
      metrics::registry()
          .counter("feedgate_cluster_takeovers_total",
                   "Polls claimed after another instance's lease on them lapsed.")
          .inc();
    }
    due.push_back({c.feed_id, c.failures, c.late});
  }
  return due;
}

void ClusterMember::renew(const std::vector<std::string>& held) {
  auto renewed = book_.renew(self_.id, held, options_.lease);
  if (!renewed) return reachable(false, renewed.error().describe());
  if (renewed->size() < held.size()) {
    log::warning("cluster_leases_lost" + log::kv("claimed", held.size()) +
                 log::kv("held", renewed->size()));
  }
}

void ClusterMember::hand_back(const std::vector<std::string>& feed_ids) {
  if (auto r = book_.hand_back(self_.id, feed_ids); !r) {
    // retire() frees them too; failing that, their leases lapse.
    log::warning("cluster_hand_back_failed" + log::kv("feeds", feed_ids.size()) +
                 log::kv("error", r.error().describe()));
  }
}

void ClusterMember::release(const std::string& feed_id, const schedule::Outcome& outcome,
                            milliseconds next_in, int failures) {
  store::Release r{next_in, failures, outcome.connection_failure};
  if (outcome.retry_after) r.retry_after = *outcome.retry_after;
  r.reached_host = !outcome.cancelled;
  auto released = book_.release(self_.id, feed_id, r, options_.breaker);
  if (!released) {
    // The lease lapses and another instance (or this one) polls the feed again then.
    log::warning("cluster_release_failed" + log::kv("feed", feed_id) +
                 log::kv("error", released.error().describe()));
  }
}

void ClusterMember::poll_now(const std::string& feed_id) {
  if (auto r = book_.poll_now(feed_id); !r) reachable(false, r.error().describe());
}

// The thread: waits on the listening connection (so that another instance's commit is served
// here within a second), and heartbeats in between. A lost connection is opened again backing
// off, and then everything is re-read, since notifications sent meanwhile were missed.
void ClusterMember::run() {
  const milliseconds every = beat_every(options_.lease);
  std::unique_ptr<store::ItemsListener> listener = std::move(listener_);
  milliseconds reconnect{250};
  bool missed = listener == nullptr;  // not listening since the first render
  auto next_beat = Clock::now();
  auto next_check = Clock::now() + options_.check_every;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (Clock::now() >= next_beat) {
      beat();
      next_beat = Clock::now() + every;
    }
    if (Clock::now() >= next_check) {
      check_versions();
      next_check = Clock::now() + options_.check_every;
    }
    if (!listener) {
      auto opened = book_.listen_items();
      if (!opened) {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, reconnect, [&] { return stopping_; });
        reconnect = std::min(reconnect * 2, kMaxReconnect);
        missed = true;
        continue;
      }
      listener = std::move(*opened);
      reconnect = milliseconds{250};
      if (missed) resync_all();
      missed = false;
    }
    auto heard = listener->wait(std::min({every, options_.check_every, milliseconds{500}}));
    if (!heard) {
      log::warning("cluster_listener_lost" + log::kv("error", heard.error().describe()));
      listener.reset();
      missed = true;
      continue;
    }
    for (const auto& change : *heard) {
      auto& seen = rendered_[change.feed_id];
      seen = std::max(seen, change.version);
      if (items_changed_) items_changed_(change.feed_id);
    }
  }
}

void ClusterMember::beat() {
  store::InstanceInfo self;
  bool was_older;
  {
    std::lock_guard lock(mutex_);
    self = self_;
    was_older = !newer_config_.empty();
  }
  auto alive = book_.heartbeat(self.id);
  if (alive && !*alive) {
    if (auto r = book_.announce(self); !r) alive = r.error();
  }
  if (!alive) {
    reachable(false, alive.error().describe());
    // The page's "since" ages while the outage lasts.
    if (status_changed_) status_changed_();
    return;
  }
  reachable(true, {});
  auto instances = book_.instances(beat_every(options_.lease) * kBeatsAlive);
  auto leases = book_.leases();
  if (!instances || !leases) return;
  int live = 0, differing = 0;
  bool older = false;
  render::ClusterSummary seen;
  for (const auto& i : *instances) {
    if (!i.alive) continue;
    ++live;
    seen.alive.push_back(i.id);
    if (i.config_hash != self.config_hash) ++differing;
    older = older ||
            std::tie(i.config_time, i.config_hash) > std::tie(self.config_time, self.config_hash);
  }
  // The newer config's instances left (or reloaded this config): the schedule is this one's
  // again; one newer than this one appeared: the next sync says so.
  if (was_older != older) sync_schedule();
  int mine = 0, held = 0;
  std::map<std::string, store::FeedLease, std::less<>> by_feed;
  for (auto& l : *leases) {
    if (!l.holder.empty()) ++held;
    if (l.holder == self_.id) ++mine;
    by_feed[l.feed_id] = std::move(l);
  }
  auto& registry = metrics::registry();
  registry.gauge("feedgate_cluster_instances_alive", "Instances with a recent heartbeat.")
      .set(live);
  registry.gauge("feedgate_cluster_leases_held", "Polls leased (running) across the cluster.")
      .set(held);
  registry.gauge("feedgate_cluster_leases_mine", "Polls this instance holds a lease on.").set(mine);
  registry
      .gauge("feedgate_cluster_config_differs",
             "Live instances whose config hash differs from this one's.")
      .set(differing);
  std::lock_guard lock(mutex_);
  if (differing > 0 && !config_warned_) {
    log::warning("cluster_config_differs" + log::kv("instances", differing) +
                 log::kv("then", "every instance should read the same config file"));
  }
  config_warned_ = differing > 0;
  leases_ = std::move(by_feed);
  seen.leases_held = held;
  seen.config_differs = differing;
  seen_ = std::move(seen);
}

}  // namespace fg::app
