#pragma once
// The operator's side of what is published: the status page ("/"), the OPML list of feeds and
// the per-feed gauges of /metrics. Feed bodies are the Publisher's (publisher.hpp).
//
// Each feed's status is kept in memory (read from the store once, then updated from each poll),
// and the page is rebuilt on a thread of its own at most once a second, so a poll costs the same
// with 20 feeds or 2,000 and never waits for a page to be rendered.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/feed_state.hpp"
#include "app/status_shaping.hpp"
#include "app/websub_hub.hpp"
#include "config/config.hpp"
#include "core/time.hpp"
#include "render/render.hpp"
#include "serve/site.hpp"
#include "store/store.hpp"

namespace fg::app {

// "/" and "/feeds.opml" as built together, and the statuses the page was built from (for its
// searches and other pages, status_shaping.hpp); a higher `sequence` was built later.
struct StatusResources {
  std::shared_ptr<const serve::Resource> page, opml;
  std::shared_ptr<const StatusSnapshot> status;
  std::uint64_t sequence = 0;
};

class StatusPublisher {
 public:
  using NextPoll = std::function<std::optional<Timestamp>(const std::string& feed_id)>;
  // Receives each page rebuilt after polls (on the status thread).
  using Publish = std::function<void(StatusResources)>;

  StatusPublisher(store::Store& store, NextPoll next_poll, Publish publish);
  ~StatusPublisher();  // stops and joins the status thread
  StatusPublisher(const StatusPublisher&) = delete;
  StatusPublisher& operator=(const StatusPublisher&) = delete;

  // Uses a new config: reads the status of feeds not known yet from the store, forgets removed
  // ones, sets every feed's gauges, and returns the page built now.
  StatusResources set_config(std::shared_ptr<const config::Config> config);
  // After a poll of feed_id was recorded: updates its status and gauges from the store (one or
  // two indexed reads); the page follows within a second or so.
  void feed_polled(const std::string& feed_id, bool items_changed);
  // Something the page shows besides the feeds changed (the cluster's view): rebuilt within a
  // second or so.
  void refresh();
  // "12 feeds, 340 items, 1 failing" for `systemctl status`, as of the latest page.
  std::string summary() const;
  // The WebSub hub's counts, read at each build: the page then shows push subscribers per feed,
  // deliveries and failures. Empty: no hub.
  using PushStats = std::function<HubStats()>;
  void use_push_stats(PushStats stats);
  // The cluster as this instance last saw it, read at each build: the page then names the live
  // instances and which one polled each feed. Empty: not in a cluster.
  using ClusterView = std::function<render::ClusterSummary(std::vector<render::FeedStatus>&)>;
  void use_cluster_view(ClusterView view);

 private:
  StatusResources build();
  void settle_next_polls(const config::Config& config,
                         const std::vector<render::FeedStatus>& statuses);
  std::chrono::steady_clock::duration rebuild();  // builds and publishes; returns the build time
  void run();                                     // the status thread

  store::Store& store_;
  NextPoll next_poll_;
  Publish publish_;

  mutable std::mutex mutex_;  // guards the fields below (held briefly, never while rendering)
  std::condition_variable wake_;
  std::shared_ptr<const config::Config> config_;
  std::map<std::string, FeedState> feeds_;
  PushStats push_stats_;
  ClusterView cluster_view_;
  std::string summary_;
  // Feeds polled whose next poll the page does not show yet, with the builds left to wait.
  std::map<std::string, int> awaiting_next_poll_;
  bool dirty_ = false;
  bool stopping_ = false;

  std::mutex build_mutex_;  // one build at a time, numbered in order; guards the OPML too
  std::uint64_t builds_ = 0;
  // The OPML changes with the config alone: built once per config, not with every page.
  std::shared_ptr<const serve::Resource> opml_;
  std::shared_ptr<const config::Config> opml_config_;
  std::thread thread_;  // last: started once the fields above exist
};

}  // namespace fg::app
