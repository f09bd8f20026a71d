#include "normalize/tidy.hpp"

#include <string>
#include <string_view>

#include "core/text.hpp"
#include "normalize/html_policy.hpp"
#include "normalize/tree_edit.hpp"

namespace fg::normalize {

namespace {

using parse::Node;

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// HTML whitespace runs shown as one space; U+00A0 and U+3000 are kept (they are deliberate).
std::string collapse_ascii_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (!is_ascii_space(c)) {
      out += c;
    } else if (out.empty() || out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

bool is_blank(std::string_view s) {
  return trim(s).empty();
}

std::string_view trim_start(std::string_view s) {
  const std::string_view t = trim(s);
  return t.empty() ? t : s.substr(static_cast<std::size_t>(t.data() - s.data()));
}

std::string_view trim_end(std::string_view s) {
  const std::string_view t = trim(s);
  return t.empty() ? t : s.substr(0, static_cast<std::size_t>(t.data() - s.data()) + t.size());
}

bool is_el(const Node* n, std::string_view tag) {
  return n->is_element(tag);
}
bool is_block_el(const Node* n) {
  return n->is_element() && is_block(n->tag);
}

// Elements whose edges are the edges of a paragraph-like box.
bool trims_edges(const Node& n) {
  return n.kind == parse::NodeKind::document || n.is_element("li") || n.is_element("td") ||
         n.is_element("th") || (is_block_el(&n) && !n.is_element("pre"));
}

// Descends into inline wrappers, removing leading (or trailing) whitespace and <br>;
// returns true once real content is reached.
bool trim_edge(Node& n, bool leading) {
  while (!n.children.empty()) {
    const std::size_t i = leading ? 0 : n.children.size() - 1;
    Node* c = n.children[i];
    if (c->is_text()) {
      if (is_blank(c->text)) {
        remove_child(n, i);
        continue;
      }
      c->text = std::string(leading ? trim_start(c->text) : trim_end(c->text));
      return true;
    }
    if (is_el(c, "br")) {
      remove_child(n, i);
      continue;
    }
    if (!c->is_element() || is_void(c->tag) || is_block(c->tag) || keeps_when_empty(c->tag)) {
      return true;
    }
    if (trim_edge(*c, leading)) return true;
    remove_child(n, i);  // an inline wrapper left with nothing in it
  }
  return false;
}

// Merges adjacent text nodes (unwrapping leaves them split) and collapses their whitespace.
void merge_text(Node& n, bool in_pre) {
  for (std::size_t i = 0; i < n.children.size();) {
    Node* c = n.children[i];
    if (!c->is_text()) {
      ++i;
      continue;
    }
    while (i + 1 < n.children.size() && n.children[i + 1]->is_text()) {
      c->text += n.children[i + 1]->text;
      remove_child(n, i + 1);
    }
    if (!in_pre) c->text = collapse_ascii_spaces(c->text);
    ++i;
  }
}

// Whitespace between blocks, and around <br>, carries no meaning.
void trim_around_blocks_and_breaks(Node& n) {
  for (std::size_t i = 0; i < n.children.size();) {
    Node* c = n.children[i];
    const Node* prev = i > 0 ? n.children[i - 1] : nullptr;
    const Node* next = i + 1 < n.children.size() ? n.children[i + 1] : nullptr;
    if (!c->is_text()) {
      ++i;
      continue;
    }
    const bool after_break = prev && (is_el(prev, "br") || is_block_el(prev));
    const bool before_break = next && (is_el(next, "br") || is_block_el(next));
    if (after_break) c->text = std::string(trim_start(c->text));
    if (before_break) c->text = std::string(trim_end(c->text));
    if (c->text.empty() || ((after_break || before_break) && is_blank(c->text))) {
      remove_child(n, i);
    } else {
      ++i;
    }
  }
}

// More than two line breaks in a row is layout padding, not structure.
void cap_break_runs(Node& n) {
  int run = 0;
  for (std::size_t i = 0; i < n.children.size();) {
    Node* c = n.children[i];
    if (is_el(c, "br")) {
      if (++run > 2) {
        remove_child(n, i);
        continue;
      }
    } else if (!(c->is_text() && is_blank(c->text))) {
      run = 0;
    }
    ++i;
  }
}

bool is_empty_wrapper(Node& n) {
  if (!n.is_element() || keeps_when_empty(n.tag)) return false;
  bool has_content = false;
  parse::walk(n, [&](Node& d) {
    if (d.is_element() && is_content_without_text(d.tag)) has_content = true;
    return !has_content;
  });
  return !has_content && is_blank(n.text_content());
}

// One bottom-up pass; returns true when it changed anything that may enable another change.
bool tidy_node(Node& n, bool in_pre, int depth) {
  bool changed = false;
  in_pre = in_pre || n.is_element("pre");
  for (std::size_t i = 0; i < n.children.size();) {
    Node* c = n.children[i];
    if (c->is_element() && depth < kMaxDepth) changed |= tidy_node(*c, in_pre, depth + 1);
    if (is_empty_wrapper(*c)) {
      remove_child(n, i);
      changed = true;
    } else {
      ++i;
    }
  }
  const std::size_t before = n.children.size();
  merge_text(n, in_pre);
  if (!in_pre) {
    trim_around_blocks_and_breaks(n);
    cap_break_runs(n);
    if (depth == 0 || trims_edges(n)) {  // the content root is a box of its own
      trim_edge(n, true);
      trim_edge(n, false);
    }
  }
  return changed || n.children.size() != before;
}

}  // namespace

void tidy_tree(parse::Node& root) {
  // Each pass can empty a wrapper that the next pass drops; real markup settles in two or three.
  for (int pass = 0; pass < 8 && tidy_node(root, false, 0); ++pass) {
  }
}

}  // namespace fg::normalize
