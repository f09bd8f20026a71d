#include "app/list_explain.hpp"

#include <cstdio>

#include "app/common.hpp"
#include "extract/links.hpp"
#include "parse/dom.hpp"
#include "pipeline/page.hpp"

namespace fg::app {

namespace {

const char* verdict_name(extract::GroupVerdict v) {
  switch (v) {
    case extract::GroupVerdict::chosen:
      return "CHOSEN";
    case extract::GroupVerdict::merged:
      return "MERGED";
    case extract::GroupVerdict::rejected:
      break;
  }
  return "rejected";
}

void print_group(const extract::LinkGroupReport& g) {
  std::printf("%7.2f %5d %5d %5.1f %4.0f%% %4.0f%% %4.0f%%  %-8s %s\n", g.score, g.links,
              g.story_links, g.mean_units, 100 * g.date_share, 100 * g.article_share,
              100 * g.nav_share, verdict_name(g.verdict), g.reason.c_str());
  std::printf("        path:  %s\n", g.path.c_str());
  if (!g.shape.empty()) std::printf("        shape: %s\n", g.shape.c_str());
  if (!g.example.empty()) std::printf("        e.g.:  %s\n", g.example.c_str());
}

}  // namespace

int print_list_explanation(std::string_view bytes, std::string_view content_type,
                           const std::string& url, const config::FeedConfig& feed,
                           Timestamp fetched) {
  auto parsed = pipeline::decode_and_parse(bytes, content_type, url, feed);
  if (!parsed) {
    std::fprintf(stderr, "feedgate extract: %s\n", parsed.error().describe().c_str());
    return kExitFailure;
  }
  parse::Document& page = *parsed;
  const extract::ListDiscovery found = extract::explain_links(page, url);
  std::printf("list discovery on %s: %zu link groups\n", url.c_str(), found.groups.size());
  if (!feed.links.empty())
    std::printf("(the feed's links: \"%s\" is used instead; discovery shown for comparison)\n",
                feed.links.c_str());
  std::printf("  score links story   len dated  art%%  nav%%  verdict  reason\n");
  for (const auto& g : found.groups) print_group(g);
  auto links =
      extract::find_links(page, url, {feed.links, feed.link_pattern, feed.timezone}, fetched);
  if (!links) {
    std::fprintf(stderr, "feedgate extract: %s\n", links.error().describe().c_str());
    return kExitFailure;
  }
  std::printf("\n%zu article links (dates beside them read against %s, in %s):\n", links->size(),
              format_rfc3339(fetched).c_str(), feed.timezone.c_str());
  for (const auto& link : *links) {
    std::printf("  %s  %s\n", link.url.c_str(), link.text.c_str());
    if (!link.date) continue;
    std::string row = link.date_text;
    for (char& c : row) c = c == '\n' ? ' ' : c;
    std::printf("      date: %s (%s) from \"%s\"\n", format_rfc3339(*link.date).c_str(),
                std::string(precision_name(link.date->precision)).c_str(), row.c_str());
  }
  return kExitOk;
}

}  // namespace fg::app
