// HTML5 fragment serialization (innerHTML / outerHTML), without recursion.

#include <vector>

#include "parse/dom.hpp"
#include "parse/html_names.hpp"

namespace fg::parse {

namespace {

// Appends s with the characters that would change meaning escaped; U+00A0 becomes &nbsp; as the
// HTML5 serializer does, so invisible non-breaking spaces survive a round trip visibly.
void append_escaped(std::string& out, std::string_view s, bool in_attribute) {
  std::size_t run = 0;  // start of the pending unescaped run
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char* rep = nullptr;
    std::size_t len = 1;
    if (c == '&') {
      rep = "&amp;";
    } else if (c == '"' && in_attribute) {
      rep = "&quot;";
    } else if (c == '<' && !in_attribute) {
      rep = "&lt;";
    } else if (c == '>' && !in_attribute) {
      rep = "&gt;";
    } else if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
      rep = "&nbsp;";
      len = 2;
    }
    if (rep == nullptr) continue;
    out.append(s.data() + run, i - run);
    out.append(rep);
    i += len - 1;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
}

void append_start_tag(std::string& out, const Node& n) {
  out += '<';
  out += n.tag;
  for (const Attribute& a : n.attributes) {
    out += ' ';
    out += a.name;
    out += "=\"";
    append_escaped(out, a.value, true);
    out += '"';
  }
  out += '>';
}

struct Step {
  const Node* node;
  bool closing;  // true: write the end tag of an element whose children are done
};

void push_children(std::vector<Step>& stack, const Node& n) {
  for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) stack.push_back({*it, false});
}

void write_node(std::string& out, std::vector<Step>& stack, const Node& n) {
  switch (n.kind) {
    case NodeKind::text:
      if (n.parent != nullptr && n.parent->is_element() && is_raw_text_parent(n.parent->tag)) {
        out += n.text;
      } else {
        append_escaped(out, n.text, false);
      }
      break;
    case NodeKind::comment:
      out += "<!--";
      out += n.text;
      out += "-->";
      break;
    case NodeKind::document:
      push_children(stack, n);
      break;
    case NodeKind::element:
      append_start_tag(out, n);
      if (is_void_element(n.tag)) break;
      stack.push_back({&n, true});
      push_children(stack, n);
      break;
  }
}

std::string serialize(const Node& node, bool include_self) {
  std::string out;
  out.reserve(1024);
  std::vector<Step> stack;
  stack.reserve(64);
  if (include_self) {
    stack.push_back({&node, false});
  } else {
    push_children(stack, node);
  }
  while (!stack.empty()) {
    const Step step = stack.back();
    stack.pop_back();
    if (step.closing) {
      out += "</";
      out += step.node->tag;
      out += '>';
    } else {
      write_node(out, stack, *step.node);
    }
  }
  return out;
}

}  // namespace

std::string inner_html(const Node& node) {
  return serialize(node, false);
}

std::string outer_html(const Node& node) {
  return serialize(node, true);
}

}  // namespace fg::parse
