#pragma once
// Module-private: what the sanitizer keeps, unwraps or drops, in one table-like place.

#include <string_view>

namespace fg::normalize {

enum class ElementRule {
  keep,    // allowed element, its attributes filtered
  unwrap,  // replaced by its children (unknown, presentational or layout-only markup)
  drop,    // removed with everything inside (active, embedded or invisible content)
  div,     // a <p> when it holds only inline content, otherwise unwrapped
  media,   // <video>/<audio>: kept with a src, children dropped
};

ElementRule element_rule(std::string_view tag);

// True when `name` may stay on an element `tag` (before URL and number checks).
bool attribute_allowed(std::string_view tag, std::string_view name);

// Attributes holding a URL that must resolve to http(s).
bool is_url_attribute(std::string_view name);

// Attributes that must be a non-negative integer (colspan, width, ...); ol[start] may be negative.
bool is_number_attribute(std::string_view name);

// Elements that start a new block of text (paragraph-level for tidying and for to_text()).
bool is_block(std::string_view tag);

// Elements with no content model (never wrappers, never empty).
bool is_void(std::string_view tag);

// Elements whose emptiness is meaningful (table cells, media): never dropped as empty.
bool keeps_when_empty(std::string_view tag);

// Elements that count as content on their own even without text.
bool is_content_without_text(std::string_view tag);

// Elements whose text is not readable (scripts, styles, metadata, embedded objects).
bool hides_text(std::string_view tag);

}  // namespace fg::normalize
