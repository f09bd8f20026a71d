// The human status page at "/": self-contained HTML5 (no scripts, no external assets).
#include <algorithm>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "core/url.hpp"
#include "render/feed_common.hpp"
#include "render/render.hpp"
#include "render/status_page_history.hpp"

namespace fg::render {

namespace {

// Escapes text for HTML element content and double- or single-quoted attributes.
std::string html_escape(std::string_view text) {
  return text_as_html(text, true);
}

// "3 min ago", "in 12 min", "5 h ago", "2 d ago": the unit read at a glance, rounded.
std::string relative_time(Timestamp t, Timestamp now) {
  const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(now - t).count();
  const long long span = seconds < 0 ? -seconds : seconds;
  if (span < 45) return seconds < 0 ? "in a moment" : "just now";
  const auto rounded = [&](long long unit) { return std::to_string((span + unit / 2) / unit); };
  const std::string amount = span < 90 * 60        ? rounded(60) + " min"
                             : span < 36 * 60 * 60 ? rounded(3600) + " h"
                                                   : rounded(86400) + " d";
  return seconds < 0 ? "in " + amount : amount + " ago";
}

// "2020-01-28 18:10:00 UTC": the absolute time, for the hover title.
std::string utc_text(Timestamp t) {
  std::string text = format_rfc3339(t);  // 2020-01-28T18:10:00Z
  if (text.size() == 20) text = text.substr(0, 10) + " " + text.substr(11, 8) + " UTC";
  return text;
}

std::string time_cell(const std::optional<Timestamp>& t, Timestamp now) {
  if (!t) return "\xE2\x80\x94";
  return "<time datetime=\"" + format_rfc3339(*t) + "\" title=\"" + utc_text(*t) + "\">" +
         relative_time(*t, now) + "</time>";
}

// "HTTP 200 · 12.5 KiB · 340 ms" for the last poll.
std::string outcome_cell(const FeedStatus& s) {
  if (!s.last_poll) return "\xE2\x80\x94";
  std::string out = s.last_http_status > 0 ? "HTTP " + std::to_string(s.last_http_status)
                                           : std::string("no response");
  const std::uint64_t tenths_kib = (s.last_bytes * 10 + 512) / 1024;
  out += " \xC2\xB7 " + std::to_string(tenths_kib / 10) + "." + std::to_string(tenths_kib % 10) +
         " KiB \xC2\xB7 " + std::to_string(s.last_duration.count()) + " ms";
  return out;
}

constexpr std::string_view page_head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>feedgate</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.4em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}
td.num{text-align:right}
.error{color:#a00}
.spark{vertical-align:middle;color:#2a6}
.spark-note{color:#666;font-size:.85em;display:block}
.url{font-size:.85em;word-break:break-all}
form,nav{margin:1em 0}
nav a,nav span{margin-right:1em}
</style>
</head>
<body>
<h1>feedgate</h1>
)";

constexpr int kHistoryDays = 30;
constexpr std::size_t kDurationPolls = 50;

std::string error_cell(const FeedStatus& s, Timestamp now) {
  if (s.last_error.empty()) return "<td>\xE2\x80\x94</td>\n";
  std::string cell = "<td class=\"error\">" + html_escape(s.last_error);
  if (s.last_error_at) cell += " (" + time_cell(s.last_error_at, now) + ")";
  return cell + "</td>\n";
}

// New items per day over the last 30 days: a sparkline, and the total as text for text browsers.
std::string items_history_cell(const FeedStatus& s, Timestamp now) {
  const auto per_day = detail::items_per_day(s.recent_polls, now, kHistoryDays);
  long long total = 0;
  for (long long n : per_day) total += n;
  const std::string note = std::to_string(total) + " new in " + std::to_string(kHistoryDays) + " d";
  return "<td>" + detail::sparkline_svg(per_day, "new items per day, last 30 days: " + note) +
         "<span class=\"spark-note\">" + note + "</span></td>\n";
}

// Average poll time as text, and the latest polls' durations as a sparkline.
std::string poll_time_cell(const FeedStatus& s) {
  const auto durations = detail::poll_durations(s.recent_polls, kDurationPolls);
  if (durations.empty()) return "<td>\xE2\x80\x94</td>\n";
  long long sum = 0;
  for (long long d : durations) sum += d;
  const std::string average = detail::format_millis(sum / static_cast<long long>(durations.size()));
  const std::string note =
      "avg " + average + " over " + std::to_string(durations.size()) + " polls";
  return "<td>" + detail::sparkline_svg(durations, "poll durations: " + note) +
         "<span class=\"spark-note\">" + note + "</span></td>\n";
}

// Which instance polled the feed last, and which polls it now.
std::string polled_by_cell(const FeedStatus& s) {
  std::string cell = "<td class=\"url\">" + html_escape(s.polled_by);
  if (!s.polling_on.empty()) cell += "<br>polling now: " + html_escape(s.polling_on);
  return cell + "</td>\n";
}

std::string feed_row(const FeedStatus& s, Timestamp now, const StatusHead& head) {
  const FeedInfo& f = s.info;
  const std::string base = "/feeds/" + html_escape(f.id);
  const std::string source = html_escape(f.source_url);
  std::string row = "<tr id=\"feed-" + html_escape(f.id) + "\">\n";
  row += "<td><a href=\"" + source + "\">" + html_escape(f.title) + "</a></td>\n";
  row += "<td class=\"url\">" + source + "</td>\n";
  row += "<td class=\"num\">" + std::to_string(s.item_count) + "</td>\n";
  row += items_history_cell(s, now);
  row += "<td>" + time_cell(s.last_poll, now) + "</td>\n";
  row += "<td>" + outcome_cell(s) + "</td>\n";
  row += "<td>" + time_cell(s.last_success, now) + "</td>\n";
  row += error_cell(s, now);
  row += "<td>" + time_cell(s.next_poll, now) + "</td>\n";
  row += poll_time_cell(s);
  if (head.cluster) row += polled_by_cell(s);
  if (head.push) row += "<td class=\"num\">" + std::to_string(s.push_subscribers) + "</td>\n";
  row += "<td><a href=\"" + base + ".rss\">RSS</a> <a href=\"" + base +
         ".atom\">Atom</a> <a href=\"" + base + ".json\">JSON</a></td>\n";
  return row + "</tr>\n";
}

// Whether feed `s` is one the search asks for: its id or title holds `lowered` (ASCII letters
// compared in lower case; other text as it is).
bool matches(const FeedStatus& s, std::string_view lowered) {
  return lowered.empty() || ascii_lower(s.info.id).find(lowered) != std::string::npos ||
         ascii_lower(s.info.title).find(lowered) != std::string::npos;
}

std::string search_form(const StatusQuery& query) {
  return "<form method=\"get\" action=\"/\"><label>Feed id or title <input type=\"search\" "
         "name=\"q\" value=\"" +
         html_escape(query.search) + "\"></label> <button type=\"submit\">Search</button>" +
         (query.search.empty() ? "" : " <a href=\"/\">all feeds</a>") + "</form>\n";
}

// "‹ previous  page 2 of 7  next ›", first and last too; nothing for a single page.
std::string pager(const StatusQuery& query, std::size_t pages) {
  if (pages <= 1) return {};
  const auto link = [&](std::size_t page, std::string_view text) {
    StatusQuery to = query;
    to.page = page;
    return "<a href=\"" + html_escape(status_page_url(to)) + "\">" + std::string(text) + "</a>";
  };
  std::string nav = "<nav>";
  if (query.page > 1)
    nav += link(1, "\xC2\xAB first") + link(query.page - 1, "\xE2\x80\xB9 previous");
  nav += "<span>page " + std::to_string(query.page) + " of " + std::to_string(pages) + "</span>";
  if (query.page < pages)
    nav += link(query.page + 1, "next \xE2\x80\xBA") + link(pages, "last \xC2\xBB");
  return nav + "</nav>\n";
}

// "Cluster: 3 instances alive (a, b, c); this one is a; 2 polls running."
std::string cluster_line(const ClusterSummary& c) {
  std::string names;
  for (const auto& id : c.alive) names += (names.empty() ? "" : ", ") + html_escape(id);
  std::string line = "<p id=\"cluster\">Cluster: " + std::to_string(c.alive.size()) +
                     (c.alive.size() == 1 ? " instance alive (" : " instances alive (") + names +
                     "); this one is " + html_escape(c.self) + "; " +
                     std::to_string(c.leases_held) + " polls running.";
  if (c.config_differs > 0) {
    line += " <strong>" + std::to_string(c.config_differs) +
            " of them read a different config file: every instance should read the same.</strong>";
  }
  if (!c.newer_config.empty()) {
    line += " <strong>This instance's config file is older than that of " +
            html_escape(c.newer_config) + ": the shared schedule follows that one.</strong>";
  }
  return line + "</p>\n";
}

// "Store unavailable since 3 min ago: ..." while the shared database does not answer.
std::string store_banner(const ClusterSummary& c, Timestamp now) {
  return "<p id=\"store-unavailable\" class=\"error\"><strong>Store unavailable</strong> since " +
         time_cell(c.store_unavailable_since, now) + ": " + html_escape(c.store_error) +
         ". Feeds are served as last rendered; polls resume when the database answers.</p>\n";
}

}  // namespace

std::string status_page_url(const StatusQuery& query) {
  std::string url = "/";
  if (!query.search.empty()) url += "?q=" + percent_encode(query.search);
  if (query.page > 1)
    url += (query.search.empty() ? "?page=" : "&page=") + std::to_string(query.page);
  return url;
}

std::string render_status_page(const std::vector<FeedStatus>& feeds, Timestamp now,
                               const StatusQuery& asked, const StatusHead& head) {
  // Failing feeds first, each group in the given order; only those the search asks for.
  const std::string lowered = ascii_lower(asked.search);
  std::vector<const FeedStatus*> shown;
  std::size_t failing = 0;
  for (const FeedStatus& s : feeds) failing += s.last_error.empty() ? 0 : 1;
  for (bool failed : {true, false}) {
    for (const FeedStatus& s : feeds) {
      if (s.last_error.empty() != failed && matches(s, lowered)) shown.push_back(&s);
    }
  }
  StatusQuery query = asked;
  const std::size_t per_page = std::max<std::size_t>(1, query.per_page);
  const std::size_t pages = std::max<std::size_t>(1, (shown.size() + per_page - 1) / per_page);
  query.page = std::clamp<std::size_t>(query.page, 1, pages);
  const std::size_t first = (query.page - 1) * per_page;
  const std::size_t last = std::min(shown.size(), first + per_page);

  std::string page(page_head);
  page += "<p>" + std::to_string(feeds.size()) + " feeds, " + std::to_string(failing) +
          " failing, as of <time datetime=\"" + format_rfc3339(now) + "\">" + utc_text(now) +
          "</time>. <a href=\"/feeds.opml\">All feeds as OPML</a></p>\n";
  if (head.cluster) page += cluster_line(*head.cluster);
  if (head.cluster && head.cluster->store_unavailable_since)
    page += store_banner(*head.cluster, now);
  if (const auto& push = head.push) {
    page += "<p id=\"websub\">WebSub hub at /websub: " + std::to_string(push->deliveries) +
            " deliveries, " + std::to_string(push->failures) + " failed tries, " +
            std::to_string(push->dropped) + " subscriptions dropped since start.</p>\n";
  }
  page += search_form(query);
  page += "<p>" +
          (query.search.empty()
               ? std::string("All feeds")
               : std::to_string(shown.size()) +
                     (shown.size() == 1 ? " feed matches \u201C" : " feeds match \u201C") +
                     html_escape(query.search) + "\u201D") +
          (shown.empty() ? std::string(".")
                         : ", failing first: " + std::to_string(first + 1) + "\xE2\x80\x93" +
                               std::to_string(last) + " of " + std::to_string(shown.size()) + ".") +
          "</p>\n";
  page += pager(query, pages);
  page +=
      "<table>\n<thead><tr><th>Feed</th><th>Source</th><th>Items</th><th>New items, 30 days</th>"
      "<th>Last poll</th><th>Outcome</th><th>Last success</th><th>Last error</th>"
      "<th>Next poll</th><th>Poll time</th>";
  if (head.cluster) page += "<th>Polled by</th>";
  if (head.push) page += "<th>Push subscribers</th>";
  page += "<th>Formats</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = first; i < last; ++i) page += feed_row(*shown[i], now, head);
  page += "</tbody>\n</table>\n" + pager(query, pages) + "</body>\n</html>\n";
  return page;
}

}  // namespace fg::render
