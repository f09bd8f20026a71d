// RFC 5005 archive pages: which stored items go to which page, and rendering the pages.

#include <algorithm>

#include "pipeline/publish.hpp"
#include "serve/prepare.hpp"

namespace fg::pipeline {

namespace {

constexpr int kArchiveMaxAge = 86400;  // seconds: archive pages never change

}  // namespace

PagePlan plan_pages(store::SeqRange range, int max_items) {
  PagePlan plan;
  plan.page_size = std::max(1, max_items / 2);
  plan.first_seq = range.first;
  const std::int64_t over = range.last - max_items;  // items that cannot stay in the current feed
  const std::int64_t pages = over > 0 ? (over + plan.page_size - 1) / plan.page_size : 0;
  plan.current_from = pages * plan.page_size + 1;
  if (pages > 0 && range.first >= 1 && range.first < plan.current_from) {
    plan.first_page = static_cast<int>((range.first - 1) / plan.page_size + 1);
    plan.last_page = static_cast<int>(pages);
  }
  return plan;
}

std::shared_ptr<const serve::Archive> render_archive(store::Store& store,
                                                     const render::FeedInfo& info,
                                                     const PagePlan& plan,
                                                     const serve::BodyDir* bodies) {
  if (plan.last_page == 0) return nullptr;
  std::vector<serve::ArchiveInput> formats = {{"rss", "application/rss+xml; charset=utf-8", {}},
                                              {"atom", "application/atom+xml; charset=utf-8", {}},
                                              {"json", "application/feed+json; charset=utf-8", {}}};
  Timestamp newest{};
  for (int page = plan.first_page; page <= plan.last_page; ++page) {
    const std::int64_t first = (page - 1) * plan.page_size + 1;
    auto stored = store.items_by_seq(info.id, first, first + plan.page_size - 1);
    std::vector<render::FeedItem> items;
    render::FeedInfo page_info = info;
    page_info.updated = Timestamp{};
    if (stored) {
      for (auto& s : *stored) {
        page_info.updated = std::max(page_info.updated, s.updated);
        items.push_back({std::move(s.article), s.first_seen, s.updated});
      }
    }
    newest = std::max(newest, page_info.updated);
    page_info.archive_page = page;
    page_info.prev_archive = page > plan.first_page ? page - 1 : 0;
    page_info.next_archive = page < plan.last_page ? page + 1 : 0;
    formats[0].pages.push_back(render::render_rss(page_info, items));
    formats[1].pages.push_back(render::render_atom(page_info, items));
    formats[2].pages.push_back(render::render_json_feed(page_info, items));
  }
  return serve::make_archive(plan.first_page, std::move(formats), newest, kArchiveMaxAge, bodies);
}

}  // namespace fg::pipeline
