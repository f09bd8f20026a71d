#pragma once
// Internal to the config module: the feed-level settings one layer (defaults, a recipe, a feed)
// writes, and how the layers stack (defaults < recipe < feed).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace fg::config::detail {

// Article selectors one layer sets; unset fields fall through to the layer below.
struct ArticleLayer {
  std::optional<std::string> title;
  std::optional<std::string> published;
  std::optional<std::string> author;
  std::optional<std::string> source;
  std::optional<std::string> content;
  std::optional<std::vector<std::string>> remove;
};

// Feed-level settings one layer sets.
struct FeedLayer {
  std::optional<std::chrono::milliseconds> interval;
  std::optional<std::chrono::milliseconds> max_backoff;
  std::optional<int> max_items;
  std::optional<int> keep_items;
  std::optional<std::string> timezone;
  std::optional<std::string> charset;
  std::optional<std::string> links;
  std::optional<std::string> link_pattern;
  ArticleLayer article;
  // Bylines.
  std::optional<bool> byline_in_content;
};

// Keys that may appear in `defaults`, in a recipe and in a feed.
inline constexpr std::string_view kFeedLevelKeys[] = {"interval", "max_items", "timezone",
                                                      "charset", "links", "link_pattern", "article",
                                                      "max_backoff", "keep_items",
                                                      // Bylines.
                                                      "byline_in_content"};

// When `e` is a feed-level key, validates it into `layer` (reporting problems) and returns true;
// returns false for any other key so the caller can handle it.
bool read_feed_level_key(Reporter& r, const Entry& e, FeedLayer& layer);

// Reads a whole mapping of feed-level keys (`defaults`); other keys are reported as unknown.
FeedLayer read_feed_layer(Reporter& r, const YAML::Node& key, const YAML::Node& node,
                          std::string_view context);

// Overwrites the fields of `feed` that `layer` sets; `article` merges field by field.
void apply_layer(const FeedLayer& layer, FeedConfig& feed);

}  // namespace fg::config::detail
