#pragma once
// Internal: charset names and conversion to UTF-8 (glibc iconv).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace fg::decode {

struct Charset {
  std::string name;        // reported in Decoded::charset, e.g. "GB18030", "Big5"
  std::string iconv_name;  // what iconv_open is given, e.g. "GB18030", "BIG5-HKSCS"
};

// Resolves a label ("gb2312", "x-gbk", "latin1", "windows-1251") to the charset browsers
// would use for it; nullopt when neither the alias table nor iconv knows it.
std::optional<Charset> find_charset(std::string_view label);

// Replaces invalid UTF-8 sequences with U+FFFD (one per maximal invalid subpart, as the
// WHATWG decoder does). Control characters are kept: the normalizer decides about those.
std::string repair_utf8(std::string_view bytes);

// Converts `bytes` from `charset` to UTF-8, replacing undecodable bytes with U+FFFD.
// Fails only when iconv cannot open the conversion.
Result<std::string> convert_to_utf8(std::string_view bytes, const Charset& charset);

}  // namespace fg::decode
