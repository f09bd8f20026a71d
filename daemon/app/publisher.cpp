#include "app/publisher.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/metrics.hpp"
#include "render/render.hpp"
#include "store/store.hpp"

namespace fg::app {

namespace {

constexpr int kMaxAge = 60;  // seconds a reader may cache a feed; status pages are not cached
constexpr int kHistoryPolls = 500;  // polls read for the status page's sparklines (all kept)

render::FeedInfo feed_info(const config::FeedConfig& feed, const config::Config& config) {
  render::FeedInfo info;
  info.id = feed.id;
  info.title = feed.title.empty() ? feed.id : feed.title;
  info.source_url = feed.url;
  info.self_base = config.server.base_url;
  info.interval = feed.interval;
  return info;
}

int max_age_for(const config::FeedConfig& feed) {
  const auto interval_s = std::chrono::duration_cast<std::chrono::seconds>(feed.interval).count();
  return static_cast<int>(
      std::min<long long>(interval_s / 2 > 0 ? interval_s / 2 : 1, kMaxAge * 60));
}

// Items stored and the last successful poll, for /metrics; set on every publish.
void record_feed_gauges(const std::string& id, const render::FeedStatus& status) {
  auto& registry = metrics::registry();
  registry.gauge(metrics::kItemsStored, "Items kept in the store for each feed.", {{"feed", id}})
      .set(status.item_count);
  if (status.last_success) {
    registry
        .gauge(metrics::kLastSuccess, "Unix time of the last successful poll of each feed.",
               {{"feed", id}})
        .set(static_cast<double>(status.last_success->time_since_epoch().count()));
  }
}

}  // namespace

Publisher::Publisher(store::Store& store, serve::Server& server, NextPoll next_poll)
    : store_(store), server_(server), next_poll_(std::move(next_poll)) {}

void Publisher::set_config(std::shared_ptr<const config::Config> config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
  feeds_.clear();
  for (const auto& feed : config_->feeds) feeds_[feed.id] = render_feed(feed);
  publish_locked();
}

void Publisher::feed_polled(const std::string& feed_id, bool items_changed) {
  std::lock_guard lock(mutex_);
  if (!config_) return;
  if (items_changed) {
    for (const auto& feed : config_->feeds) {
      const bool merges_it =
          std::find(feed.merge.begin(), feed.merge.end(), feed_id) != feed.merge.end();
      if (feed.id == feed_id || merges_it) feeds_[feed.id] = render_feed(feed);
    }
  }
  publish_locked();
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

Publisher::FeedResources Publisher::render_feed(const config::FeedConfig& feed) {
  render::FeedInfo info = feed_info(feed, *config_);
  std::vector<render::FeedItem> items;
  for (auto& s : collect_items(feed)) {
    info.updated = std::max(info.updated, s.updated);
    items.push_back({std::move(s.article), s.first_seen, s.updated});
  }
  if (info.updated == Timestamp{}) info.updated = now_seconds();
  const int max_age = max_age_for(feed);
  FeedResources r;
  r.rss = serve::make_resource("application/rss+xml; charset=utf-8",
                               render::render_rss(info, items), info.updated, max_age);
  r.atom = serve::make_resource("application/atom+xml; charset=utf-8",
                                render::render_atom(info, items), info.updated, max_age);
  r.json = serve::make_resource("application/feed+json; charset=utf-8",
                                render::render_json_feed(info, items), info.updated, max_age);
  return r;
}

void Publisher::publish_locked() {
  auto site = std::make_shared<serve::Site>();
  std::vector<render::FeedInfo> infos;
  std::vector<render::FeedStatus> statuses;
  const Timestamp now = now_seconds();
  for (const auto& feed : config_->feeds) {
    const FeedResources& r = feeds_[feed.id];
    site->resources["/feeds/" + feed.id + ".rss"] = r.rss;
    site->resources["/feeds/" + feed.id + ".atom"] = r.atom;
    site->resources["/feeds/" + feed.id + ".json"] = r.json;

    render::FeedStatus status;
    status.info = feed_info(feed, *config_);
    if (auto n = store_.count_items(feed.id)) status.item_count = *n;
    if (auto last = store_.last_poll(feed.id); last && *last) {
      status.last_poll = (*last)->started;
      status.last_http_status = (*last)->http_status;
      status.last_bytes = (*last)->bytes;
      status.last_duration = (*last)->duration;
      if (!(*last)->error.empty()) {
        status.last_error = (*last)->error;
        status.last_error_at = (*last)->started;
      }
    }
    if (auto ok = store_.last_success(feed.id); ok && *ok) status.last_success = (*ok)->started;
    record_feed_gauges(feed.id, status);
    if (status.last_error.empty()) {
      if (auto failed = store_.last_failure(feed.id); failed && *failed) {
        status.last_error = (*failed)->error;  // an earlier failure, shown with its time
        status.last_error_at = (*failed)->started;
      }
    }
    status.next_poll = next_poll_ ? next_poll_(feed.id) : std::nullopt;
    if (auto polls = store_.recent_polls(feed.id, kHistoryPolls)) {
      for (const auto& p : *polls)
        status.recent_polls.push_back({p.started, p.duration, p.new_items});
    }
    infos.push_back(status.info);
    statuses.push_back(std::move(status));
  }
  site->resources["/feeds.opml"] =
      serve::make_resource("text/x-opml; charset=utf-8",
                           render::render_opml(infos, config_->server.base_url), now, kMaxAge);
  site->resources["/"] = serve::make_resource("text/html; charset=utf-8",
                                              render::render_status_page(statuses, now), now, 0);
  server_.publish(std::move(site));
}

}  // namespace fg::app
