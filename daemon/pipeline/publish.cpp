#include "pipeline/publish.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/log.hpp"
#include "pipeline/feed_shaping.hpp"
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
  if (config.websub.enabled) info.hub_url = config.server.base_url + "/websub";
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

namespace {

const config::FeedConfig* find_feed(const config::Config& config, const std::string& id) {
  for (const auto& f : config.feeds) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

// The config's shaping of `feed`, compiled; null when it asks nothing or cannot be compiled
// (OpenCC's data missing: the feed is published unshaped and the log says why).
std::shared_ptr<const shape::Shaper> config_shaper(const config::FeedConfig& feed) {
  const shape::ShapeSpec spec = config_shape(feed);
  if (spec.empty()) return nullptr;
  auto compiled = shape::Shaper::compile(spec);
  if (!compiled) {
    log::warning("feed_shaping_unavailable" + log::kv("feed", feed.id) +
                 log::kv("error", compiled.error().describe()));
    return nullptr;
  }
  return *compiled;
}

}  // namespace

CurrentItems current_items(store::Store& store, const config::Config& config,
                           const config::FeedConfig& feed) {
  CurrentItems out;
  out.info = feed_info(feed, config);
  const config::FeedConfig* source = &feed;
  if (!feed.same_as.empty()) {
    if (const auto* named = find_feed(config, feed.same_as)) source = named;
    if (out.info.source_url.empty()) out.info.source_url = source->url;
  }
  const auto shaper = config_shaper(feed);
  std::vector<store::StoredItem> stored;
  if (source == &feed && feed.merge.empty() && !shaper) {
    // The current feed and the archive pages split the stored items by storing order.
    auto found = store.seq_range(feed.id);
    const store::SeqRange range = found ? *found : store::SeqRange{};
    out.plan = plan_pages(range, feed.max_items);
    out.archived = true;
    if (auto current = store.items_by_seq(feed.id, out.plan.current_from, range.last)) {
      stored = std::move(*current);
    }
  } else {
    // A filter picks among every kept item, so that it still fills max_items when it can.
    config::FeedConfig reading = *source;
    reading.max_items =
        shaper && !shaper->spec().patterns.empty() ? source->kept_items() : feed.max_items;
    stored = collect_items(store, reading);
  }
  for (auto& s : stored) out.items.push_back({std::move(s.article), s.first_seen, s.updated});
  if (shaper) {
    shaper->apply(out.info);
    out.items = shaper->apply(std::move(out.items), now_seconds());
  }
  if (out.items.size() > static_cast<std::size_t>(feed.max_items)) {
    out.items.resize(feed.max_items);
  }
  for (const auto& item : out.items) out.info.updated = std::max(out.info.updated, item.updated);
  // A feed with nothing to show keeps the epoch as its updated time, not the moment of rendering:
  // instances sharing a database (and one instance across restarts) then serve the same
  // document, ETag and Last-Modified for it.
  return out;
}

bool publishes_items_of(const config::Config& config, const config::FeedConfig& feed,
                        const std::string& polled) {
  const auto merges = [&](const config::FeedConfig& f) {
    return f.id == polled || std::find(f.merge.begin(), f.merge.end(), polled) != f.merge.end();
  };
  if (merges(feed)) return true;
  if (feed.same_as.empty()) return false;
  const auto* named = find_feed(config, feed.same_as);
  return named != nullptr && merges(*named);
}

std::shared_ptr<const serve::Shaping> feed_shaping(store::Store& store,
                                                   std::shared_ptr<const config::Config> config) {
  const config::Config* raw = config.get();
  return std::make_shared<const FeedShaping>(
      std::move(config), [&store, raw](const config::FeedConfig& feed) {
        CurrentItems current = current_items(store, *raw, feed);
        return FeedShaping::Published{std::move(current.info), std::move(current.items)};
      });
}

FeedResources render_feed(store::Store& store, const config::Config& config,
                          const config::FeedConfig& feed, const FeedResources* previous,
                          const serve::BodyDir* bodies) {
  CurrentItems current = current_items(store, config, feed);
  render::FeedInfo& info = current.info;
  FeedResources r;
  if (current.archived) {
    r.plan = current.plan;
    info.prev_archive = r.plan.last_page;
    r.archive = previous && previous->plan == r.plan ? previous->archive
                                                     : render_archive(store, info, r.plan, bodies);
  }
  const auto& items = current.items;
  const int max_age = max_age_for(feed);
  r.rss =
      serve::make_resource("application/rss+xml; charset=utf-8", render::render_rss(info, items),
                           info.updated, max_age, true, bodies, hub_links(info, FeedFormat::rss));
  r.atom =
      serve::make_resource("application/atom+xml; charset=utf-8", render::render_atom(info, items),
                           info.updated, max_age, true, bodies, hub_links(info, FeedFormat::atom));
  r.json = serve::make_resource("application/feed+json; charset=utf-8",
                                render::render_json_feed(info, items), info.updated, max_age, true,
                                bodies, hub_links(info, FeedFormat::json));
  return r;
}

}  // namespace fg::pipeline
