#include "normalize/normalize.hpp"

#include "core/text.hpp"
#include "normalize/sanitize.hpp"
#include "normalize/tidy.hpp"

namespace fg::normalize {

NormalizedContent normalize_content(parse::Node& content, const std::string& base_url) {
  try {
    sanitize_tree(content, base_url);
    tidy_tree(content);
    return NormalizedContent{xml_safe_utf8(parse::inner_html(content)), to_text(content)};
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
