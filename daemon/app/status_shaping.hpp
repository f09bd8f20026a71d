#pragma once
// "/?q=...&page=N": the status page's searches and other pages, rendered on request from the
// statuses the latest page was built from and cached by the server like a feed variant (so the
// page published after each rebuild holds one page of rows, not every feed). With the feeds' own
// shaping (pipeline/feed_shaping.hpp) it makes the serve::Shaping of a published Site.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "render/render.hpp"
#include "serve/shaping.hpp"

namespace fg::app {

// The feeds' statuses one status page was built from, as of `now`.
struct StatusSnapshot {
  std::vector<render::FeedStatus> feeds;
  Timestamp now{};
  render::StatusHead head;  // the WebSub hub's counts and the cluster, when the daemon has them
};

// What a query on "/" asks: `q` (the search, trimmed) and `page` (a positive number; anything
// else reads as 1). Other parameters are ignored.
render::StatusQuery parse_status_query(std::string_view query);

class SiteShaping : public serve::Shaping {
 public:
  // `feeds` answers the feeds' paths; `status`, "/" (null while no page was built).
  SiteShaping(std::shared_ptr<const serve::Shaping> feeds,
              std::shared_ptr<const StatusSnapshot> status);

  serve::ShapeQuery read(std::string_view path, std::string_view query) const override;
  serve::ShapedVariant prepare(std::string_view path, const std::string& key,
                               const serve::Resource& plain) const override;

 private:
  std::shared_ptr<const serve::Shaping> feeds_;
  std::shared_ptr<const StatusSnapshot> status_;
};

}  // namespace fg::app
