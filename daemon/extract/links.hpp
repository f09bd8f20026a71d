#pragma once
// Article links on a list (channel) page.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "extract/list_discovery.hpp"
#include "parse/dom.hpp"

namespace fg::extract {

struct ArticleLink {
  std::string url;   // absolute, no fragment
  std::string text;  // the link's text, whitespace collapsed
  // The date its row shows beside it ("2020-01-29", "01-29 14:30", "3小时前"); none when none.
  std::optional<PublishedTime> date;
  std::string date_text;  // the row's text the date was read from, for --explain
};

struct LinkRules {
  std::string selector;      // CSS selector for <a> elements (or containers of them); empty = found
                             // automatically (list_discovery.hpp)
  std::string link_pattern;  // ECMAScript regex the absolute URL must match (search); empty = any
  std::string timezone = "Asia/Shanghai";  // of the dates beside the links
};

// Finds article links: selected, resolved against page_url (and <base href>), http/https/file
// only, filtered by the pattern, de-duplicated, in page order, each with the date beside it read
// against `fetched`, when the list page was read (find_list_date). Errc::parse for a bad
// selector or regex.
Result<std::vector<ArticleLink>> find_links(parse::Document& page, const std::string& page_url,
                                            const LinkRules& rules, Timestamp fetched);

// The date a list page shows beside a link, in the zone (IANA name): a full date, a relative one
// ("3小时前", "昨天 14:30", read against `fetched`), a date without its year with or without a
// time ("01-29 14:30", "01-29"; the year that keeps it from being more than a day after
// `fetched`); never later than `fetched`. nullopt when the text has none.
std::optional<PublishedTime> find_list_date(std::string_view text, std::string_view zone,
                                            Timestamp fetched);

// How automatic discovery sees the page: every group of links with its score and verdict.
ListDiscovery explain_links(parse::Document& page, const std::string& page_url);

}  // namespace fg::extract
