// Choosing the body container when no selector names it.

#include <algorithm>
#include <array>
#include <cmath>

#include "core/text.hpp"
#include "extract/article_parts.hpp"

namespace fg::extract::detail {

namespace {

using parse::Node;

bool is_inline_text(const Node& n) {
  static constexpr std::array<std::string_view, 9> kInline = {
      "span", "font", "strong", "b", "em", "i", "u", "blockquote", "center"};
  for (std::string_view tag : kInline) {
    if (n.is_element(tag)) return true;
  }
  return false;
}

// A <div> without block children is how some portals write a paragraph.
bool is_leaf_div(const Node& n) {
  if (!n.is_element("div")) return false;
  for (const Node* c : n.children) {
    if (is_block(*c)) return false;
  }
  return true;
}

// Text a child contributes as a paragraph: link text counts against it twice, since link lists
// (related stories, navigation) are what the body must win against.
long paragraph_score(Node& child) {
  if (child.is_text()) return static_cast<long>(char_count(collapse_whitespace(child.text)));
  if (!child.is_element("p") && !is_inline_text(child) && !is_leaf_div(child)) return 0;
  const long text = static_cast<long>(char_count(node_text(child)));
  const long links = static_cast<long>(link_char_count(child));
  return std::max(0L, text - 2 * links);
}

// True when `word` starts a token of the lower-cased class/id text ("hot" in "hot-news", not in
// "photo").
bool has_token_prefix(std::string_view hints, std::string_view word) {
  for (std::size_t at = hints.find(word); at != std::string_view::npos;
       at = hints.find(word, at + 1)) {
    if (at == 0 || !(hints[at - 1] >= 'a' && hints[at - 1] <= 'z')) return true;
  }
  return false;
}

double hint_factor(const Node& n) {
  const std::string hints =
      ascii_lower(std::string(n.attr("class")) + " " + std::string(n.attr("id")));
  static constexpr std::array<std::string_view, 16> kNegative = {
      "nav",     "footer", "foot",    "related", "relate", "share",     "copyright",  "hot",
      "sidebar", "side",   "comment", "menu",    "banner", "recommend", "breadcrumb", "tuijian"};
  for (std::string_view word : kNegative) {
    if (has_token_prefix(hints, word)) return 0.2;
  }
  static constexpr std::array<std::string_view, 8> kPositive = {
      "content", "article", "zoom", "trs_editor", "main", "text", "detail", "body"};
  for (std::string_view word : kPositive) {
    if (hints.find(word) != std::string::npos) return 1.5;
  }
  return 1.0;
}

bool is_candidate(const Node& n) {
  return n.is_element("div") || n.is_element("article") || n.is_element("section") ||
         n.is_element("td") || n.is_element("main");
}

constexpr std::size_t kExplained = 5;

// "div#main.content" — how --explain names a block.
std::string describe(const Node& n) {
  std::string out = n.tag;
  if (n.has_attr("id")) out += "#" + std::string(n.attr("id"));
  const std::string cls = collapse_whitespace(n.attr("class"));
  if (!cls.empty()) out += "." + cls;
  for (char& c : out) {
    if (c == ' ') c = '.';
  }
  return out;
}

}  // namespace

Node* best_scoring_block(Node& body, std::vector<std::string>* explain) {
  struct Scored {
    Node* node;
    double score;
  };
  std::vector<Scored> top;  // best first, at most kExplained
  parse::walk(body, [&](Node& n) {
    if (!is_candidate(n)) return true;
    long text = 0;
    for (Node* child : n.children) text += paragraph_score(*child);
    const double score = static_cast<double>(text) * hint_factor(n);
    if (score <= 0) return true;
    auto at =
        std::find_if(top.begin(), top.end(), [&](const Scored& s) { return score > s.score; });
    if (at != top.end() || top.size() < kExplained) top.insert(at, Scored{&n, score});
    if (top.size() > kExplained) top.pop_back();
    return true;
  });
  if (explain != nullptr) {
    for (const Scored& s : top)
      explain->push_back("body candidate " + describe(*s.node) + " score " +
                         std::to_string(std::lround(s.score)));
  }
  return top.empty() ? nullptr : top.front().node;
}

}  // namespace fg::extract::detail
