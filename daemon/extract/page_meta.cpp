#include "extract/page_meta.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/lexicon.hpp"

namespace fg::extract::detail {

namespace {

using nlohmann::json;
using parse::Node;

constexpr std::size_t kScriptNameMaxChars = 20;

using lexicon::kDateMetaNames;
using lexicon::kScriptTimeKeys;

std::string json_string(const json& v) {
  if (v.is_string()) return collapse_whitespace(v.get<std::string>());
  return {};
}

// "author": "X" | {"name": "X"} | [{"name": "X"}, …] → "X Y".
std::string names_of(const json& v) {
  if (v.is_string()) return json_string(v);
  if (v.is_object() && v.contains("name")) return names_of(v["name"]);
  std::string out;
  if (v.is_array()) {
    for (const json& item : v) {
      const std::string name = names_of(item);
      if (!name.empty()) out += (out.empty() ? "" : " ") + name;
    }
  }
  return out;
}

bool is_article_type(const json& obj) {
  const json* type = obj.contains("@type") ? &obj["@type"] : nullptr;
  if (type == nullptr) return false;
  const auto matches = [](const json& t) {
    const std::string s = json_string(t);
    return s.find("Article") != std::string::npos || s == "BlogPosting" || s == "Report" ||
           s == "WebPage";
  };
  if (type->is_array()) {
    for (const json& t : *type)
      if (matches(t)) return true;
    return false;
  }
  return matches(*type);
}

// Fills the still-empty JSON-LD fields from an Article-like object (or a @graph of them).
void read_ld_object(const json& obj, PageMeta& meta, int depth) {
  if (depth > 4) return;
  if (obj.is_array()) {
    for (const json& item : obj) read_ld_object(item, meta, depth + 1);
    return;
  }
  if (!obj.is_object()) return;
  if (obj.contains("@graph")) read_ld_object(obj["@graph"], meta, depth + 1);
  if (!is_article_type(obj)) return;
  if (meta.headline.empty() && obj.contains("headline"))
    meta.headline = json_string(obj["headline"]);
  if (meta.ld_published.empty() && obj.contains("datePublished")) {
    meta.ld_published = json_string(obj["datePublished"]);
  }
  if (meta.ld_author.empty() && obj.contains("author")) meta.ld_author = names_of(obj["author"]);
  if (meta.site_name.empty() && obj.contains("publisher")) {
    meta.site_name = names_of(obj["publisher"]);
  }
}

void read_json_ld(std::string_view text, PageMeta& meta) {
  const json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (!doc.is_discarded()) read_ld_object(doc, meta, 0);
}

void read_meta_tag(const Node& n, PageMeta& meta, std::size_t& date_rank) {
  const std::string key = ascii_lower(n.has_attr("property") ? n.attr("property") : n.attr("name"));
  const std::string content = collapse_whitespace(n.attr("content"));
  if (content.empty()) return;
  if (key == "og:title" && meta.og_title.empty()) meta.og_title = content;
  if (key == "og:site_name") meta.site_name = content;
  if (key == "author" && meta.meta_author.empty()) meta.meta_author = content;
  if (key == "og:locale" && meta.language.empty()) meta.language = content;
  if (iequals(n.attr("http-equiv"), "content-language") && meta.language.empty()) {
    meta.language = content;
  }
  for (std::size_t r = 0; r < date_rank; ++r) {
    if (key == kDateMetaNames[r]) meta.meta_published = content, date_rank = r;
  }
}

bool is_name_char_ok(std::string_view value) {
  if (value.empty() || char_count(value) > kScriptNameMaxChars) return false;
  bool non_ascii = false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '<' || c == '{' || c == '}' || c == '$' || c == '\\') return false;
    non_ascii = non_ascii || u >= 0x80;
  }
  return non_ascii;
}

// The quoted (or, for digits, bare) value `key` is given in inline-script object syntax, each
// occurrence in turn, until `accept` takes one.
template <class Accept>
std::string script_value(std::string_view script, std::string_view key, Accept accept) {
  for (std::size_t at = script.find(key); at != std::string_view::npos;
       at = script.find(key, at + 1)) {
    const char before = at == 0 ? ' ' : script[at - 1];
    if ((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z') || before == '_') {
      continue;  // "resource", "data_source"
    }
    std::size_t i = at + key.size();
    if (i < script.size() && (script[i] == '"' || script[i] == '\'')) ++i;
    while (i < script.size() && script[i] == ' ') ++i;
    if (i >= script.size() || (script[i] != ':' && script[i] != '=')) continue;
    ++i;
    while (i < script.size() && script[i] == ' ') ++i;
    if (i >= script.size()) continue;
    std::size_t end = i;
    if (script[i] == '"' || script[i] == '\'') {
      const char quote = script[i++];
      end = script.find(quote, i);
      if (end == std::string_view::npos) continue;
    } else {
      while (end < script.size() && script[end] >= '0' && script[end] <= '9') ++end;
    }
    std::string value(trim(script.substr(i, end - i)));
    if (accept(value)) return value;
  }
  return {};
}

// A machine-written time: Unix seconds or milliseconds, or a date with digits and separators.
bool is_time_value(std::string_view value) {
  if (value.empty() || value.size() > 30 || value[0] < '1' || value[0] > '9') return false;
  for (char c : value) {
    if (!(c >= '0' && c <= '9') && std::string_view("-/:. T+").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string script_field(std::string_view script, std::string_view key) {
  return script_value(script, key, is_name_char_ok);
}

std::string script_time(std::string_view script) {
  for (std::string_view key : kScriptTimeKeys) {
    std::string value = script_value(script, key, is_time_value);
    if (!value.empty()) return value;
  }
  return {};
}

PageMeta read_page_meta(parse::Document& page) {
  PageMeta meta;
  std::size_t date_rank = kDateMetaNames.size();
  if (Node* html = page.html()) meta.language = std::string(trim(html->attr("lang")));
  parse::walk(*page.root(), [&](Node& n) {
    if (n.is_element("meta")) read_meta_tag(n, meta, date_rank);
    if (n.is_element("title") && meta.doc_title.empty()) meta.doc_title = node_text(n);
    if (!n.is_element("script")) return true;
    const std::string text = n.text_content();
    if (iequals(n.attr("type"), "application/ld+json")) {
      read_json_ld(text, meta);
    } else if (text.size() < 200000) {
      if (meta.script_author.empty()) meta.script_author = script_field(text, "author");
      if (meta.script_source.empty()) meta.script_source = script_field(text, "source");
      if (meta.script_published.empty()) meta.script_published = script_time(text);
    }
    return false;
  });
  return meta;
}

}  // namespace fg::extract::detail
