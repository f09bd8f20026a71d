#pragma once
// The validated configuration: what `feedgate serve|check|poll` run on.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace fg::config {

using std::chrono::milliseconds;

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port ("[::1]:8080" for IPv6)
  // Public URL of this server without a trailing '/'; when not written, "http://" + listen
  // with 0.0.0.0 / [::] replaced by 127.0.0.1 / [::1].
  std::string base_url;
  int threads = 1;  // threads answering HTTP requests, 1..64
  // Bytes of feed variants shaped by query parameters (?filter_title=...) kept for reuse.
  std::uint64_t shaped_cache = 32ull << 20;
};

struct StorageOptions {
  // SQLite file; a relative path is resolved against the config file's directory, and
  // load_config/parse_config always store the absolute result here.
  std::string path = "var/feedgate.db";
  // PostgreSQL instead of SQLite: a libpq connection URI ("postgresql://USER@HOST:PORT/DB"),
  // never holding a password; empty: SQLite at `path`. Feed bodies still go beside `path`.
  std::string url;
  // The password in .pgpass format (absolute); empty: libpq's PGPASSFILE or ~/.pgpass.
  std::string password_file;
  int pool = 4;  // connections to PostgreSQL, 1..64
};

struct FetchOptions {
  std::string user_agent = "feedgate/0.1 (+https://github.com/feedgate/feedgate)";
  milliseconds timeout{30'000};         // whole request, connect included
  std::uint64_t max_body = 8ull << 20;  // bytes; larger bodies are aborted
  int concurrency = 8;                  // requests in flight overall
  int per_host = 2;                     // requests in flight per host
  milliseconds min_gap{1000};           // between the starts of two requests to one host
  milliseconds stall_timeout{30'000};   // abort a transfer that receives nothing this long
  bool allow_private = false;           // connect to loopback/private/link-local addresses
  std::string proxy;                    // proxy URL; empty: the *_proxy environment variables
  std::string ca_bundle;                // PEM CA file (absolute); empty: the system's CAs
  // "ADDRESS:PORT" peers connected to even when allow_private is false (an intranet portal),
  // canonical ("[::1]:8080"); every other non-public address stays refused.
  std::vector<std::string> trusted_peers;
};

// Several instances on one PostgreSQL store (cluster mode is on whenever storage.url is set).
struct ClusterOptions {
  // How long a claimed poll stays this instance's without being renewed; the delay, at most,
  // before another instance takes over the polls of one that died.
  milliseconds lease{120'000};
};

// Bounds on what reading one page may cost, so that no portal can exhaust the daemon's memory.
struct LimitsOptions {
  std::size_t max_page_elements = 100'000;     // start tags per list or article page
  int parse_concurrency = 2;                   // pages parsed at once, across every feed
  std::uint64_t max_article_size = 256 << 10;  // bytes of content_html (and text) stored
};

// The WebSub hub (W3C WebSub 2018) at <base_url>/websub: readers' servers subscribe to feeds and
// get each change POSTed. Off by default: it makes the server call URLs that anyone who can reach
// it typed (under fetch's address policy), and feeds advertise the hub only when it is on.
struct WebSubOptions {
  bool enabled = false;
  int max_subscriptions = 10'000;  // active and pending, over every topic
  int max_per_topic = 1'000;       // active and pending, per topic (feed URL with its query)
  int max_pending = 100;           // verifications of intent waiting or in flight
  std::chrono::seconds lease{10 * 86'400};      // when the subscriber asks for none
  std::chrono::seconds max_lease{30 * 86'400};  // longer asks are cut to this
  std::chrono::seconds min_lease{3'600};        // shorter asks are raised to this
};

struct LogOptions {
  std::string level = "info";  // error, warning, info or debug; --log-level overrides it
  bool access_log = false;     // one info line per answered HTTP request
};

// The page at /preview where a person tries a channel URL before adding it (off by default: it
// makes the server fetch URLs someone typed).
struct PreviewOptions {
  bool enabled = false;
  std::string token;  // asked for on the page when set; empty: anyone who reaches it may preview
  // Previews one client address may start per `rate_period` (written "6/min", "1/s", "100/h").
  int rate_count = 6;
  milliseconds rate_period{60'000};
  int concurrency = 2;  // previews running at once, across every client
};

// CSS selectors for article pages; an empty string means "work it out".
struct ArticleSelectors {
  std::string title;
  std::string published;
  std::string author;
  std::string source;
  std::string content;
  std::vector<std::string> remove;  // removed from the page before anything else is read
};

// A feed's `filter:`: RE2 patterns its items must (include) or must not (exclude) match, per
// field, as the query parameters filter_* and filterout_* do; empty patterns ask nothing.
struct FeedFilter {
  struct Patterns {
    std::string any;  // the title or the description
    std::string title;
    std::string description;  // the item's plain text
    std::string author;
    friend bool operator==(const Patterns&, const Patterns&) = default;
  };
  Patterns include;
  Patterns exclude;
  bool case_sensitive = true;
  milliseconds max_age{0};  // items published longer ago are left out; 0: no limit
  friend bool operator==(const FeedFilter&, const FeedFilter&) = default;
};

// Feed-level keys (interval, max_items, timezone, charset, links, link_pattern, article) stack:
// `defaults` < the recipe < the feed's own keys; `article` merges selector by selector.
struct FeedConfig {
  std::string id;     // [a-z0-9-]+, unique
  std::string title;  // the feed's id when not written
  std::string url;    // the list page (http, https or file); "file://./x" is made absolute
  // Instead of url: the ids of feeds whose stored items this feed publishes, newest first.
  std::vector<std::string> merge;
  std::string recipe;  // name of a recipe under feeds/ whose settings this feed starts from
  milliseconds interval{15 * 60'000};
  // Cap of the doubling delay between polls after failures (never below the interval).
  milliseconds max_backoff{6 * 3600'000};
  int max_items = 50;  // items in the feed document
  // Items kept in the store; those beyond max_items are published as RFC 5005 archive pages.
  // Never below max_items (see kept_items()).
  int keep_items = 500;
  int kept_items() const { return keep_items > max_items ? keep_items : max_items; }
  std::string timezone = "Asia/Shanghai";  // IANA name for local times on the portal's pages
  std::string charset;                     // overrides header/meta when set
  std::string links;                       // CSS selector for article links on the list page
  std::string link_pattern;                // ECMAScript regex over absolute link URLs
  ArticleSelectors article;
  // Bylines: each item's content ends in "来源：…　作者：…　编辑：…" (the parts it has).
  bool byline_in_content = true;
  // Shaping applied when the feed is rendered (feed-only keys, not stacked by defaults/recipes).
  FeedFilter filter;
  std::string opencc;  // s2t, t2s, s2tw, tw2s, s2hk, hk2s, s2twp or tw2sp; empty: none
  // Instead of url: the id of a feed whose items this one publishes (shaped its own way),
  // polling nothing itself.
  std::string same_as;
  // Whether this feed polls a portal itself (merged and same_as feeds do not).
  bool polls() const { return merge.empty() && same_as.empty(); }
};

struct Config {
  std::string path;  // the file this was read from
  ServerOptions server;
  StorageOptions storage;
  ClusterOptions cluster;
  FetchOptions fetch;
  LogOptions log;
  LimitsOptions limits;
  PreviewOptions preview;
  WebSubOptions websub;
  std::vector<FeedConfig> feeds;
};

// One problem found in a config file, positioned at its YAML node.
struct Problem {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string message;

  std::string describe() const;  // "FILE:LINE:COL: message"
};

// Reads and validates a config file. On failure every problem is listed (never just the first).
// Recipes named by `recipe:` are looked up in `recipe_dirs` (each holding <name>/recipe.yaml).
struct LoadResult {
  std::optional<Config> config;  // set when problems is empty
  std::vector<Problem> problems;
};
LoadResult load_config(const std::string& path, const std::vector<std::string>& recipe_dirs = {});
// Same, from text (path is used only in messages and to resolve relative paths).
LoadResult parse_config(const std::string& yaml_text, const std::string& path,
                        const std::vector<std::string>& recipe_dirs = {});

}  // namespace fg::config
