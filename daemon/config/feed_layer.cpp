#include "config/feed_layer.hpp"

#include <date/tz.h>

#include <exception>
#include <regex>

#include "parse/selector.hpp"

namespace fg::config::detail {

namespace {

using std::chrono::milliseconds;

constexpr long long kMaxItemsLimit = 10'000;
constexpr long long kKeepItemsLimit = 1'000'000;
// Polling a portal more often than this is abuse; 1 s lets tests run a schedule in seconds.
constexpr milliseconds kMinInterval{1'000};
// Backing off for less than this would hammer a failing portal; more than a day hides it.
constexpr milliseconds kMinBackoff{10'000};
constexpr milliseconds kMaxBackoff{24 * 3600'000};

constexpr std::string_view kArticleKeys[] = {"title",  "published", "author",
                                             "source", "content",   "remove"};

// A CSS selector that fg::parse can compile; empty means "work it out" and is accepted.
bool valid_selector(Reporter& r, const Entry& e, const YAML::Node& node, const std::string& text) {
  if (text.empty()) return true;
  std::string why;
  try {
    auto compiled = parse::Selector::compile(text);
    if (compiled) return true;
    why = compiled.error().message;
  } catch (const std::exception& ex) {  // the parse module promises not to throw; be safe anyway
    why = ex.what();
  }
  r.at_value(e.key, node, e.name + ": invalid CSS selector \"" + text + "\": " + why);
  return false;
}

std::optional<std::string> read_selector(Reporter& r, const Entry& e) {
  auto text = read_string(r, e);
  if (!text || !valid_selector(r, e, e.value, *text)) return std::nullopt;
  return text;
}

std::optional<std::vector<std::string>> read_selector_list(Reporter& r, const Entry& e) {
  auto list = read_string_list(r, e);
  if (!list) return std::nullopt;
  bool ok = true;
  for (std::size_t i = 0; i < list->size(); ++i) {
    ok = valid_selector(r, e, e.value[i], (*list)[i]) && ok;
  }
  if (!ok) return std::nullopt;
  return list;
}

std::optional<std::string> read_regex(Reporter& r, const Entry& e) {
  auto text = read_string(r, e);
  if (!text || text->empty()) return text;
  try {
    std::regex compiled(*text, std::regex::ECMAScript);
    return text;
  } catch (const std::regex_error& ex) {
    r.at_value(e.key, e.value,
               e.name + ": invalid regular expression \"" + *text + "\": " + ex.what());
  }
  return std::nullopt;
}

std::optional<milliseconds> read_max_backoff(Reporter& r, const Entry& e) {
  auto d = read_duration(r, e, kMinBackoff);
  if (d && *d > kMaxBackoff) {
    r.at_value(e.key, e.value, "max_backoff must be at most 24h, got " + e.value.Scalar());
    return std::nullopt;
  }
  return d;
}

std::optional<std::string> read_timezone(Reporter& r, const Entry& e) {
  auto text = read_string(r, e);
  if (!text) return std::nullopt;
  try {
    if (!text->empty() && date::locate_zone(*text) != nullptr) return text;
  } catch (const std::exception&) {
    // date throws std::runtime_error for a name it does not know; reported below.
  }
  r.at_value(e.key, e.value,
             e.name + ": unknown time zone \"" + *text +
                 "\" (use an IANA name such as Asia/Shanghai or UTC)");
  return std::nullopt;
}

ArticleLayer read_article(Reporter& r, const Entry& parent) {
  ArticleLayer out;
  for (const Entry& e : mapping_entries(r, parent.key, parent.value, "article", kArticleKeys)) {
    if (e.name == "remove") {
      out.remove = read_selector_list(r, e);
      continue;
    }
    auto selector = read_selector(r, e);
    if (e.name == "title") out.title = selector;
    if (e.name == "published") out.published = selector;
    if (e.name == "author") out.author = selector;
    if (e.name == "source") out.source = selector;
    if (e.name == "content") out.content = selector;
  }
  return out;
}

template <class T>
void set_if(const std::optional<T>& value, T& target) {
  if (value) target = *value;
}

}  // namespace

bool read_feed_level_key(Reporter& r, const Entry& e, FeedLayer& layer) {
  if (e.name == "interval") {
    layer.interval = read_duration(r, e, kMinInterval);
  } else if (e.name == "max_backoff") {
    layer.max_backoff = read_max_backoff(r, e);
  } else if (e.name == "max_items") {
    if (auto n = read_integer(r, e, 1, kMaxItemsLimit)) layer.max_items = static_cast<int>(*n);
  } else if (e.name == "keep_items") {
    if (auto n = read_integer(r, e, 1, kKeepItemsLimit)) layer.keep_items = static_cast<int>(*n);
  } else if (e.name == "timezone") {
    layer.timezone = read_timezone(r, e);
  } else if (e.name == "charset") {
    layer.charset = read_string(r, e);
  } else if (e.name == "links") {
    layer.links = read_selector(r, e);
  } else if (e.name == "link_pattern") {
    layer.link_pattern = read_regex(r, e);
  } else if (e.name == "article") {
    layer.article = read_article(r, e);
  } else if (e.name == "byline_in_content") {  // Bylines.
    layer.byline_in_content = read_bool(r, e);
  } else {
    return false;
  }
  return true;
}

FeedLayer read_feed_layer(Reporter& r, const YAML::Node& key, const YAML::Node& node,
                          std::string_view context) {
  FeedLayer layer;
  for (const Entry& e : mapping_entries(r, key, node, context, kFeedLevelKeys)) {
    read_feed_level_key(r, e, layer);
  }
  return layer;
}

void apply_layer(const FeedLayer& layer, FeedConfig& feed) {
  set_if(layer.interval, feed.interval);
  set_if(layer.max_backoff, feed.max_backoff);
  set_if(layer.max_items, feed.max_items);
  set_if(layer.keep_items, feed.keep_items);
  set_if(layer.timezone, feed.timezone);
  set_if(layer.charset, feed.charset);
  set_if(layer.links, feed.links);
  set_if(layer.link_pattern, feed.link_pattern);
  set_if(layer.article.title, feed.article.title);
  set_if(layer.article.published, feed.article.published);
  set_if(layer.article.author, feed.article.author);
  set_if(layer.article.source, feed.article.source);
  set_if(layer.article.content, feed.article.content);
  set_if(layer.article.remove, feed.article.remove);
  set_if(layer.byline_in_content, feed.byline_in_content);  // Bylines.
}

}  // namespace fg::config::detail
