#include "app/publisher.hpp"

#include <algorithm>
#include <chrono>

#include "app/status_shaping.hpp"

namespace fg::app {

Publisher::Publisher(store::Store& store, serve::Server& server, NextPoll next_poll)
    : store_(store),
      server_(server),
      status_(store, std::move(next_poll),
              [this](StatusResources built) { status_built(std::move(built)); }) {}

void Publisher::set_config(std::shared_ptr<const config::Config> config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
  shaping_ = pipeline::feed_shaping(store_, config_);
  feeds_.clear();
  // At start-up the server answers 503 for what is not published yet: publishing the feeds
  // rendered so far every so often serves the first of them long before the last is rendered.
  // A reload keeps the previous site served until the new one is whole.
  auto published_at = std::chrono::steady_clock::now();
  for (const auto& feed : config_->feeds) {
    feeds_[feed.id] = render_feed(feed, nullptr);
    if (starting_ && std::chrono::steady_clock::now() - published_at >= startup_publish_gap_) {
      publish_locked();
      published_at = std::chrono::steady_clock::now();
    }
  }
  status_pages_ = status_.set_config(config_);
  starting_ = false;  // every configured feed is servable from here on
  publish_locked();
}

void Publisher::feed_polled(const std::string& feed_id, bool items_changed) {
  status_.feed_polled(feed_id, items_changed);
  if (!items_changed) return;
  std::lock_guard lock(mutex_);
  if (!config_) return;
  for (const auto& feed : config_->feeds) {
    if (pipeline::publishes_items_of(*config_, feed, feed_id)) {
      feeds_[feed.id] = render_feed(feed, &feeds_[feed.id]);
    }
  }
  publish_locked();
}

void Publisher::use_body_dir(std::shared_ptr<const serve::BodyDir> bodies) {
  std::lock_guard lock(mutex_);
  bodies_ = std::move(bodies);
}

// The feed's resources, rendered with the bodies' folder in use.
Publisher::FeedResources Publisher::render_feed(const config::FeedConfig& feed,
                                                const FeedResources* previous) {
  return pipeline::render_feed(store_, *config_, feed, previous, bodies_.get());
}

void Publisher::publish_locked() {
  auto site = std::make_shared<serve::Site>();
  site->starting = starting_;
  site->shaping = std::make_shared<const SiteShaping>(shaping_, status_pages_.status);
  for (const auto& feed : config_->feeds) {
    const auto rendered = feeds_.find(feed.id);
    if (rendered == feeds_.end()) continue;  // not rendered yet (start-up): answered 503
    const FeedResources& r = rendered->second;
    site->resources["/feeds/" + feed.id + ".rss"] = r.rss;
    site->resources["/feeds/" + feed.id + ".atom"] = r.atom;
    site->resources["/feeds/" + feed.id + ".json"] = r.json;
    if (r.archive) site->archives["/feeds/" + feed.id + "/archive/"] = r.archive;
  }
  if (status_pages_.page) {
    site->resources["/feeds.opml"] = status_pages_.opml;
    site->resources["/"] = status_pages_.page;
  }
  server_.publish(std::move(site));
}

// A page built before the one in use (a reload raced the status thread) is dropped.
void Publisher::status_built(StatusResources status) {
  std::lock_guard lock(mutex_);
  if (!config_ || status.sequence <= status_pages_.sequence) return;
  status_pages_ = std::move(status);
  publish_locked();
}

}  // namespace fg::app
