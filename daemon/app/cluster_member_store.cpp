// What an instance does when the shared database fails or a notification goes missing: the
// store's availability as "/" and /metrics show it, and the periodic check of items versions.
#include "app/cluster_member.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"

namespace fg::app {

namespace {

constexpr const char* kPollsUnavailable = "feedgate_cluster_polls_store_unavailable_total";
constexpr const char* kPollsUnavailableHelp =
    "Polls that could not run or commit because the database did not answer (each feed counted "
    "once per outage).";

}  // namespace

metrics::Gauge& ClusterMember::store_available_gauge() {
  return metrics::registry().gauge(
      "feedgate_cluster_store_available",
      "1 while the shared database answers, 0 while it is unavailable.");
}

void ClusterMember::poll_not_stored(const std::string& feed_id, const std::string& error) {
  reachable(false, error);
  {
    std::lock_guard lock(mutex_);
    if (!stalled_.insert(feed_id).second) return;
  }
  metrics::registry().counter(kPollsUnavailable, kPollsUnavailableHelp).inc();
  if (status_changed_) status_changed_();
}

void ClusterMember::reachable(bool ok, const std::string& error) {
  {
    std::lock_guard lock(mutex_);
    if (ok == !unreachable_) return;
    unreachable_ = !ok;
    if (ok) {
      log::info("cluster_store_reachable" + log::kv("instance", self_.id) +
                log::kv("polls_not_run", stalled_.size()));
      unreachable_since_.reset();
      unreachable_error_.clear();
      stalled_.clear();
    } else {
      log::error("cluster_store_unavailable" + log::kv("error", error) +
                 log::kv("then", "serving goes on; polls wait until the database answers"));
      unreachable_since_ = now_seconds();
      unreachable_error_ = error;
    }
    store_available_gauge().set(ok ? 1 : 0);
  }
  if (status_changed_) status_changed_();
}

bool ClusterMember::stall_due_feeds() {
  const Timestamp now = now_seconds();
  std::uint64_t added = 0;
  for (const auto& [id, lease] : leases_) {
    if (!lease.next_due || *lease.next_due > now) continue;
    if (stalled_.insert(id).second) ++added;
  }
  if (added > 0) metrics::registry().counter(kPollsUnavailable, kPollsUnavailableHelp).inc(added);
  return added > 0;
}

void ClusterMember::resync_all() {
  // Read first: whatever commits after the read has a later version, and is caught.
  auto versions = book_.item_versions();
  if (resync_) resync_();
  versions_known_ = versions.ok();
  if (!versions) return;
  rendered_.clear();
  for (const auto& v : *versions) rendered_[v.feed_id] = v.version;
}

void ClusterMember::check_versions() {
  if (!versions_known_) return resync_all();
  auto versions = book_.item_versions();
  if (!versions) return;  // the claims tell when the store is unavailable
  std::vector<std::string> missed;
  for (const auto& v : *versions) {
    auto& seen = rendered_[v.feed_id];
    if (v.version <= seen) continue;
    seen = v.version;
    // This instance's own commit: it rendered the feed after committing, from everything stored
    // by then.
    if (!v.mine) missed.push_back(v.feed_id);
  }
  if (missed.empty()) return;
  log::info("cluster_notifications_missed" + log::kv("feeds", missed.size()) +
            log::kv("then", "re-rendered from the store"));
  metrics::registry()
      .counter("feedgate_cluster_missed_notifications_total",
               "Feeds re-rendered because the periodic check found items whose notification "
               "never arrived.")
      .inc(missed.size());
  for (const auto& feed_id : missed) {
    if (items_changed_) items_changed_(feed_id);
  }
}

}  // namespace fg::app
