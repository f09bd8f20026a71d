#pragma once
// One instance's part in a cluster of feedgates sharing a PostgreSQL store: it announces itself
// and heartbeats, hands the scheduler due feeds claimed from the shared schedule (and gives them
// back), and hears which feeds other instances stored new items for, so that every instance
// serves the same documents.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/time.hpp"
#include "render/render.hpp"
#include "schedule/scheduler.hpp"
#include "store/store.hpp"

namespace fg::app {

struct MemberOptions {
  std::chrono::milliseconds lease{120'000};  // cluster.lease
  std::string address;                       // where this instance serves
  std::string config_hash;
  store::HostBreaker breaker;
};

// A digest of the config file's bytes, so that instances can tell they read different configs.
std::string config_digest(const std::string& path);

class ClusterMember final : public schedule::SharedSchedule {
 public:
  // Items of a feed changed (committed by any instance, this one included).
  using ItemsChanged = std::function<void(const std::string& feed_id)>;
  // Notifications may have been missed (the listening connection was lost): re-read everything.
  using Resync = std::function<void()>;

  ClusterMember(store::ClusterBook& book, MemberOptions options);
  ~ClusterMember() override;  // stop()
  ClusterMember(const ClusterMember&) = delete;
  ClusterMember& operator=(const ClusterMember&) = delete;

  const std::string& id() const { return self_.id; }

  // Makes the shared schedule hold the config's feeds.
  void sync(const std::vector<schedule::Job>& jobs);
  // Announces this instance and starts the heartbeat and listening thread.
  void start(ItemsChanged items_changed, Resync resync);
  // Stops the thread and retires this instance (its leases are freed at once).
  void stop();

  // As of the latest heartbeat: when the feed is next due, and who polled it last.
  std::optional<Timestamp> next_due(const std::string& feed_id) const;
  // As of the latest heartbeat: the live instances and leases, and in each of `feeds` (by id)
  // which instance polled it last and which polls it now.
  render::ClusterSummary view(std::vector<render::FeedStatus>& feeds) const;

  // schedule::SharedSchedule
  std::optional<std::vector<schedule::SharedDue>> claim(int limit) override;
  void renew(const std::vector<std::string>& running) override;
  void release(const std::string& feed_id, const schedule::Outcome& outcome,
               std::chrono::milliseconds next_in, int failures) override;
  void poll_now(const std::string& feed_id) override;

 private:
  void run();
  void beat();  // heartbeat (announcing again when needed), then reads the cluster's state
  // Logs the first failure of an outage and the recovery, not every attempt in between.
  void reachable(bool ok, const std::string& error);

  store::ClusterBook& book_;
  MemberOptions options_;
  store::InstanceInfo self_;
  std::unique_ptr<store::ItemsListener> listener_;  // opened at construction, then run()'s
  ItemsChanged items_changed_;
  Resync resync_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, store::FeedLease, std::less<>> leases_;  // as of the latest beat
  render::ClusterSummary seen_;                                  // as of the latest beat
  bool unreachable_ = false;
  bool config_warned_ = false;  // the differing config was logged
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fg::app
