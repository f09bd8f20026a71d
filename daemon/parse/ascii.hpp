#pragma once
// ASCII character tests as the HTML tokenizer applies them (no locale), shared by the scanners
// that run before gumbo.

namespace fg::parse {

inline bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline char ascii_lower_char(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace fg::parse
