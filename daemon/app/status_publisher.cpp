#include "app/status_publisher.hpp"

#include <vector>

#include "app/feed_info.hpp"
#include "core/metrics.hpp"
#include "render/render.hpp"

namespace fg::app {

namespace {

constexpr int kOpmlMaxAge = 60;     // seconds a reader may cache the OPML; "/" is not cached
constexpr int kHistoryPolls = 500;  // polls read for the status page's sparklines (all kept)

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

StatusPublisher::StatusPublisher(store::Store& store, NextPoll next_poll)
    : store_(store), next_poll_(std::move(next_poll)) {}

void StatusPublisher::add_to(const config::Config& config, serve::Site& site) {
  std::vector<render::FeedInfo> infos;
  std::vector<render::FeedStatus> statuses;
  const Timestamp now = now_seconds();
  for (const auto& feed : config.feeds) {
    render::FeedStatus status;
    status.info = feed_info(feed, config);
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
  site.resources["/feeds.opml"] =
      serve::make_resource("text/x-opml; charset=utf-8",
                           render::render_opml(infos, config.server.base_url), now, kOpmlMaxAge);
  site.resources["/"] = serve::make_resource("text/html; charset=utf-8",
                                             render::render_status_page(statuses, now), now, 0);
}

}  // namespace fg::app
