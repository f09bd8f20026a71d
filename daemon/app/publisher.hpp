#pragma once
// Publishes feeds to the server as an immutable Site snapshot, re-rendered (pipeline/publish.hpp)
// once per change: the lock, the status thread and the config swap (the server never renders
// and never reads the store).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/status_publisher.hpp"
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

  // Uses a new config: renders every feed anew and publishes. The first call (start-up)
  // publishes as it goes, with the site marked starting until every feed is rendered.
  void set_config(std::shared_ptr<const config::Config> config);
  // After a poll: re-renders the feed when its items changed and publishes it; the status page
  // follows on its own thread (status_publisher.hpp).
  void feed_polled(const std::string& feed_id, bool items_changed);
  // "12 feeds, 340 items, 1 failing", for `systemctl status`.
  std::string summary() const { return status_.summary(); }
  // How often start-up publishes the feeds rendered so far (default 200 ms).
  void publish_every(std::chrono::milliseconds gap) { startup_publish_gap_ = gap; }
  // Where feed bodies are written from now on (kept out of the heap); null: in memory.
  void use_body_dir(std::shared_ptr<const serve::BodyDir> bodies);

 private:
  using FeedResources = pipeline::FeedResources;
  // `previous`: what was published for the feed, whose archive is reused when its pages stay.
  FeedResources render_feed(const config::FeedConfig& feed, const FeedResources* previous);
  void publish_locked();
  void status_built(StatusResources status);

  store::Store& store_;
  serve::Server& server_;
  std::mutex mutex_;  // serializes rendering and publishing
  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<const serve::Shaping> shaping_;  // query parameters on config_'s feeds
  std::map<std::string, FeedResources> feeds_;
  std::shared_ptr<const serve::BodyDir> bodies_;
  StatusResources status_pages_;
  bool starting_ = true;  // until the first set_config() has rendered every feed
  // Each start-up publish copies the site's index, so not after every feed.
  std::chrono::milliseconds startup_publish_gap_{200};
  StatusPublisher status_;  // "/", the OPML and the gauges; last, its thread calls back
};

}  // namespace fg::app
