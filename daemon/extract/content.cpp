// Choosing the body container when no selector names it.

#include <algorithm>
#include <array>
#include <cmath>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/lexicon.hpp"

namespace fg::extract::detail {

namespace {

using parse::Node;
namespace lx = lexicon;

bool is_inline_text(const Node& n) {
  for (std::string_view tag : lx::kInlineTextTags) {
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

// Sentence punctuation, CJK and ASCII: prose has it, keyword lists and menus hardly do.
std::size_t punctuation_count(std::string_view t) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (lx::kAsciiPunctuation.find(c) != std::string_view::npos) ++n;
    if (static_cast<unsigned char>(c) != 0xE3 && static_cast<unsigned char>(c) != 0xEF) continue;
    for (std::string_view p : lx::kCjkPunctuation) {
      if (t.substr(i, p.size()) == p) ++n;
    }
  }
  return n;
}

// Prose keeps its length; text with less than one punctuation mark in kProseSpan characters
// (SEO keyword blocks, tag clouds) counts for proportionally less, a line with none for at most
// kUnpunctuated (a caption, a heading).
long prose_weighted(std::string_view t) {
  const std::size_t chars = char_count(t);
  const std::size_t allowed = punctuation_count(t) * lx::kProseSpan + lx::kUnpunctuated;
  return static_cast<long>(chars <= allowed ? chars : allowed);
}

bool has_block_inside(Node& n) {
  bool found = false;
  parse::walk(n, [&](Node& d) {
    found = found || (&d != &n && is_block(d));
    return !found;
  });
  return found;
}

// Link text counts against a paragraph twice, since link lists (related stories, navigation) are
// what the body must win against.
long text_score(Node& n) {
  const std::string t = node_text(n);
  const long links = static_cast<long>(link_char_count(n));
  return std::max(0L, prose_weighted(t) - lx::kLinkPenalty * links);
}

// Text a child contributes as a paragraph.
long paragraph_score(Node& child) {
  if (child.is_text()) return prose_weighted(collapse_whitespace(child.text));
  // A <span> or <font> around whole blocks (a comment list, a page's layout) is no paragraph:
  // what counts is the paragraphs it wraps, as if it were not there. (<center> and <blockquote>
  // around a figure's caption or a quote stay one paragraph.)
  if (is_inline_text(child) && !is_block(child) && lx::rule_on("body.transparent_wrappers") &&
      has_block_inside(child)) {
    long wrapped = 0;
    for (Node* c : child.children) wrapped += paragraph_score(*c);
    return wrapped;
  }
  if (!child.is_element("p") && !child.is_element("pre") && !is_inline_text(child) &&
      !is_leaf_div(child)) {
    return 0;
  }
  return text_score(child);
}

double hint_factor(const Node& n) {
  if (!lx::rule_on("body.hints")) return 1.0;
  const lx::ClassHints hints = lx::class_hints(n);
  if (hints.has(lx::kBodyNegative)) return lx::kNegativeHintFactor;
  if (hints.has(lx::kBodyPositive)) return lx::kPositiveHintFactor;
  return 1.0;
}

// True when an element around `n` (up to <body>) names a comment section: a block inside one is
// a comment even when its own class names nothing ("format_text" for the post and for every
// comment). Only comments: layout wrappers named "content-sidebar-wrap" or "nav-single" hold
// articles.
bool in_hinted_section(const Node& n) {
  if (!lx::rule_on("body.comment_section")) return false;
  for (const Node* a = n.parent; a != nullptr && !a->is_element("body"); a = a->parent) {
    if (a->is_element() && lx::class_hints(*a).has(lx::kCommentSection)) return true;
  }
  return false;
}

bool is_candidate(const Node& n) {
  for (std::string_view tag : lx::kBodyCandidateTags) {
    if (n.is_element(tag)) return true;
  }
  return false;
}

constexpr std::size_t kExplained = 5;

// "div#main.content" — how --explain names a block.
std::string describe(const Node& n) {
  std::string out = n.tag;
  if (n.has_attr("id")) out.append("#").append(n.attr("id"));
  const std::string cls = collapse_whitespace(n.attr("class"));
  if (!cls.empty()) out += "." + cls;
  for (char& c : out) {
    if (c == ' ') c = '.';
  }
  return out;
}

}  // namespace

namespace {

struct Scored {
  Node* node;
  double score;
};

bool is_list(const Node& n) {
  return n.is_element("ul") || n.is_element("ol");
}

// An item cut short with an ellipsis is a teaser of another page (recent comments, related
// stories with excerpts), not the article's text.
bool is_teaser(const std::string& text) {
  for (std::string_view cut : lx::kExcerptCuts) {
    if (text.find(cut) != std::string::npos) return true;
  }
  return false;
}

// A list whose items are sentences (a round-up of links with comments on each, a list of
// findings): its plain items' text.
long list_score(Node& list) {
  long items = 0;
  for (Node* c : list.children) {
    if (!c->is_element("li") || has_block_inside(*c) || is_teaser(node_text(*c))) continue;
    items += text_score(*c);
  }
  return items;
}

// A block's paragraph text. Its lists count only beside a paragraph of its own: an article goes
// on in a list, while a sidebar of teasers with excerpts is lists alone.
double block_score(Node& n) {
  long text = 0;
  long lists = 0;
  for (Node* child : n.children) {
    if (is_list(*child)) {
      if (lx::rule_on("body.prose_lists")) lists += list_score(*child);
    } else {
      text += paragraph_score(*child);
    }
  }
  return static_cast<double>(text > 0 ? text + lists : 0) * hint_factor(n);
}

bool same_kind(const Node& a, const Node& b) {
  return a.tag == b.tag && a.attr("class") == b.attr("class");
}

// A body split over sibling blocks of one kind (one <div class="text"> per section): when the
// winner's like siblings add at least kSiblingShare of its score, their parent is the body, with
// the parent's link lists and hinted-away blocks taken out.
Node* merge_siblings(Node* best, double best_score, const std::vector<Scored>& scored) {
  Node* parent = best->parent;
  if (parent == nullptr || parent->is_element("body") || parent->is_element("html")) return best;
  double siblings = 0;
  for (const Scored& s : scored) {
    if (s.node != best && s.node->parent == parent && same_kind(*s.node, *best)) {
      siblings += s.score;
    }
  }
  if (siblings < lx::kSiblingShare * best_score) return best;
  const std::vector<Node*> children = parent->children;
  for (Node* c : children) {
    if (!c->is_element() || same_kind(*c, *best)) continue;
    const std::size_t chars = char_count(node_text(*c));
    const bool links = chars > 0 && 2 * link_char_count(*c) >= chars;
    if (links || hint_factor(*c) < 1.0) c->detach();
  }
  return parent;
}

bool is_inside(const Node* n, const Node* ancestor) {
  for (; n != nullptr; n = n->parent) {
    if (n == ancestor) return true;
  }
  return false;
}

// Blocks of the winner's kind with some prose, in document order, under different parents
// and not nested: a blog archive's posts, or the sections of one long article. Empty when
// they are sibling blocks of one body (merge_siblings' case) or nested.
std::vector<Node*> spread_blocks(Node* best, const std::vector<Scored>& scored) {
  std::vector<Node*> blocks;
  if (best->attr("class").empty()) return blocks;
  const bool best_in_section = in_hinted_section(*best);
  for (const Scored& s : scored) {  // document order
    if (s.score < lx::kSpreadBlockMinScore || !same_kind(*s.node, *best)) continue;
    if (!best_in_section && s.node != best && in_hinted_section(*s.node)) continue;
    if (!blocks.empty() &&
        (s.node->parent == blocks.back()->parent || is_inside(s.node, blocks.back()))) {
      return {};
    }
    blocks.push_back(s.node);
  }
  return blocks;
}

// Posts carry their own date: one stands between every two of them.
bool dated_apart(const std::vector<Node*>& blocks) {
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    std::string between;
    for (const std::string& line : lines_after(*blocks[i], blocks[i + 1], lx::kBetweenPostsChars)) {
      between += line + "\n";
    }
    if (!find_date(between, "UTC")) return false;
  }
  return true;
}

// The sections of one article spread over several parents: their nearest common ancestor,
// with the link lists and hinted-away blocks outside the sections taken out.
Node* merge_sections(const std::vector<Node*>& blocks) {
  Node* common = blocks.front()->parent;
  while (common != nullptr && !std::all_of(blocks.begin(), blocks.end(),
                                           [&](const Node* b) { return is_inside(b, common); })) {
    common = common->parent;
  }
  if (common == nullptr || common->is_element("body") || common->is_element("html")) {
    return blocks.front();
  }
  std::vector<Node*> doomed;
  parse::walk(*common, [&](Node& n) {
    if (!n.is_element() || &n == common) return true;
    if (std::any_of(blocks.begin(), blocks.end(), [&](const Node* b) { return &n == b; })) {
      return false;
    }
    const bool holds =
        std::any_of(blocks.begin(), blocks.end(), [&](const Node* b) { return is_inside(b, &n); });
    if (holds) return true;
    const std::size_t chars = char_count(node_text(n));
    const bool links = chars > 0 && 2 * link_char_count(n) >= chars;
    if (links || hint_factor(n) < 1.0) doomed.push_back(&n);
    return false;
  });
  for (Node* n : doomed) n->detach();
  return common;
}

struct Spread {
  Node* chosen;
  std::string why;
};

// Several blocks of the winner's kind: the first post of a dated archive, else the sections of
// one article together.
Spread over_spread_blocks(Node* best, const std::vector<Scored>& scored) {
  const std::vector<Node*> blocks = spread_blocks(best, scored);
  if (blocks.size() < 2) return {best, {}};
  if (blocks.size() >= lx::kMinPosts && dated_apart(blocks)) {
    return {blocks.front(), "the first of several dated posts"};
  }
  Node* merged = merge_sections(blocks);
  return {merged, merged == best ? std::string() : "sections of one article merged"};
}

// A winner hinted away (comments, sidebar) gives way to the best plainly named block with some
// prose of its own: the page's text is short, its comments long.
Scored unhinted_winner(const Scored& best, const std::vector<Scored>& scored) {
  if (hint_factor(*best.node) >= 1.0 && !in_hinted_section(*best.node)) return best;
  Scored out = best;
  for (const Scored& s : scored) {
    if (hint_factor(*s.node) < 1.0 || s.score < lx::kUnhintedMinScore ||
        s.score < lx::kUnhintedMinShare * best.score || in_hinted_section(*s.node)) {
      continue;
    }
    if (out.node == best.node || s.score > out.score) out = s;
  }
  return out;
}

// Comment sections inside the chosen body (a blog theme's post and its comments in one
// container): readers' text, not the article's. Kept when taking them would leave no prose.
std::size_t prune_comment_sections(Node& chosen) {
  if (!lx::rule_on("body.inner_comments") || in_hinted_section(chosen) ||
      lx::class_hints(chosen).has(lx::kCommentSection)) {
    return 0;
  }
  std::vector<Node*> doomed;
  std::size_t doomed_chars = 0;
  parse::walk(chosen, [&](Node& n) {
    if (&n == &chosen || !n.is_element()) return true;
    if (!lx::class_hints(n).has(lx::kCommentSection)) return true;
    doomed.push_back(&n);
    doomed_chars += char_count(node_text(n));
    return false;
  });
  if (doomed.empty()) return 0;
  const std::size_t total = char_count(node_text(chosen));
  if (total < doomed_chars + lx::kPrunedBodyMinChars) return 0;
  for (Node* n : doomed) n->detach();
  return doomed.size();
}

}  // namespace

