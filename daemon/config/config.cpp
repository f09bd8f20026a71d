#include "config/config.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "config/config_paths.hpp"
#include "config/feed_layer.hpp"
#include "config/feed_refs.hpp"
#include "config/feed_shape.hpp"
#include "config/preview_keys.hpp"
#include "config/recipes.hpp"
#include "config/storage_keys.hpp"
#include "config/trusted_peer.hpp"
#include "config/yaml_reader.hpp"
#include "core/url.hpp"

namespace fg::config {

std::string Problem::describe() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

namespace {

using namespace detail;
using std::chrono::milliseconds;

constexpr std::string_view kTopKeys[] = {"server", "storage", "fetch",   "defaults", "feeds",
                                         "log",    "limits",  "cluster", "preview",  "websub"};
constexpr std::string_view kClusterKeys[] = {"lease"};
constexpr std::string_view kLimitsKeys[] = {"max_page_elements", "parse_concurrency",
                                            "max_article_size"};
constexpr std::string_view kLogKeys[] = {"level", "access_log"};
constexpr std::string_view kServerKeys[] = {"listen", "base_url", "threads", "shaped_cache"};
constexpr std::string_view kFetchKeys[] = {
    "user_agent",    "timeout",       "max_body", "concurrency", "per_host",     "min_gap",
    "stall_timeout", "allow_private", "proxy",    "ca_bundle",   "trusted_peers"};
constexpr std::string_view kFeedKeys[] = {"id", "title", "url", "recipe", "interval", "max_items",
                                          "timezone", "charset", "links", "link_pattern", "article",
                                          "max_backoff", "merge", "keep_items",
                                          // Bylines.
                                          "byline_in_content",
                                          // Shaping.
                                          "filter", "opencc", "same_as"};

// Walks one config document; problems go to the reporter, values into config_.
class ConfigReader {
 public:
  ConfigReader(Reporter& r, const std::vector<std::string>& recipe_dirs,
               std::vector<Problem>& problems)
      : r_(r), recipes_(recipe_dirs, problems) {
    config_.path = r.file();
  }

  Config read(const YAML::Node& root) {
    const Entry* feeds = nullptr;
    const Entry* cluster = nullptr;
    const auto entries = mapping_entries(r_, YAML::Node(), root, "the top level", kTopKeys);
    for (const Entry& e : entries) {
      if (e.name == "server") read_server(e);
      if (e.name == "storage") read_storage(r_, e, config_.storage);
      if (e.name == "fetch") read_fetch(e);
      if (e.name == "log") read_log(e);
      if (e.name == "limits") read_limits(e);
      if (e.name == "cluster") cluster = &e;
      if (e.name == "preview") read_preview(r_, e, config_.preview);
      if (e.name == "websub") read_websub(r_, e, config_.websub);
      if (e.name == "defaults") defaults_ = read_feed_layer(r_, e.key, e.value, "defaults");
      if (e.name == "feeds") feeds = &e;
    }
    // Feeds are read last because `defaults` may come after them in the file.
    if (feeds != nullptr) read_feeds(*feeds);
    if (cluster != nullptr) read_cluster(*cluster);  // after storage, in whatever order written
    config_.storage.path = resolve_relative(r_.file(), config_.storage.path);
    if (config_.server.base_url.empty()) {
      config_.server.base_url = base_url_from_listen(config_.server.listen);
    }
    while (config_.server.base_url.ends_with('/')) config_.server.base_url.pop_back();
    return std::move(config_);
  }

 private:
  void read_server(const Entry& section) {
    for (const Entry& e : mapping_entries(r_, section.key, section.value, "server", kServerKeys)) {
      if (e.name == "threads") {
        if (auto v = read_integer(r_, e, 1, 64)) config_.server.threads = static_cast<int>(*v);
        continue;
      }
      if (e.name == "shaped_cache") {
        if (auto v = read_size(r_, e, 0)) config_.server.shaped_cache = *v;
        continue;
      }
      const auto text = read_string(r_, e);
      if (!text) continue;
      if (e.name == "listen") {
        if (!split_listen(*text)) {
          r_.at_value(e.key, e.value,
                      "listen: expected host:port such as \"127.0.0.1:8080\" or \"[::1]:8080\", "
                      "got \"" +
                          *text + "\"");
        }
        config_.server.listen = *text;
      } else if (e.name == "base_url") {
        const std::string scheme = url_scheme(*text);
        if (!text->empty() && scheme != "http" && scheme != "https") {
          r_.at_value(e.key, e.value,
                      "base_url: expected an http:// or https:// URL, got \"" + *text + "\"");
        }
        config_.server.base_url = *text;
      }
    }
  }

