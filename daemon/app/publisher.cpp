#include "app/publisher.hpp"

#include <algorithm>
#include <chrono>

#include "app/status_shaping.hpp"
#include "core/log.hpp"

namespace fg::app {

struct Publisher::Link {
  std::mutex mutex;
  Publisher* publisher = nullptr;
};

class Publisher::OnDemand : public serve::Renderer {
 public:
  explicit OnDemand(std::shared_ptr<Link> link) : link_(std::move(link)) {}
  std::shared_ptr<const serve::Resource> render(std::string_view path) const override {
    std::lock_guard lock(link_->mutex);
    return link_->publisher ? link_->publisher->render_path(path) : nullptr;
  }

 private:
  std::shared_ptr<Link> link_;
};

Publisher::Publisher(store::Store& store, serve::Server& server, NextPoll next_poll)
    : store_(store),
      server_(server),
      link_(std::make_shared<Link>()),
      status_(store, std::move(next_poll),
              [this](StatusResources built) { status_built(std::move(built)); }) {
  link_->publisher = this;
  renderer_ = std::make_shared<const OnDemand>(link_);
}

Publisher::~Publisher() {
  {
    std::lock_guard one_at_a_time(config_mutex_);
    stop_pass();
  }
  {
    std::lock_guard lock(link_->mutex);
    link_->publisher = nullptr;
  }
  // Every body is freed now (and the served site's with the server): the file goes at once.
  if (bodies_) bodies_->closing();
}

void Publisher::stop_pass() {
  stop_pass_ = true;
  if (pass_.joinable()) pass_.join();
  stop_pass_ = false;
}

void Publisher::set_config(std::shared_ptr<const config::Config> config) {
  std::lock_guard one_at_a_time(config_mutex_);
  stop_pass();  // what it renders belongs to the previous config
  std::unique_lock lock(mutex_);
  config_ = std::move(config);
  shaping_ = pipeline::feed_shaping(store_, config_);
  by_id_.clear();
  for (const auto& feed : config_->feeds) by_id_.emplace(feed.id, &feed);
  // Rendering 20,000 feeds takes minutes, so none is rendered here, at start-up or on a reload:
  // every feed is servable at once (the site's renderer renders one under the new config when a
  // request asks for it), the status page follows, and a pass renders the rest meanwhile. The
  // previous renderings are dropped, since the new config may change any of them; a reload
  // that waited for them all held every poll's publishing for minutes.
  feeds_.clear();
  const char* pass_event = starting_ ? "startup_rendered" : "reload_rendered";
  starting_ = false;
  publish_locked();
  const auto config_now = config_;
  lock.unlock();  // reading every feed's status takes a while: requests go on meanwhile
  StatusResources status = status_.set_config(config_now);
  lock.lock();
  if (status.sequence > status_pages_.sequence) status_pages_ = std::move(status);
  publish_locked();
  pass_ = std::thread([this, pass_event] { render_remaining(pass_event); });
}

// Feeds are rendered without the lock (the store serializes its own reads), so that requests
// rendering a feed and polls never wait for the pass; a feed rendered meanwhile by either is
// kept as they left it.
void Publisher::render_remaining(const char* event) {
  const auto started = std::chrono::steady_clock::now();
  auto published_at = started;
  std::size_t rendered = 0;
  std::shared_ptr<const config::Config> config;
  std::shared_ptr<const serve::BodyDir> bodies;
  {
    std::lock_guard lock(mutex_);
    config = config_;
    bodies = bodies_;
  }
  for (const auto& feed : config->feeds) {
    if (stop_pass_) return;
    {
      std::lock_guard lock(mutex_);
      if (feeds_.contains(feed.id)) continue;
    }
    FeedResources r = pipeline::render_feed(store_, *config, feed, nullptr, bodies.get());
    std::lock_guard lock(mutex_);
    if (config_ != config) return;
    rendered += feeds_.try_emplace(feed.id, std::move(r)).second ? 1 : 0;
    if (std::chrono::steady_clock::now() - published_at >= startup_publish_gap_) {
      publish_locked();
      published_at = std::chrono::steady_clock::now();
    }
  }
  std::lock_guard lock(mutex_);
  publish_locked();
  log::info(event + log::kv("feeds", config->feeds.size()) + log::kv("by_pass", rendered) +
            log::kv("took_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - started)
                                   .count()));
}

std::shared_ptr<const serve::Resource> Publisher::render_path(std::string_view path) {
  static constexpr std::string_view kPrefix = "/feeds/";
  if (!path.starts_with(kPrefix)) return nullptr;
  const std::string_view rest = path.substr(kPrefix.size());
  const auto slash = rest.find('/');
  const auto dot = rest.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string_view id = rest.substr(0, slash != std::string_view::npos ? slash : dot);
  std::unique_lock lock(mutex_);
  auto it = feeds_.end();
  // A reload while the feed renders: rendered again under the new config (a few tries, each a
  // reload of its own, before giving up).
  for (int tries = 0; it == feeds_.end(); ++tries) {
    const auto feed = by_id_.find(id);
    if (feed == by_id_.end() || tries == 3) return nullptr;
    it = feeds_.find(feed->second->id);
    if (it != feeds_.end()) break;
    // Rendered without the lock, like the pass; the first to finish is kept.
    const auto config = config_;
    const auto bodies = bodies_;
    const config::FeedConfig& wanted = *feed->second;
    lock.unlock();
    FeedResources fresh = pipeline::render_feed(store_, *config, wanted, nullptr, bodies.get());
    lock.lock();
    if (config_ == config) it = feeds_.try_emplace(wanted.id, std::move(fresh)).first;
  }
  const FeedResources& r = it->second;
  if (slash == std::string_view::npos) {
    const std::string_view extension = rest.substr(dot);
    return extension == ".rss"    ? r.rss
           : extension == ".atom" ? r.atom
           : extension == ".json" ? r.json
                                  : nullptr;
  }
  if (!r.archive) return nullptr;
  serve::Site archived;  // the feed's pages alone, for find_archive_page()
  archived.archives.emplace("/feeds/" + std::string(id) + "/archive/", r.archive);
  return serve::find_archive_page(archived, path);
}

void Publisher::feed_polled(const std::string& feed_id, bool items_changed, bool deliver) {
  status_.feed_polled(feed_id, items_changed);
  if (!items_changed) return;
  std::lock_guard lock(mutex_);
  if (!config_) return;
  std::vector<std::string> changed;
  for (const auto& feed : config_->feeds) {
    if (pipeline::publishes_items_of(*config_, feed, feed_id)) {
      feeds_[feed.id] = render_feed(feed, &feeds_[feed.id]);
      changed.push_back(feed.id);
    }
  }
  auto site = publish_locked();
  if (hub_ && deliver) hub_->feeds_changed(changed, std::move(site));
}

void Publisher::use_hub(std::shared_ptr<WebSubHub> hub) {
  if (hub) status_.use_push_stats([hub] { return hub->stats(); });
  std::lock_guard lock(mutex_);
  hub_ = std::move(hub);
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

std::shared_ptr<const serve::Site> Publisher::publish_locked() {
  auto site = std::make_shared<serve::Site>();
  site->renderer = renderer_;
  site->shaping = std::make_shared<const SiteShaping>(shaping_, status_pages_.status);
  site->hub = hub_;
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
  server_.publish(site);
  return site;
}

// A page built before the one in use (a reload raced the status thread) is dropped.
void Publisher::status_built(StatusResources status) {
  std::lock_guard lock(mutex_);
  if (!config_ || status.sequence <= status_pages_.sequence) return;
  status_pages_ = std::move(status);
  publish_locked();
}

}  // namespace fg::app
