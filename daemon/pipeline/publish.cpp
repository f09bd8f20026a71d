#include "pipeline/publish.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "serve/prepare.hpp"

namespace fg::pipeline {

namespace {

constexpr int kMaxAge = 60;  // minutes: the longest max-age a feed gets

int max_age_for(const config::FeedConfig& feed) {
  const auto interval_s = std::chrono::duration_cast<std::chrono::seconds>(feed.interval).count();
  return static_cast<int>(
      std::min<long long>(interval_s / 2 > 0 ? interval_s / 2 : 1, kMaxAge * 60));
}

PublishedTime shown_date(const store::StoredItem& item) {
  return item.article.published ? *item.article.published
                                : PublishedTime{item.first_seen, std::chrono::minutes{0}};
}

}  // namespace

render::FeedInfo feed_info(const config::FeedConfig& feed, const config::Config& config) {
  render::FeedInfo info;
  info.id = feed.id;
  info.title = feed.title.empty() ? feed.id : feed.title;
  info.source_url = feed.url;
  info.self_base = config.server.base_url;
  info.interval = feed.interval;
  info.byline_in_content = feed.byline_in_content;
  return info;
}

std::vector<store::StoredItem> collect_items(store::Store& store, const config::FeedConfig& feed) {
  std::vector<store::StoredItem> all;
  const std::vector<std::string> own{feed.id};
  for (const std::string& id : feed.merge.empty() ? own : feed.merge) {
    if (auto stored = store.items(id, feed.max_items)) {
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

FeedResources render_feed(store::Store& store, const config::Config& config,
                          const config::FeedConfig& feed, const FeedResources* previous,
                          const serve::BodyDir* bodies) {
  render::FeedInfo info = feed_info(feed, config);
  FeedResources r;
  std::vector<store::StoredItem> stored;
  if (feed.merge.empty()) {
    // The current feed and the archive pages split the stored items by storing order.
    auto found = store.seq_range(feed.id);
    const store::SeqRange range = found ? *found : store::SeqRange{};
    r.plan = plan_pages(range, feed.max_items);
    if (auto current = store.items_by_seq(feed.id, r.plan.current_from, range.last)) {
      stored = std::move(*current);
    }
    info.prev_archive = r.plan.last_page;
    r.archive = previous && previous->plan == r.plan ? previous->archive
                                                     : render_archive(store, info, r.plan, bodies);
  } else {
    stored = collect_items(store, feed);
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
                           info.updated, max_age, true, bodies);
  r.atom =
      serve::make_resource("application/atom+xml; charset=utf-8", render::render_atom(info, items),
                           info.updated, max_age, true, bodies);
  r.json = serve::make_resource("application/feed+json; charset=utf-8",
                                render::render_json_feed(info, items), info.updated, max_age, true,
                                bodies);
  return r;
}

}  // namespace fg::pipeline
