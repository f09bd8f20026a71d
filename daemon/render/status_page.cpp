// The human status page at "/": self-contained HTML5 (no scripts, no external assets).
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "render/render.hpp"

namespace fg::render {

namespace {

// Escapes text for HTML element content and double- or single-quoted attributes.
std::string html_escape(std::string_view text) {
  const std::string safe = xml_safe_utf8(text);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
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
</style>
</head>
<body>
<h1>feedgate</h1>
)";

std::string feed_row(const FeedStatus& s) {
  const FeedInfo& f = s.info;
  const std::string base = "/feeds/" + html_escape(f.id);
  std::string row = "<tr>\n";
  row +=
      "<td><a href=\"" + html_escape(f.source_url) + "\">" + html_escape(f.title) + "</a></td>\n";
  row += "<td class=\"num\">" + std::to_string(s.item_count) + "</td>\n";
  row += "<td>" + time_cell(s.last_poll) + "</td>\n";
  row += "<td>" + outcome_cell(s) + "</td>\n";
  row += "<td>" + time_cell(s.last_success) + "</td>\n";
  if (s.last_error.empty()) {
    row += "<td>\xE2\x80\x94</td>\n";
  } else {
    row += "<td class=\"error\">" + html_escape(s.last_error);
    if (s.last_error_at) row += " (" + time_cell(s.last_error_at) + ")";
    row += "</td>\n";
  }
  row += "<td>" + time_cell(s.next_poll) + "</td>\n";
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
      "<table>\n<thead><tr><th>Feed</th><th>Items</th><th>Last poll</th><th>Outcome</th><th>Last "
      "success</th>"
      "<th>Last error</th><th>Next poll</th><th>Formats</th></tr></thead>\n<tbody>\n";
  for (const FeedStatus& s : feeds) page += feed_row(s);
  page += "</tbody>\n</table>\n</body>\n</html>\n";
  return page;
}

}  // namespace fg::render
