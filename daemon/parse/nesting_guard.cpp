#include "parse/nesting_guard.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "parse/html_names.hpp"

namespace fg::parse {

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

template <std::size_t N>
bool one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements the HTML5 tree builder closes implicitly (a new <p> or <li> ends the previous one), or
// that exist once per document; counting them would overstate the depth.
bool is_auto_closed(std::string_view n) {
  static constexpr std::array<std::string_view, 20> kAuto = {
      "p",     "li",    "dt",      "dd",       "option", "optgroup", "tr", "td",  "th",   "thead",
      "tbody", "tfoot", "caption", "colgroup", "rb",     "rt",       "rp", "rtc", "html", "head"};
  return n == "body" || one_of(n, kAuto);
}

// Elements whose content is raw text up to their end tag.
bool is_raw_text(std::string_view n) {
  static constexpr std::array<std::string_view, 8> kRaw = {
      "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"};
  return one_of(n, kRaw);
}

// Reads a tag name starting at s[i] into `name` (lower-cased); returns the index after it.
std::size_t read_name(std::string_view s, std::size_t i, std::string& name) {
  name.clear();
  while (i < s.size() && !is_space(s[i]) && s[i] != '/' && s[i] != '>') {
    if (name.size() < 32) name.push_back(lower(s[i]));
    ++i;
  }
  return i;
}

// Index just past the '>' ending the tag whose attributes start at s[i] (quoted values honoured).
std::size_t tag_end(std::string_view s, std::size_t i, bool& self_closing) {
  bool after_equals = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '>') {
      self_closing = s[i - 1] == '/';
      return i + 1;
    }
    if ((c == '"' || c == '\'') && after_equals) {
      const std::size_t close = s.find(c, i + 1);
      if (close == std::string_view::npos) return s.size();
      i = close;
      after_equals = false;
    } else if (c == '=') {
      after_equals = true;
    } else if (!is_space(c)) {
      after_equals = false;
    }
  }
  return s.size();
}

// Index of the "</name" that ends raw text starting at s[i], or s.size().
std::size_t skip_raw_text(std::string_view s, std::size_t i, std::string_view name) {
  while ((i = s.find("</", i)) != std::string_view::npos) {
    std::size_t k = 0;
    while (k < name.size() && i + 2 + k < s.size() && lower(s[i + 2 + k]) == name[k]) ++k;
    if (k == name.size()) return i;
    i += 2;
  }
  return s.size();
}

// Index after a comment, doctype or processing instruction starting at s[i] ("<!" or "<?").
std::size_t skip_markup_declaration(std::string_view s, std::size_t i) {
  std::size_t end = std::string_view::npos;
  if (s.substr(i, 4) == "<!--") {
    end = s.find("-->", i + 4);
    if (end != std::string_view::npos) end += 2;
  } else {
    end = s.find('>', i);
  }
  return end == std::string_view::npos ? s.size() : end + 1;
}

// Pops the open elements down to and including the innermost `name`; stray end tags are ignored,
// as the HTML5 tree builder ignores them.
void close_element(std::vector<std::string>& open, std::string_view name) {
  for (std::size_t k = open.size(); k > 0; --k) {
    if (open[k - 1] == name) {
      open.resize(k - 1);
      return;
    }
  }
}

}  // namespace

std::string_view limit_nesting(std::string_view s, std::size_t max_depth, std::string& storage) {
  storage.clear();
  std::vector<std::string> open;  // a model of the tree builder's stack of open elements
  open.reserve(64);
  std::string name;
  std::size_t copied = 0;  // s[0, copied) is already in storage
  bool modified = false;
  std::size_t i = 0;
  while ((i = s.find('<', i)) != std::string_view::npos && i + 2 < s.size()) {
    const char c = s[i + 1];
    if (c == '!' || c == '?') {
      i = skip_markup_declaration(s, i);
      continue;
    }
    const bool end_tag = c == '/';
    if (!is_alpha(end_tag ? s[i + 2] : c)) {
      ++i;
      continue;
    }
    bool self_closing = false;
    const std::size_t end = tag_end(s, read_name(s, i + (end_tag ? 2 : 1), name), self_closing);
    if (end_tag) {
      close_element(open, name);
    } else if (name == "plaintext") {
      break;  // everything after it is text
    } else if (is_raw_text(name)) {
      i = skip_raw_text(s, end, name);
      continue;
    } else if (!is_void_element(name) && !self_closing && !is_auto_closed(name)) {
      if (open.size() < max_depth) {
        open.push_back(name);
      } else {
        if (!modified) storage.reserve(s.size());
        storage.append(s.substr(copied, i - copied));
        copied = end;
        modified = true;
      }
    }
    i = end;
  }
  if (!modified) return s;
  storage.append(s.substr(copied));
  return storage;
}

}  // namespace fg::parse