  void read_fetch(const Entry& section) {
    FetchOptions& f = config_.fetch;
    for (const Entry& e : mapping_entries(r_, section.key, section.value, "fetch", kFetchKeys)) {
      if (e.name == "user_agent") {
        if (auto v = read_string(r_, e)) f.user_agent = *v;
      } else if (e.name == "timeout") {
        if (auto v = read_duration(r_, e, milliseconds{1000})) f.timeout = *v;
      } else if (e.name == "max_body") {
        if (auto v = read_size(r_, e, 1)) f.max_body = *v;
      } else if (e.name == "concurrency") {
        if (auto v = read_integer(r_, e, 1, 1000)) f.concurrency = static_cast<int>(*v);
      } else if (e.name == "per_host") {
        if (auto v = read_integer(r_, e, 1, 1000)) f.per_host = static_cast<int>(*v);
      } else {
        read_fetch_network(e, f);
      }
    }
  }

  // The keys added for politeness and network policy (min_gap, stall_timeout, allow_private,
  // proxy, ca_bundle, trusted_peers).
  void read_fetch_network(const Entry& e, FetchOptions& f) {
    if (e.name == "trusted_peers") {
      read_trusted_peers(e, f);
    } else if (e.name == "min_gap") {
      if (auto v = read_duration(r_, e, milliseconds{0})) f.min_gap = *v;
    } else if (e.name == "stall_timeout") {
      if (auto v = read_duration(r_, e, milliseconds{1000})) f.stall_timeout = *v;
    } else if (e.name == "allow_private") {
      if (auto v = read_bool(r_, e)) f.allow_private = *v;
    } else if (e.name == "proxy") {
      const auto v = read_string(r_, e);
      if (!v) return;
      static constexpr std::string_view kSchemes[] = {"http",    "https",  "socks4",
                                                      "socks4a", "socks5", "socks5h"};
      const std::string scheme = url_scheme(*v);
      if (!v->empty() &&
          std::find(std::begin(kSchemes), std::end(kSchemes), scheme) == std::end(kSchemes)) {
        r_.at_value(e.key, e.value,
                    "proxy: expected a URL such as \"http://proxy.example:3128\" or "
                    "\"socks5h://127.0.0.1:1080\" (http, https, socks4, socks4a, socks5, "
                    "socks5h), got \"" +
                        *v + "\"");
        return;
      }
      f.proxy = *v;
    } else if (e.name == "ca_bundle") {
      const auto v = read_string(r_, e);
      if (!v || v->empty()) return;
      const std::string path = resolve_relative(r_.file(), *v);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec)) {
        r_.at_value(e.key, e.value,
                    "ca_bundle: no such file: " + path +
                        " (a PEM file of CA certificates, relative to the config file)");
        return;
      }
      f.ca_bundle = path;
    }
  }

  void read_trusted_peers(const Entry& e, FetchOptions& f) {
    const auto peers = read_string_list(r_, e);
    if (!peers) return;
    for (const std::string& peer : *peers) {
      if (auto canonical = canonical_peer(peer)) {
        f.trusted_peers.push_back(*canonical);
      } else {
        r_.at_value(e.key, e.value,
                    "trusted_peers: expected \"ADDRESS:PORT\" such as \"10.0.0.5:80\" or "
                    "\"[fd00::5]:8080\" (an IP address, not a host name, and a port), got \"" +
                        peer + "\"");
      }
    }
  }

