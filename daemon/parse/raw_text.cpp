#include "parse/raw_text.hpp"

#include <cstdint>

#include "parse/ascii.hpp"

namespace fg::parse {

namespace {

// What ends a tag name: whitespace (CR counts, as the tokenizer sees it as LF), '/' or '>'.
bool ends_tag_name(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>';
}

// True when html[i] starts "</name" followed by a character that ends a tag name.
bool is_end_tag(std::string_view html, std::size_t i, std::string_view name) {
  if (i + 2 + name.size() >= html.size() || html[i + 1] != '/') return false;
  for (std::size_t k = 0; k < name.size(); ++k) {
    if (ascii_lower_char(html[i + 2 + k]) != name[k]) return false;
  }
  return ends_tag_name(html[i + 2 + name.size()]);
}

// The letters of a tag name at html[i] equal "script", and the name ends right after them.
bool is_script_name_at(std::string_view html, std::size_t i, std::size_t& after) {
  std::size_t end = i;
  while (end < html.size() && is_ascii_alpha(html[end])) ++end;
  after = end;
  if (end - i != 6 || end >= html.size() || !ends_tag_name(html[end])) return false;
  constexpr std::string_view kScript = "script";
  for (std::size_t k = 0; k < 6; ++k) {
    if (ascii_lower_char(html[i + k]) != kScript[k]) return false;
  }
  return true;
}

enum class State { data, escaped, escaped_dash, escaped_dash_dash, dd, dd_dash, dd_dash_dash };

// One step of the escaped and double-escaped states (HTML5 § 13.2.5.20–13.2.5.31) at html[i];
// returns the next index, or npos with `end` set when the script's end tag starts at html[i].
std::size_t escaped_step(std::string_view html, std::size_t i, State& s, std::size_t& end) {
  const char c = html[i];
  const bool doubled = s == State::dd || s == State::dd_dash || s == State::dd_dash_dash;
  if (c == '-') {
    if (s == State::escaped)
      s = State::escaped_dash;
    else if (s == State::escaped_dash)
      s = State::escaped_dash_dash;
    else if (s == State::dd)
      s = State::dd_dash;
    else if (s == State::dd_dash)
      s = State::dd_dash_dash;
    return i + 1;
  }
  if (c == '>' && (s == State::escaped_dash_dash || s == State::dd_dash_dash)) {
    s = State::data;
    return i + 1;
  }
  if (c != '<' || i + 1 >= html.size()) {
    s = doubled ? State::dd : State::escaped;
    return i + 1;
  }
  std::size_t after = 0;
  if (!doubled) {
    s = State::escaped;
    if (is_end_tag(html, i, "script")) {
      end = i;
      return std::string_view::npos;
    }
    // "<script" opens the double-escaped state; any other letters stay escaped text.
    if (is_ascii_alpha(html[i + 1]) && is_script_name_at(html, i + 1, after)) {
      s = State::dd;
      return after + 1;
    }
    return i + 1;
  }
  s = State::dd;
  if (html[i + 1] == '/' && is_script_name_at(html, i + 2, after)) {
    s = State::escaped;
    return after + 1;
  }
  return i + 1;
}

}  // namespace

std::size_t script_data_end(std::string_view html, std::size_t i) {
  State s = State::data;
  std::size_t end = std::string_view::npos;
  while (i < html.size()) {
    if (s != State::data) {
      i = escaped_step(html, i, s, end);
      if (i == std::string_view::npos) return end;
      continue;
    }
    i = html.find('<', i);
    if (i == std::string_view::npos) return i;
    if (is_end_tag(html, i, "script")) return i;
    if (html.substr(i + 1, 3) == "!--") {
      s = State::escaped_dash_dash;  // "<!--" enters the escaped dash dash state directly
      i += 4;
    } else {
      ++i;
    }
  }
  return std::string_view::npos;
}

std::size_t raw_text_end(std::string_view html, std::size_t i, std::string_view name) {
  while ((i = html.find("</", i)) != std::string_view::npos) {
    if (is_end_tag(html, i, name)) return i;
    i += 2;
  }
  return std::string_view::npos;
}

namespace {

// Length of the well-formed UTF-8 sequence at s[i] and its code point; 0 when malformed.
std::size_t decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = b(0);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  return (cp < min || cp > 0x10FFFF || surrogate) ? 0 : len;
}

// Code points gumbo reports as parse errors (and may replace): controls and non-characters.
bool gumbo_flags(std::uint32_t cp) {
  return (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

}  // namespace

std::optional<std::string> raw_text_as_parsed(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t copied = 0;  // raw[0, copied) is in `out`; unchanged runs are copied at once
  for (std::size_t i = 0; i < raw.size();) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c >= 0x20 && c < 0x7F) {
      ++i;
    } else if (c == '\r') {
      out.append(raw.substr(copied, i - copied)).push_back('\n');
      i += (i + 1 < raw.size() && raw[i + 1] == '\n') ? 2 : 1;
      copied = i;
    } else if (c == '\t' || c == '\n' || c == '\f') {
      ++i;
    } else if (c < 0x80) {
      return std::nullopt;  // NUL, other C0 controls and DEL
    } else {
      std::uint32_t cp = 0;
      const std::size_t len = decode_utf8(raw, i, cp);
      if (len == 0 || gumbo_flags(cp)) return std::nullopt;
      i += len;
    }
  }
  out.append(raw.substr(copied));
  return out;
}

}  // namespace fg::parse
