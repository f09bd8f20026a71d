#pragma once
// Automatic discovery of a channel page's article links, used when a feed has no `links:`
// selector: links are grouped by DOM path, groups scored, navigation/pagination/sidebars rejected.

#include <string>
#include <vector>

#include "parse/dom.hpp"

namespace fg::extract {

// One <a href> of the page, already resolved.
struct LinkCandidate {
  parse::Node* anchor = nullptr;
  std::string url;   // absolute, no fragment
  std::string text;  // visible text (or title/alt), whitespace collapsed
};

enum class GroupVerdict { chosen, merged, rejected };

// A group of links sharing a DOM path, as scored; shown by `feedgate extract --list --explain`.
struct LinkGroupReport {
  std::string path;          // "div.main>ul.list>li>a"
  std::string shape;         // the most common URL shape of its links
  int links = 0;             // distinct URLs
  int story_links = 0;       // distinct URLs that are not navigation, pagination or off-site
  double mean_units = 0;     // mean headline length of story links (CJK characters)
  double date_share = 0;     // share of story links with a date beside them
  double article_share = 0;  // share of story links whose URL looks like an article
  double nav_share = 0;      // share of links that look like navigation or pagination
  double score = 0;
  GroupVerdict verdict = GroupVerdict::rejected;
  std::string reason;   // why chosen, merged or rejected
  std::string example;  // the first story link's text, for reading the report
};

struct ListDiscovery {
  std::vector<LinkGroupReport> groups;  // best score first
  std::vector<std::size_t> chosen;      // indices into the candidates, in page order
};

// Picks the article links among `candidates` (in page order) of a page at page_url.
ListDiscovery discover_list_links(const std::vector<LinkCandidate>& candidates,
                                  const std::string& page_url);

}  // namespace fg::extract