  void read_cluster(const Entry& section) {
    if (config_.storage.url.empty()) {
      r_.at(section.key.Mark(),
            "cluster: only instances sharing a PostgreSQL store (storage.url) form a "
            "cluster; with SQLite one process polls every feed, so remove this section");
    }
    for (const Entry& e :
         mapping_entries(r_, section.key, section.value, "cluster", kClusterKeys)) {
      // At least a few seconds: renewals go out a third of the way through a lease.
      if (auto v = read_duration(r_, e, milliseconds{3000})) config_.cluster.lease = *v;
    }
  }

  void read_limits(const Entry& section) {
    LimitsOptions& l = config_.limits;
    for (const Entry& e : mapping_entries(r_, section.key, section.value, "limits", kLimitsKeys)) {
      if (e.name == "max_page_elements") {
        if (auto v = read_integer(r_, e, 100, 100'000'000)) l.max_page_elements = *v;
      } else if (e.name == "parse_concurrency") {
        if (auto v = read_integer(r_, e, 1, 64)) l.parse_concurrency = static_cast<int>(*v);
      } else if (e.name == "max_article_size") {
        if (auto v = read_size(r_, e, 1024)) l.max_article_size = *v;
      }
    }
  }

  void read_log(const Entry& section) {
    for (const Entry& e : mapping_entries(r_, section.key, section.value, "log", kLogKeys)) {
      if (e.name == "level") {
        const auto text = read_string(r_, e);
        if (!text) continue;
        if (*text != "error" && *text != "warning" && *text != "info" && *text != "debug") {
          r_.at_value(e.key, e.value,
                      "level: expected error, warning, info or debug, got \"" + *text + "\"");
        }
        config_.log.level = *text;
      } else if (e.name == "access_log") {
        if (auto v = read_bool(r_, e)) config_.log.access_log = *v;
      }
    }
  }

  void read_feeds(const Entry& e) {
    if (!e.value.IsDefined() || e.value.IsNull()) return;  // "feeds:" with nothing: no feeds
    if (!e.value.IsSequence()) {
      r_.at_value(e.key, e.value, "feeds: expected a sequence, got " + describe_node(e.value));
      return;
    }
    for (const auto& item : e.value) {
      if (!item.IsMap()) {
        r_.at_value(e.key, item, "feeds: expected a mapping for feed, got " + describe_node(item));
        continue;
      }
      read_feed(item);
    }
    check_merges(r_, config_.feeds, merge_marks_);
    check_same_as(r_, config_.feeds, same_as_marks_);
  }

  void read_feed(const YAML::Node& node) {
    FeedConfig feed;
    FeedLayer own;
    const FeedLayer* recipe = nullptr;
    bool has_id = false;
    bool has_url = false;
    bool has_merge = false;
    YAML::Mark same_as_mark = node.Mark();
    for (const Entry& e : mapping_entries(r_, YAML::Node(), node, "feed", kFeedKeys)) {
      if (read_feed_level_key(r_, e, own) || read_feed_shaping(e, feed)) continue;
      if (e.name == "merge") {
        has_merge = true;
        if (auto ids = read_string_list(r_, e)) feed.merge = std::move(*ids);
        continue;
      }
      const auto text = read_string(r_, e);
      has_id = has_id || e.name == "id";
      has_url = has_url || e.name == "url";
      if (e.name == "same_as") same_as_mark = e.value.Mark();
      if (!text) continue;
      if (e.name == "same_as") feed.same_as = *text;
      if (e.name == "id") feed.id = checked_id(e, *text);
      if (e.name == "title") feed.title = *text;
      if (e.name == "url") feed.url = checked_url(e, *text);
      if (e.name == "recipe") {
        feed.recipe = *text;
        recipe = recipes_.find(r_, e, *text);
      }
    }
    if (!has_id) r_.at(node.Mark(), "feed is missing required key \"id\"");
    const bool has_same_as = !feed.same_as.empty();
    if (!has_url && !has_merge && !has_same_as) {
      r_.at(node.Mark(), "feed is missing required key \"url\"");
    }
    if (has_same_as && (has_url || has_merge)) {
      r_.at(node.Mark(), "feed has same_as and also url or merge; a same_as feed polls nothing");
    }
    if (has_same_as) same_as_marks_[feed.id] = same_as_mark;
    if (has_url && has_merge) {
      r_.at(node.Mark(), "feed has both \"url\" and \"merge\"; a merged feed polls nothing itself");
    }
    if (has_merge && feed.merge.empty()) r_.at(node.Mark(), "merge: list at least one feed id");
    if (has_merge) merge_marks_[feed.id] = node.Mark();
    apply_layer(defaults_, feed);
    if (recipe != nullptr) apply_layer(*recipe, feed);
    apply_layer(own, feed);
    if (feed.title.empty()) feed.title = feed.id;  // feeds need some title; the id is readable
    config_.feeds.push_back(std::move(feed));
  }

