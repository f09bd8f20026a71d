#include "extract/links.hpp"

#include <regex>
#include <unordered_set>

#include "core/text.hpp"
#include "core/url.hpp"
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

}  // namespace

Result<std::vector<ArticleLink>> find_links(parse::Document& page, const std::string& page_url,
                                            const LinkRules& rules) {
  std::optional<std::regex> pattern;
  try {
    if (!rules.link_pattern.empty()) pattern.emplace(rules.link_pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return make_error(Errc::parse, "bad link_pattern \"" + rules.link_pattern + "\": " + e.what() +
                                       "; write an ECMAScript regular expression");
  }
  auto anchors = select_anchors(page, rules.selector);
  if (!anchors) return anchors.error();

  const std::string base = base_url(page, page_url);
  const std::string own_url = resolve_url(page_url, page_url).value_or(page_url);
  std::unordered_set<std::string> seen;
  std::vector<ArticleLink> links;
  try {
    for (Node* a : *anchors) {
      auto url = resolve_link(base, a->attr("href"));
      if (!url || *url == own_url || seen.count(*url) != 0) continue;
      if (pattern && !std::regex_search(*url, *pattern)) continue;
      seen.insert(*url);
      links.push_back(ArticleLink{*url, link_text(*a)});
    }
  } catch (const std::regex_error& e) {  // e.g. error_complexity on a pathological pattern
    return make_error(Errc::parse, "link_pattern \"" + rules.link_pattern +
                                       "\" failed while matching: " + e.what() +
                                       "; simplify the expression");
  }
  return links;
}

}  // namespace fg::extract
