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

// ASCII lower-case copy.
std::string ascii_lower(std::string_view s);

// The pieces of `s` between occurrences of `sep` (empty pieces kept; "" gives one empty piece).
std::vector<std::string> split(std::string_view s, char sep);

// Case-insensitive ASCII comparison.
bool iequals(std::string_view a, std::string_view b);

}  // namespace fg
