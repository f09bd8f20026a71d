#pragma once
// Publishes feeds to the server as an immutable Site snapshot, re-rendered (pipeline/publish.hpp)
// once per change: the lock, the status thread and the config swap (the server never renders
// and never reads the store).

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/status_publisher.hpp"
#include "app/websub_hub.hpp"
#include "config/config.hpp"
#include "core/time.hpp"
#include "pipeline/publish.hpp"
#include "serve/body_file.hpp"
#include "serve/server.hpp"
#include "store/store.hpp"

namespace fg::app {

class Publisher {
 public:
  using NextPoll = StatusPublisher::NextPoll;

  Publisher(store::Store& store, serve::Server& server, NextPoll next_poll);
  ~Publisher();  // ends the start-up rendering pass; later requests render nothing

  // Uses a new config, at start-up or on a reload: publishes every feed at once, each rendered
  // when first asked for or by a pass on a thread of its own (publishing every so often what it
  // rendered; its end is logged as startup_rendered or reload_rendered).
  void set_config(std::shared_ptr<const config::Config> config);
  // After a poll: re-renders the feed when its items changed and publishes it; the status page
  // follows on its own thread (status_publisher.hpp).
  // `deliver`: tell the WebSub hub (false when another instance made the poll: it delivers).
  void feed_polled(const std::string& feed_id, bool items_changed, bool deliver = true);
  // "12 feeds, 340 items, 1 failing", for `systemctl status`.
  std::string summary() const { return status_.summary(); }
  // How often the start-up pass publishes the feeds rendered so far (default 200 ms).
  void publish_every(std::chrono::milliseconds gap) { startup_publish_gap_ = gap; }
  // Where feed bodies are written from now on (kept out of the heap); null: in memory.
  void use_body_dir(std::shared_ptr<const serve::BodyDir> bodies);
  // The WebSub hub that takes /websub and is told of every feed re-rendered after a poll;
  // null: none.
  void use_hub(std::shared_ptr<WebSubHub> hub);
  // The status page names the cluster's instances and who polled each feed (see StatusPublisher).
  void use_cluster_view(StatusPublisher::ClusterView view) {
    status_.use_cluster_view(std::move(view));
  }
  // The cluster's view changed: the status page is rebuilt soon.
  void refresh_status() { status_.refresh(); }

 private:
  using FeedResources = pipeline::FeedResources;
  // `previous`: what was published for the feed, whose archive is reused when its pages stay.
  FeedResources render_feed(const config::FeedConfig& feed, const FeedResources* previous);
  // Publishes the site and returns it.
  std::shared_ptr<const serve::Site> publish_locked();
  void status_built(StatusResources status);
  // The pass after set_config(): renders the feeds no request has had rendered yet, then logs
  // `event` with the time it took.
  void render_remaining(const char* event);
  void stop_pass();  // with config_mutex_ held
  // A feed document or archive page of `path`, its feed rendered now if it was not yet.
  std::shared_ptr<const serve::Resource> render_path(std::string_view path);
  class OnDemand;
  struct Link;  // lets the published sites' OnDemand reach this Publisher while it lives

  store::Store& store_;
  serve::Server& server_;
  // One set_config() at a time (a reload, the cluster's re-render after a lost connection): each
  // ends the pass and starts its own. Taken before mutex_, never while holding it.
  std::mutex config_mutex_;
  std::mutex mutex_;  // serializes rendering and publishing
  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<const serve::Shaping> shaping_;  // query parameters on config_'s feeds
  std::unordered_map<std::string_view, const config::FeedConfig*> by_id_;  // config_'s feeds
  std::map<std::string, FeedResources> feeds_;                             // rendered so far
  std::shared_ptr<const serve::BodyDir> bodies_;
  std::shared_ptr<WebSubHub> hub_;
  StatusResources status_pages_;
  bool starting_ = true;  // until the first set_config()
  // Each start-up publish copies the site's index, so not after every feed.
  std::chrono::milliseconds startup_publish_gap_{200};
  std::shared_ptr<Link> link_;
  std::shared_ptr<const serve::Renderer> renderer_;  // in every site published
  std::atomic<bool> stop_pass_{false};
  std::thread pass_;        // render_remaining()
  StatusPublisher status_;  // "/", the OPML and the gauges; last, its thread calls back
};

}  // namespace fg::app
