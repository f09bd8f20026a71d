// libFuzzer target for the parse module: HTML parsing, serialization and selectors.
// Input: the first line (up to 256 bytes) is a selector, the rest is HTML.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "parse/dom.hpp"
#include "parse/selector.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using fg::parse::Document;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.substr(0, 256).find('\n');
  const std::string_view selector_text =
      newline == std::string_view::npos ? input.substr(0, 0) : input.substr(0, newline);
  const std::string_view html =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  Document doc = Document::parse(html);
  const std::string serialized = fg::parse::outer_html(*doc.root());
  // Serialized output must itself parse (and re-serialize) without trouble.
  Document again = Document::parse(serialized);
  (void)fg::parse::inner_html(*again.root());
  if (doc.body() != nullptr) (void)doc.body()->text_content();
  fg::parse::Node* fragment = doc.parse_fragment(html);
  (void)fg::parse::inner_html(*fragment);

  auto selector = fg::parse::Selector::compile(selector_text);
  if (selector.ok()) {
    for (fg::parse::Node* n : selector->select_all(*doc.root())) {
      if (!selector->matches(*n)) __builtin_trap();  // select_all and matches must agree
    }
    (void)selector->select_first(*fragment);
  }
  return 0;
}
