#pragma once
// Shaping on the publish side: a feed's config (`filter`, `opencc`) as a shape::ShapeSpec, and
// the serve::Shaping a published Site carries so that readers may ask for variants of its feeds
// with RSSHub's query parameters ("/feeds/x.atom?filter_title=亚运&opencc=s2t").

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.hpp"
#include "render/render.hpp"
#include "serve/shaping.hpp"
#include "shape/shape.hpp"

namespace fg::pipeline {

enum class FeedFormat { rss, atom, json };

// The document of `format` for `items`.
std::string render_feed_format(FeedFormat format, const render::FeedInfo& info,
                               const std::vector<render::FeedItem>& items);

// Loads what variants need that is slow to load (OpenCC's dictionaries, about 100 ms of CPU),
// so that the first reader asking for one does not wait for it: for a background thread.
void preload_shaping();

// The HTTP Link header a document of `format` is served with: its WebSub hub and self
// (`<…/websub>; rel="hub", <…/feeds/x.atom>; rel="self"`); empty when `info` names no hub.
std::string hub_links(const render::FeedInfo& info, FeedFormat format);

// What `filter:` and `opencc:` of a feed ask for; empty() when neither is set.
shape::ShapeSpec config_shape(const config::FeedConfig& feed);

// Answers the query parameters on the feeds of `config`, as published with one Site. A variant
// is prepared from the items its feed publishes (read again from the store, so that no item is
// held in memory for readers who may never ask): a subset of the plain feed.
class FeedShaping : public serve::Shaping {
 public:
  // The items feed `feed` publishes and the FeedInfo its plain documents were rendered with.
  struct Published {
    render::FeedInfo info;
    std::vector<render::FeedItem> items;
  };
  using Source = std::function<Published(const config::FeedConfig& feed)>;

  FeedShaping(std::shared_ptr<const config::Config> config, Source source);

  serve::ShapeQuery read(std::string_view path, std::string_view query) const override;
  serve::ShapedVariant prepare(std::string_view path, const std::string& key,
                               const serve::Resource& plain) const override;

 private:
  struct Target {
    const config::FeedConfig* feed = nullptr;
    FeedFormat format = FeedFormat::atom;
  };
  // The feed and format of "/feeds/<id>.<rss|atom|json>"; no feed when the path is another.
  Target target(std::string_view path) const;

  std::shared_ptr<const config::Config> config_;
  std::unordered_map<std::string_view, const config::FeedConfig*> feeds_;  // by id
  Source source_;
};

}  // namespace fg::pipeline
