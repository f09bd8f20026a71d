#pragma once
// Element-name classes from the HTML5 spec, shared by the serializer and the nesting guard.

#include <algorithm>
#include <array>
#include <string_view>

namespace fg::parse {

// Elements that never hold children and are written without an end tag.
inline bool is_void_element(std::string_view n) {
  static constexpr std::array<std::string_view, 18> kVoid = {
      "area", "base",  "basefont", "bgsound", "br",   "col",   "embed",  "frame", "hr",
      "img",  "input", "keygen",   "link",    "meta", "param", "source", "track", "wbr"};
  return std::find(kVoid.begin(), kVoid.end(), n) != kVoid.end();
}

// Elements whose text children are serialized verbatim (the parser never decoded them).
// noscript is absent: gumbo parses with scripting disabled, so its content is markup.
inline bool is_raw_text_parent(std::string_view n) {
  static constexpr std::array<std::string_view, 7> kRaw = {
      "style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext"};
  return std::find(kRaw.begin(), kRaw.end(), n) != kRaw.end();
}

}  // namespace fg::parse