  // `filter` and `opencc`: false for any other key.
  bool read_feed_shaping(const Entry& e, FeedConfig& feed) {
    if (e.name == "filter") {
      read_feed_filter(r_, e, feed.filter);
    } else if (e.name == "opencc") {
      if (auto name = read_opencc(r_, e)) feed.opencc = *name;
    } else {
      return false;
    }
    return true;
  }

  std::string checked_id(const Entry& e, const std::string& id) {
    if (!valid_feed_id(id)) {
      r_.at_value(e.key, e.value,
                  "id: invalid feed id \"" + id +
                      "\"; use 1 to 64 characters from a-z, 0-9 and '-' (it appears in URLs)");
      return id;
    }
    const auto [first, inserted] = feed_id_lines_.emplace(id, e.value.Mark().line + 1);
    if (!inserted) {
      r_.at_value(e.key, e.value,
                  "id: duplicate feed id \"" + id + "\"; first defined on line " +
                      std::to_string(first->second));
    }
    return id;
  }

  std::string checked_url(const Entry& e, const std::string& url) {
    const std::string resolved = resolve_config_relative_url(r_.file(), url);
    const std::string scheme = url_scheme(resolved);
    if (scheme.empty()) {
      r_.at_value(e.key, e.value,
                  "url: expected an absolute http://, https:// or file:// URL, got \"" + url +
                      "\" (for a file beside the config write file://./path)");
    } else if (scheme != "http" && scheme != "https" && scheme != "file") {
      r_.at_value(
          e.key, e.value,
          "url: unsupported scheme \"" + scheme + "\" in \"" + url + "\"; use http, https or file");
    }
    return resolved;
  }

  Reporter& r_;
  RecipeBook recipes_;
  Config config_;
  FeedLayer defaults_;
  std::map<std::string, int> feed_id_lines_;
  std::map<std::string, YAML::Mark> merge_marks_;    // merged feed id → where it was defined
  std::map<std::string, YAML::Mark> same_as_marks_;  // same_as feed id → where it was defined
};

// The config file's problems first, then each recipe's (in order of first use); each file's
// problems in document order.
void sort_problems(const std::string& config_file, std::vector<Problem>& problems) {
  std::map<std::string, std::size_t> file_order{{config_file, 0}};
  for (const Problem& p : problems) file_order.emplace(p.file, file_order.size());
  std::stable_sort(problems.begin(), problems.end(), [&](const Problem& a, const Problem& b) {
    const std::size_t fa = file_order[a.file];
    const std::size_t fb = file_order[b.file];
    if (fa != fb) return fa < fb;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
}

}  // namespace

LoadResult parse_config(const std::string& yaml_text, const std::string& path,
                        const std::vector<std::string>& recipe_dirs) {
  LoadResult result;
  Reporter r(path, result.problems);
  try {
    const auto root = parse_yaml(r, yaml_text);
    if (!root) return result;
    ConfigReader reader(r, recipe_dirs, result.problems);
    Config config = reader.read(*root);
    sort_problems(path, result.problems);
    if (result.problems.empty()) result.config = std::move(config);
  } catch (const std::exception& ex) {  // nothing may escape the module; say where it gave up
    result.problems.push_back(Problem{path, 1, 1, std::string("internal error: ") + ex.what()});
  }
  return result;
}

LoadResult load_config(const std::string& path, const std::vector<std::string>& recipe_dirs) {
  const auto text = read_text_file(path);
  if (!text) {
    LoadResult result;
    result.problems.push_back(
        Problem{path, 1, 1, "cannot read config file: " + text.error().message});
    return result;
  }
  return parse_config(*text, path, recipe_dirs);
}

}  // namespace fg::config
