#pragma once
// Caps element nesting before gumbo sees the input. gumbo's tree builder scans the stack of open
// elements for every start tag, so 100k nested <div>s cost minutes of CPU; like browsers, we
// flatten markup beyond a depth limit instead (the excess start tags are dropped, text is kept).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fg::parse {

// Deeper than any real page (they stay well under 100), shallow enough to keep gumbo linear.
inline constexpr std::size_t kMaxNestingDepth = 512;

// Returns `html` itself when its nesting stays within `max_depth`; otherwise fills `storage`
// with a copy that omits the start tags opening deeper elements, and returns a view of it.
std::string_view limit_nesting(std::string_view html, std::size_t max_depth, std::string& storage);

// What gumbo is given: the input with nesting capped as limit_nesting does, and with the contents
// of <script> and <style> elements taken out, each start tag marked with kCutMarker
// (parse/raw_text.hpp) naming the index of its content in cut_texts. gumbo reads such contents a
// code point at a time for nothing: they are put back verbatim after the parse.
struct GumboInput {
  std::string_view html;               // the input itself, or a view of `storage`
  std::vector<std::string> cut_texts;  // the contents taken out, as gumbo's text nodes hold them
};
GumboInput prepare_for_gumbo(std::string_view html, std::size_t max_depth, std::string& storage);

}  // namespace fg::parse
