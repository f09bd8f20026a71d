#include "extract/list_groups.hpp"

#include <algorithm>
#include <array>
#include <sstream>

#include "core/text.hpp"

namespace fg::extract::list {

namespace {

using parse::Node;

bool is_top(const Node* n) {
  return n == nullptr || n->parent == nullptr || n->is_element("body");
}

std::string digits_as_hash(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit) {
      out += c;
    } else if (out.empty() || out.back() != '#') {
      out += '#';
    }
  }
  return out;
}

// Classes that mark a row's state rather than what it is (odd/even stripes, the current tab).
bool is_state_class(std::string_view c) {
  static constexpr std::array<std::string_view, 16> kState = {
      "odd",    "even",     "alt",   "first",    "last", "on",  "cur", "current",
      "active", "selected", "hover", "clearfix", "cf",   "new", "bg#", "line"};
  return std::find(kState.begin(), kState.end(), c) != kState.end();
}

// The row a link stands in: its highest ancestor (up to 4 levels) holding at most 3 links.
const Node* row_of(const Node* anchor, const AnchorCounts& counts) {
  const Node* row = anchor;
  for (int level = 0; level < 4 && !is_top(row->parent); ++level) {
    auto it = counts.find(row->parent);
    if (it == counts.end() || it->second > 3) break;
    row = row->parent;
  }
  return row;
}

bool has_date_beside(const Node* anchor, const AnchorCounts& counts) {
  const Node* row = row_of(anchor, counts);
  if (row == anchor) return false;
  std::string text = row->text_content();
  const std::string own = anchor->text_content();
  if (!own.empty()) {
    const std::size_t at = text.find(own);
    if (at != std::string::npos) text.erase(at, own.size());
  }
  return contains_date(text);
}

}  // namespace

std::vector<std::string> texts_beside(const Node* anchor, const AnchorCounts& counts) {
  const Node* row = row_of(anchor, counts);
  std::vector<std::string> out;
  for (const Node* level = anchor; level != row;) {
    level = level->parent;
    std::string texts;
    parse::walk(const_cast<Node&>(*level), [&](Node& n) {
      if (&n == anchor || n.is_element("script") || n.is_element("style")) return false;
      if (n.is_text()) {
        const std::string text = collapse_whitespace(n.text_content());
        if (!text.empty()) texts += (texts.empty() ? "" : "\n") + text;
      }
      return true;
    });
    out.push_back(std::move(texts));
  }
  return out;
}

namespace {

// A short heading just before `node` (two element siblings back) that names a sidebar list.
std::string sidebar_heading_before(const Node* node) {
  if (node->parent == nullptr) return "";
  const auto& siblings = node->parent->children;
  auto it = std::find(siblings.begin(), siblings.end(), node);
  int looked = 0;
  while (it != siblings.begin() && looked < 2) {
    --it;
    if (!(*it)->is_element()) continue;
    ++looked;
    const std::string text = collapse_whitespace((*it)->text_content());
    if (headline_units(text) <= 14 && is_sidebar_heading(text)) return text;
  }
  return "";
}

// The lowest element containing every member, and its child on the way to the first member.
std::pair<const Node*, const Node*> common_ancestor(const Group& g,
                                                    const std::vector<LinkCandidate>& candidates,
                                                    const AnchorCounts& counts) {
  const Node* first = candidates[g.members.front()].anchor;
  std::vector<const Node*> chain;  // first member up to the root
  for (const Node* n = first; n != nullptr; n = n->parent) chain.push_back(n);
  std::size_t top = 0;  // index in chain of the common ancestor so far
  for (std::size_t i : g.members) {
    for (const Node* n = candidates[i].anchor; n != nullptr; n = n->parent) {
      auto it = std::find(chain.begin() + static_cast<std::ptrdiff_t>(top), chain.end(), n);
      if (it != chain.end()) {
        top = static_cast<std::size_t>(it - chain.begin());
        break;
      }
    }
  }
  if (g.members.size() == 1) {  // a lone link: look around its row instead
    const Node* row = row_of(first, counts);
    return {row, nullptr};
  }
  return {chain[top], top > 0 ? chain[top - 1] : nullptr};
}

}  // namespace

