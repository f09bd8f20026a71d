// Reading text out of the DOM the way a reader sees it: collapsed, and broken into lines.

#include <array>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/lexicon.hpp"
#include "parse/selector.hpp"

namespace fg::extract::detail {

using parse::Node;

std::string node_text(const Node& node) {
  return collapse_whitespace(node.text_content());
}

std::size_t char_count(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool is_block(const Node& node) {
  static constexpr std::array<std::string_view, 30> kBlocks = {
      "address", "article",  "aside",      "blockquote", "center", "dd",   "div", "dl",
      "dt",      "fieldset", "figcaption", "figure",     "footer", "form", "h1",  "h2",
      "h3",      "h4",       "h5",         "h6",         "header", "hr",   "li",  "main",
      "nav",     "ol",       "p",          "section",    "table",  "tr"};
  if (!node.is_element()) return false;
  for (std::string_view tag : kBlocks) {
    if (node.tag == tag) return true;
  }
  return node.tag == "ul" || node.tag == "td" || node.tag == "th" || node.tag == "pre";
}

std::size_t link_char_count(Node& node) {
  std::size_t total = 0;
  parse::walk(node, [&](Node& d) {
    if (d.is_element("a")) {
      total += char_count(node_text(d));
      return false;
    }
    return true;
  });
  return total + (node.is_element("a") ? char_count(node_text(node)) : 0);
}

namespace {

bool hides_text(const Node& n) {
  return n.is_element("script") || n.is_element("style") || n.is_element("template") ||
         n.is_element("noscript") || n.is_element("select");
}

// Collects lines from subtrees handed to it in document order, within a budget.
class LineCollector {
 public:
  LineCollector(const Node* stop, std::size_t max_chars) : stop_(stop), budget_(max_chars) {}

  // Adds the text of `root` and its subtree; false once the stop node or the budget is reached.
  bool add(const Node& root) {
    struct Item {
      const Node* node;
      bool exiting;
    };
    std::vector<Item> stack{{&root, false}};
    while (!stack.empty() && !done_) {
      const Item item = stack.back();
      stack.pop_back();
      const Node& n = *item.node;
      if (item.exiting || n.is_element("br")) {
        flush();
        continue;
      }
      if (&n == stop_) {
        done_ = true;
        break;
      }
      if (n.is_text()) {
        line_ += n.text;
        continue;
      }
      if (!n.is_element() || hides_text(n)) continue;
      if (is_block(n)) {
        flush();
        stack.push_back({&n, true});
      }
      for (auto it = n.children.rbegin(); it != n.children.rend(); ++it)
        stack.push_back({*it, false});
    }
    return !done_;
  }

  std::vector<std::string> finish() {
    flush();
    return std::move(lines_);
  }

 private:
  void flush() {
    std::string line = collapse_whitespace(line_);
    line_.clear();
    if (line.empty()) return;
    const std::size_t n = char_count(line);
    lines_.push_back(std::move(line));
    if (n >= budget_) done_ = true;
    budget_ -= done_ ? budget_ : n;
  }

  const Node* stop_;
  std::size_t budget_;
  bool done_ = false;
  std::string line_;
  std::vector<std::string> lines_;
};

}  // namespace

std::vector<std::string> lines_after(const Node& start, const Node* stop, std::size_t max_chars) {
  LineCollector collector(stop, max_chars);
  for (const Node* n = &start; n->parent != nullptr; n = n->parent) {
    const auto& siblings = n->parent->children;
    bool after = false;
    for (const Node* sibling : siblings) {
      if (after && !collector.add(*sibling)) return collector.finish();
      if (sibling == n) after = true;
    }
  }
  return collector.finish();
}

bool hidden_from_readers(const Node& n) {
  if (!n.is_element() || n.is_element("html") || n.is_element("body")) return false;
  if (n.has_attr("hidden")) return true;
  std::string style = ascii_lower(std::string(n.attr("style")));
  std::erase(style, ' ');
  if (style.find("display:none") != std::string::npos ||
      style.find("visibility:hidden") != std::string::npos) {
    return true;
  }
  return lexicon::class_hints(n).has(lexicon::kHiddenClasses);
}

std::vector<std::string> lines_before(const Node& root, const Node& stop) {
  LineCollector collector(&stop, static_cast<std::size_t>(-1));
  for (const Node* child : root.children) {
    if (!collector.add(*child)) break;
  }
  return collector.finish();
}

std::vector<std::string> lines_within(const Node& node) {
  LineCollector collector(nullptr, static_cast<std::size_t>(-1));
  for (const Node* child : node.children) collector.add(*child);
  return collector.finish();
}

Result<Node*> select_first(parse::Document& page, const std::string& selector,
                           std::string_view field) {
  auto compiled = parse::Selector::compile(selector);
  if (!compiled) {
    return make_error(Errc::parse, "bad " + std::string(field) + " selector \"" + selector +
                                       "\": " + compiled.error().message +
                                       "; fix the feed's article rules");
  }
  return compiled->select_first(*page.root());
}

}  // namespace fg::extract::detail