Node* best_scoring_block(Node& body, std::vector<std::string>* explain) {
  std::vector<Scored> scored;
  parse::walk(body, [&](Node& n) {
    if (!is_candidate(n)) return true;
    const double score = block_score(n);
    if (score > 0) scored.push_back({&n, score});
    return true;
  });
  if (scored.empty()) {  // text straight in <body> or a <pre>
    if (const double own = block_score(body); own > 0) scored.push_back({&body, own});
  }
  std::vector<Scored> top = scored;  // best first, at most kExplained
  const auto by_score = [](const Scored& a, const Scored& b) { return a.score > b.score; };
  const std::size_t keep = std::min(top.size(), kExplained);
  std::partial_sort(top.begin(), top.begin() + static_cast<long>(keep), top.end(), by_score);
  top.resize(keep);
  if (top.empty()) return nullptr;
  const Scored winner =
      lx::rule_on("body.unhinted_winner") ? unhinted_winner(top.front(), scored) : top.front();
  const Spread spread = lx::rule_on("body.spread_blocks") ? over_spread_blocks(winner.node, scored)
                                                          : Spread{winner.node, {}};
  Node* chosen = spread.chosen != winner.node ? spread.chosen
                 : lx::rule_on("body.merge_siblings")
                     ? merge_siblings(winner.node, winner.score, scored)
                     : winner.node;
  const std::size_t pruned = prune_comment_sections(*chosen);
  if (explain != nullptr) {
    for (const Scored& s : top)
      explain->push_back("body candidate " + describe(*s.node) + " score " +
                         std::to_string(std::lround(s.score)));
    if (winner.node != top.front().node) {
      explain->push_back("body: the top block is hinted away; took " + describe(*winner.node) +
                         " [body.unhinted_winner]");
    }
    if (spread.chosen != winner.node) {
      explain->push_back("body: " + spread.why + ", " + describe(*chosen) +
                         " [body.spread_blocks]");
    } else if (chosen != winner.node) {
      explain->push_back("body: merged the winner's like siblings into " + describe(*chosen) +
                         " [body.merge_siblings]");
    }
    if (pruned > 0) {
      explain->push_back("body: took out " + std::to_string(pruned) +
                         " comment section(s) inside it [body.inner_comments]");
    }
  }
  return chosen;
}

}  // namespace fg::extract::detail
