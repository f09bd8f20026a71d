#pragma once
// Turns extracted content into the HTML a feed carries: sanitized, absolute, tidy; plus text.

#include <string>

#include "parse/dom.hpp"

namespace fg::normalize {

struct NormalizedContent {
  std::string html;  // sanitized fragment; XML-safe UTF-8
  std::string text;  // plain text: paragraphs separated by "\n\n", whitespace collapsed
};

// Sanitizes the children of `content` (which is modified in place) against an allowlist of
// elements and attributes: drops script/style/iframe/form/object/embed and friends with their
// contents, on* attributes, style/class/id, and javascript:/data:/vbscript: URLs; promotes lazy
// images (data-src, data-original, data-lazy-src) to src; makes href/src absolute against
// base_url; unwraps unknown elements keeping their text; drops empty wrappers; tidies
// whitespace.
NormalizedContent normalize_content(parse::Node& content, const std::string& base_url);

// Convenience: parse an HTML fragment and normalize it.
NormalizedContent normalize_html(const std::string& html, const std::string& base_url);

// Plain text of a node: block elements separated by blank lines, whitespace collapsed.
std::string to_text(const parse::Node& node);

}  // namespace fg::normalize
