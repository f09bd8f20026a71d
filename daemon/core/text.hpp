#pragma once
// Small UTF-8 text utilities used across stages.

#include <string>
#include <string_view>
#include <vector>

namespace fg {

// Removes leading and trailing ASCII whitespace, U+00A0, U+3000 and zero-width spaces.
std::string_view trim(std::string_view s);

// Collapses runs of whitespace (ASCII, U+00A0, U+3000) into one ASCII space and trims.
std::string collapse_whitespace(std::string_view s);

// Replaces invalid UTF-8 sequences with U+FFFD and drops characters XML 1.0 forbids
// (C0 controls except tab/newline/carriage return, U+FFFE, U+FFFF, lone surrogates).
std::string xml_safe_utf8(std::string_view s);

// True when s is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

// The code point starting at s[i] (UTF-8), moving i past it; U+FFFD, one byte on, for a malformed
// lead byte or a sequence cut off by the end of s.
char32_t next_code_point(std::string_view s, std::size_t& i);

// CJK Unified Ideographs and Extension A (the Han characters of Chinese text).
bool is_han(char32_t cp);

// ASCII lower-case copy.
std::string ascii_lower(std::string_view s);

// The pieces of `s` between occurrences of `sep` (empty pieces kept; "" gives one empty piece).
std::vector<std::string> split(std::string_view s, char sep);

// Case-insensitive ASCII comparison.
bool iequals(std::string_view a, std::string_view b);

}  // namespace fg
