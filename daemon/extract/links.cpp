#include "extract/links.hpp"

#include <regex>
#include <unordered_map>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/dates.hpp"
#include "extract/list_groups.hpp"
#include "parse/selector.hpp"

namespace fg::extract {

namespace {

using parse::Node;

// The URL relative links resolve against: <base href> (itself relative to the page) or the page.
std::string base_url(parse::Document& page, const std::string& page_url) {
  std::optional<std::string> base;
  parse::walk(*page.root(), [&](Node& n) {
    if (!base && n.is_element("base") && n.has_attr("href")) {
      base = resolve_url(page_url, n.attr("href"));  // the first <base href> counts, as in HTML
      if (!base) base = page_url;
    }
    return !base;  // stop descending once found
  });
  return base.value_or(page_url);
}

// The <a href> elements a selector match stands for: itself, or the links inside it.
void collect_anchors(Node& match, std::vector<Node*>& out) {
  if (match.is_element("a")) {
    if (match.has_attr("href")) out.push_back(&match);
    return;
  }
  parse::walk(match, [&](Node& n) {
    if (n.is_element("a") && n.has_attr("href")) out.push_back(&n);
    return true;
  });
}

// Visible text of a link; an image link falls back to its title or the image's alt text.
std::string link_text(Node& a) {
  std::string text = collapse_whitespace(a.text_content());
  if (!text.empty()) return text;
  text = collapse_whitespace(a.attr("title"));
  if (!text.empty()) return text;
  parse::walk(a, [&](Node& n) {
    if (text.empty() && n.is_element("img")) text = collapse_whitespace(n.attr("alt"));
    return text.empty();
  });
  return text;
}

// resolve_url turns "" and "#frag" into the base's directory; RFC 3986 says the base itself.
std::optional<std::string> resolve_link(const std::string& base, std::string_view href) {
  const std::string_view ref = trim(href);
  if (ref.empty() || ref.front() == '#') return resolve_url(base, base);
  return resolve_url(base, ref);
}

Result<std::vector<Node*>> select_anchors(parse::Document& page, const std::string& selector) {
  std::vector<Node*> anchors;
  if (selector.empty()) {
    Node* scope = page.body() != nullptr ? page.body() : page.root();
    collect_anchors(*scope, anchors);
    return anchors;
  }
  auto compiled = parse::Selector::compile(selector);
  if (!compiled) {
    return make_error(Errc::parse, "bad link selector \"" + selector + "\": " +
                                       compiled.error().message + "; fix the feed's list selector");
  }
  for (Node* match : compiled->select_all(*page.root())) collect_anchors(*match, anchors);
  return anchors;
}

// The anchors as resolved links: not the page itself, http/https/file only.
std::vector<LinkCandidate> resolve_anchors(parse::Document& page, const std::string& page_url,
                                           const std::vector<Node*>& anchors) {
  const std::string base = base_url(page, page_url);
  const std::string own_url = resolve_url(page_url, page_url).value_or(page_url);
  std::vector<LinkCandidate> out;
  out.reserve(anchors.size());
  for (Node* a : anchors) {
    auto url = resolve_link(base, a->attr("href"));
    if (url && *url != own_url) out.push_back({a, std::move(*url), link_text(*a)});
  }
  return out;
}

std::vector<LinkCandidate> all_links(parse::Document& page, const std::string& page_url) {
  auto anchors = select_anchors(page, "");
  return resolve_anchors(page, page_url, *anchors);
}

}  // namespace

ListDiscovery explain_links(parse::Document& page, const std::string& page_url) {
  return discover_list_links(all_links(page, page_url), page_url);
}

Result<std::vector<ArticleLink>> find_links(parse::Document& page, const std::string& page_url,
                                            const LinkRules& rules, Timestamp fetched) {
  std::optional<std::regex> pattern;
  try {
    if (!rules.link_pattern.empty()) pattern.emplace(rules.link_pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return make_error(Errc::parse, "bad link_pattern \"" + rules.link_pattern + "\": " + e.what() +
                                       "; write an ECMAScript regular expression");
  }
  std::vector<LinkCandidate> candidates;
  list::AnchorCounts counts;  // rows are read among the links the page has, or the selected ones
  if (rules.selector.empty()) {
    std::vector<LinkCandidate> all = all_links(page, page_url);
    counts = list::count_anchors(all);
    for (std::size_t i : discover_list_links(all, page_url).chosen)
      candidates.push_back(std::move(all[i]));
  } else {
    auto anchors = select_anchors(page, rules.selector);
    if (!anchors) return anchors.error();
    candidates = resolve_anchors(page, page_url, *anchors);
    counts = list::count_anchors(candidates);
  }
  std::unordered_map<std::string, std::size_t> seen;  // URL -> index in links
  std::vector<ArticleLink> links;
  try {
    for (auto& c : candidates) {
      if (auto it = seen.find(c.url); it != seen.end()) {
        if (links[it->second].text.empty()) links[it->second].text = std::move(c.text);
        continue;  // an image link's title link fills in its text
      }
      if (pattern && !std::regex_search(c.url, *pattern)) continue;
      seen.emplace(c.url, links.size());
      ArticleLink link{std::move(c.url), std::move(c.text), std::nullopt, {}};
      for (std::string& beside : list::texts_beside(c.anchor, counts)) {
        link.date = find_list_date(beside, rules.timezone, fetched);
        if (!link.date) continue;
        link.date_text = std::move(beside);
        break;
      }
      links.push_back(std::move(link));
    }
  } catch (const std::regex_error& e) {  // e.g. error_complexity on a pathological pattern
    return make_error(Errc::parse, "link_pattern \"" + rules.link_pattern +
                                       "\" failed while matching: " + e.what() +
                                       "; simplify the expression");
  }
  return links;
}

}  // namespace fg::extract
