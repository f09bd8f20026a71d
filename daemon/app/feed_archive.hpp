#pragma once
// RFC 5005 archived feeds: how a feed's stored items, numbered in storing order (seq), split into
// the current feed and fixed archive pages, and the rendering of those pages.
//
// Page k holds seq (k-1)*P+1 .. k*P, P = max(1, max_items / 2), so a page's members never change
// once it is full (only trimming beyond keep_items empties the oldest page, item by item). The
// current feed holds every item newer than the last full page that can be archived while it
// keeps at most max_items (between max_items - P + 1 and max_items items once pages exist).

#include <cstdint>
#include <memory>

#include "render/render.hpp"
#include "serve/server.hpp"
#include "store/store.hpp"

namespace fg::app {

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

}  // namespace fg::app
