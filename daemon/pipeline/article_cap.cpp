// Cutting an oversize article at an element boundary (see article_cap.hpp).

#include "pipeline/article_cap.hpp"

#include <vector>

#include "parse/html_names.hpp"

namespace fg::pipeline {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Index just past the '>' of the tag starting at html[i] (quoted attribute values honoured).
std::size_t tag_end(std::string_view html, std::size_t i) {
  char quote = 0;
  for (; i < html.size(); ++i) {
    const char c = html[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return html.size();
}

std::string escape_attribute(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string cap_content_html(std::string_view html, std::size_t max_bytes, std::string_view url) {
  if (html.size() <= max_bytes) return std::string(html);
  std::vector<std::string> open;  // elements open at `i`
  std::vector<std::string> open_at_cut;
  std::size_t cut = 0;
  for (std::size_t i = html.find('<'); i != std::string_view::npos && i <= max_bytes;
       i = html.find('<', i)) {
    cut = i;
    open_at_cut = open;
    const std::size_t end = tag_end(html, i);
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t n = i + (closing ? 2 : 1);
    std::string name;
    while (n < html.size() && is_name_char(html[n])) name += html[n++];
    for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (closing) {
      if (!open.empty() && open.back() == name) open.pop_back();
    } else if (!name.empty() && !parse::is_void_element(name) && html[end - 2] != '/') {
      open.push_back(name);
    }
    i = end;
  }
  std::string out(html.substr(0, cut));
  for (auto it = open_at_cut.rbegin(); it != open_at_cut.rend(); ++it) out += "</" + *it + ">";
  out += "<p><a href=\"" + escape_attribute(url) + "\">Continue reading…</a></p>";
  return out;
}

std::string cap_text(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace fg::pipeline
