#include "normalize/normalize.hpp"

#include <string>
#include <vector>

#include "core/text.hpp"
#include "normalize/sanitize.hpp"
#include "normalize/tidy.hpp"

namespace fg::normalize {

namespace {

// Rounds of re-parsing before giving up on markup that keeps changing; real pages settle in one.
constexpr int kMaxStabilizeRounds = 3;

// The paragraphs of to_text()'s output (blocks are separated by blank lines).
std::vector<std::string> split_blocks(const std::string& text) {
  std::vector<std::string> blocks;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\n\n", start);
    blocks.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return blocks;
}

// The sanitized tree as markup that an HTML5 parser reads back into the very same tree. Unwrapping
// can leave nestings a parser would not build (an unwrapped <section> leaves <li> directly inside
// <li>, which a parser splits into siblings), so the markup is re-parsed, sanitized and tidied
// again until serializing the re-parsed tree gives the same bytes. Readers then render the tree
// that was checked, not another one.
NormalizedContent stable_content(parse::Node& content, const std::string& base_url) {
  std::string html = parse::inner_html(content);
  parse::Document docs[2];
  const parse::Node* tree = &content;
  for (int round = 0; round < kMaxStabilizeRounds; ++round) {
    parse::Document& doc = docs[round % 2];
    doc = parse::Document();
    parse::Node* again = doc.parse_fragment(html);
    if (parse::inner_html(*again) == html) return {xml_safe_utf8(html), to_text(*tree)};
    sanitize_tree(*again, base_url);
    tidy_tree(*again);
    html = parse::inner_html(*again);
    tree = again;
  }
  // Still moving: keep the text, one paragraph per block, which is stable by construction.
  const std::string text = to_text(*tree);
  parse::Document doc;
  parse::Node* root = doc.create_element("div");
  for (const std::string& block : split_blocks(text)) {
    parse::Node* p = doc.create_element("p");
    parse::Document::append_child(p, doc.create_text(block));
    parse::Document::append_child(root, p);
  }
  return {xml_safe_utf8(parse::inner_html(*root)), text};
}

}  // namespace

NormalizedContent normalize_content(parse::Node& content, const std::string& base_url) {
  try {
    sanitize_tree(content, base_url);
    tidy_tree(content);
    return stable_content(content, base_url);
  } catch (...) {
    // Only allocation failure can get here; an empty article beats an exception in the pipeline.
    return NormalizedContent{};
  }
}

NormalizedContent normalize_html(const std::string& html, const std::string& base_url) {
  try {
    parse::Document doc;
    // gumbo turns C0 controls into U+FFFD; removing them first drops them without a trace.
    parse::Node* fragment = doc.parse_fragment(xml_safe_utf8(html));
    return normalize_content(*fragment, base_url);
  } catch (...) {
    return NormalizedContent{};
  }
}

}  // namespace fg::normalize
