#pragma once
// The publish half of the pipeline: a feed's stored items → RSS, Atom and JSON Feed (and RFC 5005
// archive pages) → resources the server sends as they are. Pure composition of store, render and
// serve; who calls it when, under which lock, is the app's business (app/publisher.hpp).

#include <cstdint>
#include <memory>
#include <vector>

#include "config/config.hpp"
#include "render/render.hpp"
#include "serve/body_file.hpp"
#include "serve/shaping.hpp"
#include "serve/site.hpp"
#include "store/store.hpp"

namespace fg::pipeline {

// RFC 5005 archived feeds: how a feed's stored items, numbered in storing order (seq), split into
// the current feed and fixed archive pages (feed_archive.cpp).
//
// Page k holds seq (k-1)*P+1 .. k*P, P = max(1, max_items / 2), so a page's members never change
// once it is full (only trimming beyond keep_items empties the oldest page, item by item). The
// current feed holds every item newer than the last full page that can be archived while it
// keeps at most max_items (between max_items - P + 1 and max_items items once pages exist).
struct PagePlan {
  std::int64_t page_size = 1;
  std::int64_t current_from = 1;  // the current feed holds seq >= current_from
  int first_page = 0;             // archive pages first_page .. last_page; last_page 0: none
  int last_page = 0;
  std::int64_t first_seq = 0;  // the oldest kept item: the oldest page shrinks when it moves

  bool operator==(const PagePlan&) const = default;
};

PagePlan plan_pages(store::SeqRange range, int max_items);

// Renders archive pages first_page..last_page in RSS, Atom and JSON Feed into one Archive,
// stored in `bodies` (in memory when null). `info` describes the feed; its archive fields are set
// per page. Null when the plan has no pages.
std::shared_ptr<const serve::Archive> render_archive(store::Store& store,
                                                     const render::FeedInfo& info,
                                                     const PagePlan& plan,
                                                     const serve::BodyDir* bodies);

// A configured feed as the renderers describe it (title, source, self links, interval).
render::FeedInfo feed_info(const config::FeedConfig& feed, const config::Config& config);

// A feed's own stored items; for a merged feed, its members' items newest first, each article
// once (two portals may carry the same story URL), at most max_items.
std::vector<store::StoredItem> collect_items(store::Store& store, const config::FeedConfig& feed);

// What a feed publishes now: its description and items, after its config's shaping (filter,
// opencc); for a same_as feed, from the feed it names. `plan` and `archived` say which stored
// items the current feed holds when the feed has archive pages (only a feed that polls itself
// and shapes nothing has them: pages are never re-shaped).
struct CurrentItems {
  render::FeedInfo info;
  std::vector<render::FeedItem> items;
  PagePlan plan;
  bool archived = false;
};
CurrentItems current_items(store::Store& store, const config::Config& config,
                           const config::FeedConfig& feed);

// Whether polling feed `polled` may change what `feed` publishes (itself, a merge of it, a
// same_as of it or of a merge of it).
bool publishes_items_of(const config::Config& config, const config::FeedConfig& feed,
                        const std::string& polled);

// The serve::Shaping for a Site publishing `config`'s feeds: variants for RSSHub's query
// parameters, prepared from current_items() (pipeline/feed_shaping.hpp).
std::shared_ptr<const serve::Shaping> feed_shaping(store::Store& store,
                                                   std::shared_ptr<const config::Config> config);

// What is served for one feed.
struct FeedResources {
  std::shared_ptr<const serve::Resource> rss, atom, json;
  std::shared_ptr<const serve::Archive> archive;  // RFC 5005 pages; null: none
  PagePlan plan;                                  // what `archive` was rendered for
};

// Renders a feed of `config` from the store into resources stored in `bodies` (in memory when
// null). `previous`: what was published for the feed, whose archive is reused when its pages
// stay; may be null.
FeedResources render_feed(store::Store& store, const config::Config& config,
                          const config::FeedConfig& feed, const FeedResources* previous,
                          const serve::BodyDir* bodies);

}  // namespace fg::pipeline