AnchorCounts count_anchors(const std::vector<LinkCandidate>& candidates) {
  AnchorCounts counts;
  for (const auto& c : candidates) {
    for (const Node* n = c.anchor; n != nullptr; n = n->parent) ++counts[n];
  }
  return counts;
}

std::vector<LinkFacts> link_facts(const std::vector<LinkCandidate>& candidates,
                                  const std::string& page_url, const AnchorCounts& counts) {
  const std::string page_host = split_url(page_url).host;
  std::vector<LinkFacts> facts;
  facts.reserve(candidates.size());
  for (const auto& c : candidates) {
    const UrlParts url = split_url(c.url);
    LinkFacts f;
    f.shape = url_shape(url);
    f.units = headline_units(c.text);
    f.article = is_article_url(url);
    f.offsite = !same_site(page_host, url.host);
    f.dated = has_date_beside(c.anchor, counts);
    const bool nav = is_channel_url(url) || is_more_text(c.text) || (!f.article && f.units < 6);
    f.story = !f.offsite && !nav && !is_pagination(c.text, url);
    facts.push_back(std::move(f));
  }
  return facts;
}

std::string element_label(const Node& element) {
  std::string label = element.tag;
  std::vector<std::string> classes;
  std::istringstream words{std::string(element.attr("class"))};
  for (std::string c; words >> c;) {
    c = digits_as_hash(ascii_lower(c));
    if (!is_state_class(c)) classes.push_back(std::move(c));
  }
  std::sort(classes.begin(), classes.end());
  for (const auto& c : classes) label += "." + c;
  if (element.has_attr("id")) label += "#" + digits_as_hash(element.attr("id"));
  return label;
}

std::vector<Group> group_by_path(const std::vector<LinkCandidate>& candidates) {
  std::unordered_map<const Node*, std::string> labels;
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Group> groups;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    std::vector<const std::string*> parts;
    for (const Node* n = candidates[i].anchor; !is_top(n); n = n->parent) {
      auto [it, fresh] = labels.try_emplace(n);
      if (fresh) it->second = element_label(*n);
      parts.push_back(&it->second);
    }
    std::string path;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
      path += (path.empty() ? "" : ">") + **it;
    auto [slot, fresh] = index.try_emplace(path, groups.size());
    if (fresh) {
      groups.emplace_back();
      groups.back().report.path = path;
    }
    groups[slot->second].members.push_back(i);
  }
  return groups;
}

void read_context(Group& g, const std::vector<LinkCandidate>& candidates,
                  const AnchorCounts& counts) {
  for (const Node* n = candidates[g.members.front()].anchor; !is_top(n); n = n->parent) {
    const bool tag_hint =
        n->tag == "nav" || n->tag == "footer" || n->tag == "aside" || n->tag == "header";
    if (g.negative_hint.empty() && tag_hint) g.negative_hint = "<" + n->tag + ">";
    for (std::string_view attr : {"class", "id"}) {
      const std::string_view value = n->attr(attr);
      if (g.negative_hint.empty() && has_word(value, is_negative_word))
        g.negative_hint = std::string(attr) + "=\"" + std::string(value) + "\"";
      g.positive_hint = g.positive_hint || has_word(value, is_positive_word);
    }
  }
  auto [lca, first_child] = common_ancestor(g, candidates, counts);
  if (first_child != nullptr) g.sidebar_heading = sidebar_heading_before(first_child);
  for (int level = 0; level < 3 && g.sidebar_heading.empty() && !is_top(lca); ++level) {
    g.sidebar_heading = sidebar_heading_before(lca);
    lca = lca->parent;
  }
}

}  // namespace fg::extract::list
