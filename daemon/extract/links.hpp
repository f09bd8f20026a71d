#pragma once
// Article links on a list (channel) page.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "extract/list_discovery.hpp"
#include "parse/dom.hpp"

namespace fg::extract {

struct ArticleLink {
  std::string url;   // absolute, no fragment
  std::string text;  // the link's text, whitespace collapsed
};

struct LinkRules {
  std::string selector;      // CSS selector for <a> elements (or containers of them); empty = found
                             // automatically (list_discovery.hpp)
  std::string link_pattern;  // ECMAScript regex the absolute URL must match (search); empty = any
};

// Finds article links: selected, resolved against page_url (and <base href>), http/https/file
// only, filtered by the pattern, de-duplicated, in page order. Errc::parse for a bad selector or
// regex.
Result<std::vector<ArticleLink>> find_links(parse::Document& page, const std::string& page_url,
                                            const LinkRules& rules);

// How automatic discovery sees the page: every group of links with its score and verdict.
ListDiscovery explain_links(parse::Document& page, const std::string& page_url);

}  // namespace fg::extract
