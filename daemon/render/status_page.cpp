// The human status page at "/": self-contained HTML5 (no scripts, no external assets).
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "render/feed_common.hpp"
#include "render/render.hpp"
#include "render/status_page_history.hpp"

namespace fg::render {

namespace {

// Escapes text for HTML element content and double- or single-quoted attributes.
std::string html_escape(std::string_view text) {
  return text_as_html(text, true);
}

std::string time_cell(const std::optional<Timestamp>& t) {
  return t ? "<time>" + format_rfc3339(*t) + "</time>" : std::string("\xE2\x80\x94");
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
</style>
</head>
<body>
<h1>feedgate</h1>
)";

constexpr int kHistoryDays = 30;
constexpr std::size_t kDurationPolls = 50;

std::string error_cell(const FeedStatus& s) {
  if (s.last_error.empty()) return "<td>\xE2\x80\x94</td>\n";
  std::string cell = "<td class=\"error\">" + html_escape(s.last_error);
  if (s.last_error_at) cell += " (" + time_cell(s.last_error_at) + ")";
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

std::string feed_row(const FeedStatus& s, Timestamp now) {
  const FeedInfo& f = s.info;
  const std::string base = "/feeds/" + html_escape(f.id);
  const std::string source = html_escape(f.source_url);
  std::string row = "<tr id=\"feed-" + html_escape(f.id) + "\">\n";
  row += "<td><a href=\"" + source + "\">" + html_escape(f.title) + "</a></td>\n";
  row += "<td class=\"url\">" + source + "</td>\n";
  row += "<td class=\"num\">" + std::to_string(s.item_count) + "</td>\n";
  row += items_history_cell(s, now);
  row += "<td>" + time_cell(s.last_poll) + "</td>\n";
  row += "<td>" + outcome_cell(s) + "</td>\n";
  row += "<td>" + time_cell(s.last_success) + "</td>\n";
  row += error_cell(s);
  row += "<td>" + time_cell(s.next_poll) + "</td>\n";
  row += poll_time_cell(s);
  row += "<td><a href=\"" + base + ".rss\">RSS</a> <a href=\"" + base +
         ".atom\">Atom</a> <a href=\"" + base + ".json\">JSON</a></td>\n";
  return row + "</tr>\n";
}

}  // namespace

std::string render_status_page(const std::vector<FeedStatus>& feeds, Timestamp now) {
  std::string page(page_head);
  page += "<p>" + std::to_string(feeds.size()) + " feeds, as of <time>" + format_rfc3339(now) +
          "</time>. <a href=\"/feeds.opml\">All feeds as OPML</a></p>\n";
  page +=
      "<table>\n<thead><tr><th>Feed</th><th>Source</th><th>Items</th><th>New items, 30 days</th>"
      "<th>Last poll</th><th>Outcome</th><th>Last success</th><th>Last error</th>"
      "<th>Next poll</th><th>Poll time</th><th>Formats</th></tr></thead>\n<tbody>\n";
  for (const FeedStatus& s : feeds) page += feed_row(s, now);
  page += "</tbody>\n</table>\n</body>\n</html>\n";
  return page;
}

}  // namespace fg::render
