// Finding a declared charset: Content-Type parameter, <meta> prescan, BOM.

#include "decode/sniff.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "decode/decode.hpp"

namespace fg::decode {

namespace {

constexpr std::size_t kMetaWindow = 4 * 1024;
constexpr std::size_t kMetaWindowMax = 16 * 1024;

bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && is_html_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_html_space(s.back())) s.remove_suffix(1);
  return s;
}

// Position of `needle` (lower-case ASCII) in `hay`, compared case-insensitively; npos if absent.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.size() > hay.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

// Strips one level of matching quotes and surrounding blanks.
std::string_view unquote(std::string_view v) {
  v = trim_ascii(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = trim_ascii(v.substr(1, v.size() - 2));
  }
  return v;
}

using Attributes = std::vector<std::pair<std::string, std::string>>;

// Reads the attributes of a tag starting after its name; stops at '>' or the end of `s`.
// `pos` is left just past the '>'.
Attributes read_attributes(std::string_view s, std::size_t& pos) {
  Attributes attrs;
  while (pos < s.size()) {
    while (pos < s.size() && (is_html_space(s[pos]) || s[pos] == '/')) ++pos;
    if (pos >= s.size() || s[pos] == '>') break;
    const std::size_t name_begin = pos;
    while (pos < s.size() && !is_html_space(s[pos]) && s[pos] != '=' && s[pos] != '>' &&
           s[pos] != '/') {
      ++pos;
    }
    std::string name = ascii_lower(s.substr(name_begin, pos - name_begin));
    while (pos < s.size() && is_html_space(s[pos])) ++pos;
    std::string value;
    if (pos < s.size() && s[pos] == '=') {
      ++pos;
      while (pos < s.size() && is_html_space(s[pos])) ++pos;
      if (pos < s.size() && (s[pos] == '"' || s[pos] == '\'')) {
        const char quote = s[pos++];
        const std::size_t end = s.find(quote, pos);
        const std::size_t stop = end == std::string_view::npos ? s.size() : end;
        value = s.substr(pos, stop - pos);
        pos = end == std::string_view::npos ? s.size() : end + 1;
      } else {
        const std::size_t begin = pos;
        while (pos < s.size() && !is_html_space(s[pos]) && s[pos] != '>') ++pos;
        value = s.substr(begin, pos - begin);
      }
    }
    if (name.empty()) {
      ++pos;  // a stray character such as '=': skip it rather than loop forever
      continue;
    }
    attrs.emplace_back(std::move(name), std::move(value));
  }
  if (pos < s.size()) ++pos;  // the '>'
  return attrs;
}

// The charset a <meta> tag declares, or empty.
std::string meta_tag_charset(const Attributes& attrs) {
  std::string content;
  bool content_type_pragma = false;
  for (const auto& [name, value] : attrs) {
    if (name == "charset") return ascii_lower(unquote(value));
    if (name == "http-equiv") content_type_pragma = iequals(trim_ascii(value), "content-type");
    if (name == "content") content = value;
  }
  // Attribute order does not matter: http-equiv may come before or after content.
  if (content_type_pragma) return charset_from_content_type(content);
  return {};
}

// The window the prescan looks at: 4 KiB, widened to 16 KiB when </head> is not in the first.
std::string_view meta_window(std::string_view bytes) {
  const std::string_view first = bytes.substr(0, kMetaWindow);
  if (ifind(first, "</head") != std::string_view::npos || bytes.size() <= kMetaWindow) {
    return first;
  }
  return bytes.substr(0, kMetaWindowMax);
}

}  // namespace

std::string charset_from_content_type(std::string_view content_type) {
  std::size_t start = 0;
  while (start <= content_type.size()) {
    std::size_t end = content_type.find(';', start);
    if (end == std::string_view::npos) end = content_type.size();
    const std::string_view param = trim_ascii(content_type.substr(start, end - start));
    const std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && iequals(trim_ascii(param.substr(0, eq)), "charset")) {
      return ascii_lower(unquote(param.substr(eq + 1)));
    }
    start = end + 1;
  }
  return {};
}

std::string charset_from_meta(std::string_view bytes) {
  const std::string_view s = meta_window(bytes);
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t lt = s.find('<', pos);
    if (lt == std::string_view::npos) break;
    if (s.substr(lt, 4) == "<!--") {  // a commented-out <meta> declares nothing
      const std::size_t end = s.find("-->", lt + 4);
      if (end == std::string_view::npos) break;
      pos = end + 3;
      continue;
    }
    pos = lt + 1;
    if (!iequals(s.substr(pos, 4), "meta") || pos + 4 >= s.size() ||
        !(is_html_space(s[pos + 4]) || s[pos + 4] == '/')) {
      continue;
    }
    pos += 4;
    std::string charset = meta_tag_charset(read_attributes(s, pos));
    if (!charset.empty()) return charset;
  }
  return {};
}

Bom detect_bom(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return {"utf-8", 3};
  if (bytes.substr(0, 2) == "\xFF\xFE") return {"utf-16le", 2};
  if (bytes.substr(0, 2) == "\xFE\xFF") return {"utf-16be", 2};
  return {};
}

}  // namespace fg::decode
