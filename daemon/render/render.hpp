#pragma once
// Feeds as bytes: RSS 2.0, Atom 1.0, JSON Feed 1.1, OPML and the status page.
// Rendered once per change; the server only hands the bytes out.
//
// What each field a reader may render as HTML carries (readers disagree on which fields they
// treat as HTML, so every one is safe read either way):
//   RSS  <description>          the text excerpt escaped as HTML: an HTML fragment of text only
//   RSS  <content:encoded>      the sanitized HTML (normalize's allowlist)
//   RSS  <title>, <dc:creator>, <dc:source>, <dc:contributor>
//                               plain text, made inert (inert_text in feed_common.hpp)
//   Atom <summary type="html">  the text excerpt escaped as HTML, as in RSS <description>
//   Atom <content type="html">  the sanitized HTML
//   Atom <title>, <name>, <dc:source>, <dc:contributor>
//                               plain text (type "text"), made inert
// Bylines: the author (作者) is <author>/<dc:creator>/authors, the source (来源) <dc:source>/
// _feedgate.source, the editor (编辑) <dc:contributor>/_feedgate.editor; none stands in for
// another. With byline_in_content, the content ends in a paragraph holding the byline as text.
//   JSON content_html           the sanitized HTML
//   JSON summary, content_text, title, authors[].name, _feedgate.*
//                               plain text as JSON Feed 1.1 says, made inert
// "Inert" plain text has every "<" that would open markup replaced by U+FF1C, so a reader that
// splices it into HTML unescaped builds no element from it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/article.hpp"
#include "core/time.hpp"

namespace fg::render {

struct FeedInfo {
  std::string id;
  std::string title;
  std::string source_url;  // the portal's list page
  std::string self_base;   // base URL of this server, e.g. "http://127.0.0.1:8080"
  std::string description;
  std::chrono::milliseconds interval{0};
  Timestamp updated{};  // newest change among the items (or last successful poll)
  // RFC 5005 archived feeds: this document is archive page `archive_page` (0: the current,
  // subscription feed); `prev_archive` is the older page linked as prev-archive, `next_archive`
  // the newer one linked as next-archive (0: none). Pages live at
  // /feeds/<id>/archive/<N>.<format>; 1 is the oldest.
  int archive_page = 0;
  int prev_archive = 0;
  int next_archive = 0;
  // Close each item's content with its byline ("来源：新华网　作者：…　编辑：…"), for readers that
  // show only the content (config: feeds[].byline_in_content).
  bool byline_in_content = true;
  // The WebSub hub the current document advertises (Atom and RSS <link rel="hub">, JSON Feed
  // `hubs`); empty: none. Archive pages never change, so they advertise none.
  std::string hub_url;
  // A shaped variant's normalized query ("opencc=s2t"): its self link is the feed URL with it.
  std::string self_query;
};

struct FeedItem {
  Article article;
  Timestamp first_seen{};
  Timestamp updated{};
};

std::string render_rss(const FeedInfo& feed, const std::vector<FeedItem>& items);
std::string render_atom(const FeedInfo& feed, const std::vector<FeedItem>& items);
std::string render_json_feed(const FeedInfo& feed, const std::vector<FeedItem>& items);

// OPML 2.0 listing every feed's Atom URL.
std::string render_opml(const std::vector<FeedInfo>& feeds, const std::string& self_base);

// One past poll, as the status page draws it.
struct PollSample {
  Timestamp started{};
  std::chrono::milliseconds duration{0};
  int new_items = 0;
};

struct FeedStatus {
  FeedInfo info;
  int item_count = 0;
  std::optional<Timestamp> last_poll;
  int last_http_status = 0;                    // of the last poll's list page; 0 = no response
  std::uint64_t last_bytes = 0;                // fetched by the last poll
  std::chrono::milliseconds last_duration{0};  // of the last poll
  std::optional<Timestamp> last_success;
  std::string last_error;  // empty when the last poll succeeded
  std::optional<Timestamp> last_error_at;
  std::optional<Timestamp> next_poll;
  std::vector<PollSample> recent_polls;  // newest first; feeds the sparklines and the average
  int push_subscribers = 0;  // WebSub subscribers (shown when the page has a PushSummary)
  std::string polled_by;     // the instance that polled it last (shown in a cluster)
  std::string polling_on;    // the instance holding a lease on it now, if any
};

// The WebSub hub's counts since start, for the status page; absent when the hub is off.
struct PushSummary {
  std::uint64_t deliveries = 0;  // POSTs answered 2xx
  std::uint64_t failures = 0;    // POSTs that failed (each retry counts)
  std::uint64_t dropped = 0;     // subscriptions dropped after a day of failures
};

// The instances sharing one PostgreSQL, as this instance saw them at its latest heartbeat.
struct ClusterSummary {
  std::string self;                // this instance's id
  std::vector<std::string> alive;  // ids of the instances with a recent heartbeat
  int leases_held = 0;             // polls running across the cluster
  int config_differs = 0;          // live instances whose config differs from this one's
  // A live instance whose config is newer than this one's (whose schedule then stands); empty
  // when this config is the newest.
  std::string newer_config;
  // While the shared database does not answer: since when, and its latest error.
  std::optional<Timestamp> store_unavailable_since;
  std::string store_error;
};

// What the head of the status page adds when the daemon has it: the hub's counts, the cluster.
struct StatusHead {
  std::optional<PushSummary> push;
  std::optional<ClusterSummary> cluster;
};

// Which part of the status page to show: the feeds whose id or title holds `search` (ASCII
// letters in any case), page `page` of `per_page` rows.
struct StatusQuery {
  std::string search;
  std::size_t page = 1;  // from 1; past the last page shows the last
  std::size_t per_page = 100;
  bool operator==(const StatusQuery&) const = default;
};

// The operator's page at "/": a search form (by id or title, a GET form: no script needed),
// then one row per feed of the page asked (title, source, items, last success, last error, next
// poll, average poll time), inline SVG sparklines of new items per day over 30 days and of poll
// durations, links to every format and the OPML, and links to the other pages. Feeds whose last
// poll failed come first; otherwise the order of `feeds`. Times read "3 min ago", the UTC time
// on hover. No scripts, no external assets. With `head.push` (the hub is on), a Push column gives
// each feed's subscribers and a line the hub's deliveries and failures; with `head.cluster`, a
// line names the live instances and a column which one polled each feed.
std::string render_status_page(const std::vector<FeedStatus>& feeds, Timestamp now,
                               const StatusQuery& query = {}, const StatusHead& head = {});
// "/?q=...&page=N": the status page's address for `query` (the plain "/" for the first page of
// every feed).
std::string status_page_url(const StatusQuery& query);

// Plain text as an HTML fragment that holds text only: "&", "<" and ">" escaped, so a reader
// that renders it as HTML shows the characters and builds no element. XML-safe. With
// `in_attributes`, '"' and '\'' are escaped too, for quoted attribute values.
std::string text_as_html(std::string_view text, bool in_attributes = false);

// gzip (RFC 1952) of `data` at the best compression level.
std::string gzip(const std::string& data);

}  // namespace fg::render
