#pragma once
// One instance's part in a cluster of feedgates sharing a PostgreSQL store: it announces itself
// and heartbeats, hands the scheduler due feeds claimed from the shared schedule (and gives them
// back), and hears which feeds other instances stored new items for, so that every instance
// serves the same documents.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics.hpp"
#include "core/time.hpp"
#include "render/render.hpp"
#include "schedule/scheduler.hpp"
#include "store/store.hpp"

namespace fg::app {

struct MemberOptions {
  std::chrono::milliseconds lease{120'000};  // cluster.lease
  std::string address;                       // where this instance serves
  store::HostBreaker breaker;
  // How often the feeds' items versions are compared with those this instance rendered, to
  // catch a lost notification: one small read of the whole store, so a few seconds is cheap.
  std::chrono::milliseconds check_every{5'000};
};

// A digest of the config file's bytes, so that instances can tell they read different configs.
std::string config_digest(const std::string& path);
// The config file's modification time (the epoch when it cannot be read).
Timestamp config_mtime(const std::string& path);

class ClusterMember final : public schedule::SharedSchedule {
 public:
  // Items of a feed changed (committed by any instance, this one included).
  using ItemsChanged = std::function<void(const std::string& feed_id)>;
  // Notifications may have been missed (the listening connection was lost): re-read everything.
  using Resync = std::function<void()>;
  // What the status page shows of the cluster changed (the store became unavailable, or is
  // still: its "since" ages).
  using StatusChanged = std::function<void()>;

  ClusterMember(store::ClusterBook& book, MemberOptions options);
  ~ClusterMember() override;  // stop()
  ClusterMember(const ClusterMember&) = delete;
  ClusterMember& operator=(const ClusterMember&) = delete;

  const std::string& id() const { return self_.id; }

  // Announces the config (its digest and modification time) and makes the shared schedule hold
  // its feeds, unless a live instance has a newer config: then the schedule stays that one's,
  // this says so in the log and on "/", and syncs once no newer config is alive.
  void sync(const std::vector<schedule::Job>& jobs, const std::string& config_hash,
            Timestamp config_time);
  // Announces this instance and starts the heartbeat and listening thread.
  void start(ItemsChanged items_changed, Resync resync, StatusChanged status_changed = {});
  // A poll's items could not be committed (the store failed): counted, and shown on "/" as
  // "store unavailable" until the store answers again.
  void poll_not_stored(const std::string& feed_id, const std::string& error);
  // Stops the thread and retires this instance (its leases are freed at once).
  void stop();

  // As of the latest heartbeat: when the feed is next due, and who polled it last.
  std::optional<Timestamp> next_due(const std::string& feed_id) const;
  // As of the latest heartbeat: the live instances and leases, and in each of `feeds` (by id)
  // which instance polled it last and which polls it now.
  render::ClusterSummary view(std::vector<render::FeedStatus>& feeds) const;

  // schedule::SharedSchedule
  std::optional<std::vector<schedule::SharedDue>> claim(int limit,
                                                        std::chrono::milliseconds ahead) override;
  void renew(const std::vector<std::string>& held) override;
  void hand_back(const std::vector<std::string>& feed_ids) override;
  void release(const std::string& feed_id, const schedule::Outcome& outcome,
               std::chrono::milliseconds next_in, int failures) override;
  void poll_now(const std::string& feed_id) override;

 private:
  void run();
  void beat();  // heartbeat (announcing again when needed), then reads the cluster's state
  // Logs the first failure of an outage and the recovery, not every attempt in between, and
  // tells the status page.
  void reachable(bool ok, const std::string& error);
  // While the store is unavailable: the feeds due by the latest schedule read cannot be polled;
  // each is counted once per outage. With the lock held; true when any was new.
  bool stall_due_feeds();
  // Writes the schedule when no live instance has a newer config (with the jobs of sync()).
  void sync_schedule();
  bool note_newer_config(const std::optional<store::InstanceInfo>& newer);
  // The periodic check: feeds whose items version moved past the one rendered here, by another
  // instance, are re-rendered (their notification was lost). Run's thread only.
  void check_versions();
  // After notifications may have been missed: reads the versions, then re-renders everything.
  void resync_all();
  static metrics::Gauge& store_available_gauge();

  store::ClusterBook& book_;
  MemberOptions options_;
  store::InstanceInfo self_;
  std::unique_ptr<store::ItemsListener> listener_;  // opened at construction, then run()'s
  ItemsChanged items_changed_;
  Resync resync_;
  StatusChanged status_changed_;
  // Each feed's items version as rendered here (run()'s thread only); read at construction,
  // before the first render, so that any later commit is seen.
  std::map<std::string, std::int64_t, std::less<>> rendered_;
  bool versions_known_ = false;  // rendered_ holds a baseline

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, store::FeedLease, std::less<>> leases_;  // as of the latest beat
  render::ClusterSummary seen_;                                  // as of the latest beat
  bool unreachable_ = false;
  std::optional<Timestamp> unreachable_since_;
  std::string unreachable_error_;
  std::set<std::string, std::less<>> stalled_;  // feeds due during the outage, counted once
  std::vector<store::ScheduledFeed> schedule_;  // the config's, as sync() was last given them
  std::string newer_config_;                    // a live instance with a newer config, if any
  bool config_warned_ = false;                  // the differing config was logged
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fg::app
