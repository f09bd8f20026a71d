#include "app/publisher.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "app/feed_info.hpp"
#include "render/render.hpp"
#include "store/store.hpp"

namespace fg::app {

namespace {

constexpr int kMaxAge = 60;  // minutes: the longest max-age a feed gets

int max_age_for(const config::FeedConfig& feed) {
  const auto interval_s = std::chrono::duration_cast<std::chrono::seconds>(feed.interval).count();
  return static_cast<int>(
      std::min<long long>(interval_s / 2 > 0 ? interval_s / 2 : 1, kMaxAge * 60));
}

}  // namespace

Publisher::Publisher(store::Store& store, serve::Server& server, NextPoll next_poll)
    : store_(store),
      server_(server),
      status_(store, std::move(next_poll),
              [this](StatusResources built) { status_built(std::move(built)); }) {}

void Publisher::set_config(std::shared_ptr<const config::Config> config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
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
    const bool merges_it =
        std::find(feed.merge.begin(), feed.merge.end(), feed_id) != feed.merge.end();
    if (feed.id == feed_id || merges_it) feeds_[feed.id] = render_feed(feed, &feeds_[feed.id]);
  }
  publish_locked();
}

void Publisher::use_body_dir(std::shared_ptr<const serve::BodyDir> bodies) {
  std::lock_guard lock(mutex_);
  bodies_ = std::move(bodies);
}

namespace {

PublishedTime shown_date(const store::StoredItem& item) {
  return item.article.published ? *item.article.published
                                : PublishedTime{item.first_seen, std::chrono::minutes{0}};
}

}  // namespace

// A feed's own stored items; for a merged feed, its members' items newest first, each article
// once (two portals may carry the same story URL), at most max_items.
std::vector<store::StoredItem> Publisher::collect_items(const config::FeedConfig& feed) {
  std::vector<store::StoredItem> all;
  const std::vector<std::string> own{feed.id};
  for (const std::string& id : feed.merge.empty() ? own : feed.merge) {
    if (auto stored = store_.items(id, feed.max_items)) {
      for (auto& s : *stored) all.push_back(std::move(s));
    }
  }
  if (feed.merge.empty()) return all;
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return shown_date(a).utc > shown_date(b).utc;
  });
  std::set<std::string> seen;
  std::erase_if(all, [&](const auto& s) { return !seen.insert(s.article.url).second; });
  if (all.size() > static_cast<std::size_t>(feed.max_items)) all.resize(feed.max_items);
  return all;
}

Publisher::FeedResources Publisher::render_feed(const config::FeedConfig& feed,
                                                const FeedResources* previous) {
  render::FeedInfo info = feed_info(feed, *config_);
  FeedResources r;
  std::vector<store::StoredItem> stored;
  if (feed.merge.empty()) {
    // The current feed and the archive pages split the stored items by storing order.
    auto found = store_.seq_range(feed.id);
    const store::SeqRange range = found ? *found : store::SeqRange{};
    r.plan = plan_pages(range, feed.max_items);
    if (auto current = store_.items_by_seq(feed.id, r.plan.current_from, range.last)) {
      stored = std::move(*current);
    }
    info.prev_archive = r.plan.last_page;
    r.archive = previous && previous->plan == r.plan
                    ? previous->archive
                    : render_archive(store_, info, r.plan, bodies_.get());
  } else {
    stored = collect_items(feed);
  }
  std::vector<render::FeedItem> items;
  for (auto& s : stored) {
    info.updated = std::max(info.updated, s.updated);
    items.push_back({std::move(s.article), s.first_seen, s.updated});
  }
  if (info.updated == Timestamp{}) info.updated = now_seconds();
  const int max_age = max_age_for(feed);
  r.rss =
      serve::make_resource("application/rss+xml; charset=utf-8", render::render_rss(info, items),
                           info.updated, max_age, true, bodies_.get());
  r.atom =
      serve::make_resource("application/atom+xml; charset=utf-8", render::render_atom(info, items),
                           info.updated, max_age, true, bodies_.get());
  r.json = serve::make_resource("application/feed+json; charset=utf-8",
                                render::render_json_feed(info, items), info.updated, max_age, true,
                                bodies_.get());
  return r;
}

void Publisher::publish_locked() {
  auto site = std::make_shared<serve::Site>();
  site->starting = starting_;
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
