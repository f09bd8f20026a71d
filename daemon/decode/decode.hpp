#pragma once
// Bytes to UTF-8: charset from the HTTP header, else a BOM, else <meta>, else detection.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace fg::decode {

struct Decoded {
  std::string text;     // UTF-8; invalid input sequences replaced by U+FFFD
  std::string charset;  // canonical name actually used, e.g. "UTF-8", "GB18030", "Big5"
  std::string how;      // "override", "header", "bom", "meta", "detected" or "default"
};

// The charset parameter of a Content-Type header value, lower-case, or empty.
std::string charset_from_content_type(std::string_view content_type);

// The charset named by <meta charset> or <meta http-equiv=Content-Type content=...> within the
// first 4 KiB (wider if needed) of the document, lower-case, or empty.
std::string charset_from_meta(std::string_view bytes);

// Decodes `bytes`. `override_charset` (from a recipe) wins when non-empty, then the header's.
// GB2312 and GBK are decoded as GB18030 (their superset). Never fails on bad bytes; fails only
// on an unknown charset name (Errc::charset).
Result<Decoded> to_utf8(std::string_view bytes, std::string_view content_type = {},
                        std::string_view override_charset = {});

}  // namespace fg::decode
