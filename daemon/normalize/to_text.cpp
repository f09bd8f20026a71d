// Plain text of sanitized (or any) markup: one paragraph per block, lines kept for <br>.
#include <string>
#include <vector>

#include "core/text.hpp"
#include "normalize/html_policy.hpp"
#include "normalize/normalize.hpp"
#include "normalize/tree_edit.hpp"

namespace fg::normalize {

namespace {

using parse::Node;

class TextBuilder {
 public:
  void add(std::string_view text) { line_ += text; }
  void end_line() {
    std::string line = collapse_whitespace(line_);
    if (!line.empty()) lines_.push_back(std::move(line));
    line_.clear();
  }
  void end_block() {
    end_line();
    if (lines_.empty()) return;
    std::string block;
    for (const std::string& line : lines_) block += (block.empty() ? "" : "\n") + line;
    blocks_.push_back(std::move(block));
    lines_.clear();
  }
  std::string finish() {
    end_block();
    std::string out;
    for (const std::string& block : blocks_) out += (out.empty() ? "" : "\n\n") + block;
    return out;
  }

 private:
  std::string line_;
  std::vector<std::string> lines_;
  std::vector<std::string> blocks_;
};

void add_pre_text(TextBuilder& out, std::string_view text) {
  std::size_t start = 0;
  for (std::size_t nl = text.find('\n'); nl != std::string_view::npos;
       nl = text.find('\n', start)) {
    out.add(text.substr(start, nl - start));
    out.end_line();
    start = nl + 1;
  }
  out.add(text.substr(start));
}

void collect(const Node& n, TextBuilder& out, bool in_pre, int depth) {
  for (const Node* c : n.children) {
    if (c->is_text()) {
      in_pre ? add_pre_text(out, c->text) : out.add(c->text);
      continue;
    }
    if (!c->is_element() || hides_text(c->tag) || depth > kMaxDepth) continue;
    if (c->is_element("br")) {
      out.end_line();
    } else if (is_block(c->tag) || c->is_element("li")) {
      out.end_block();
      collect(*c, out, in_pre || c->is_element("pre"), depth + 1);
      out.end_block();
    } else if (c->is_element("td") || c->is_element("th")) {
      out.add(" ");  // cells of a row read as one line
      collect(*c, out, in_pre, depth + 1);
      out.add(" ");
    } else {
      collect(*c, out, in_pre, depth + 1);
    }
  }
}

}  // namespace

std::string to_text(const parse::Node& node) {
  TextBuilder out;
  collect(node, out, node.is_element("pre"), 0);
  return xml_safe_utf8(out.finish());
}

}  // namespace fg::normalize
