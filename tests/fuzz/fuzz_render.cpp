// libFuzzer target for the renderers: whatever an article stored in the database holds, every
// format is well-formed (XML 1.0 for RSS and Atom, JSON for JSON Feed, valid UTF-8 throughout),
// and the fields a reader may render as HTML, other than the sanitized content, build no element.
// Input: NUL-separated fields url, title, author, source, editor, language, site_name,
// content_html, text, feed title, feed description, published (seconds since 1970), its UTC
// offset in minutes.

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "parse/dom.hpp"
#include "render/render.hpp"

namespace {

std::vector<std::string> fields(std::string_view input) {
  std::vector<std::string> out;
  while (out.size() < 13) {
    const std::size_t end = input.find('\0');
    out.emplace_back(input.substr(0, end));
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  }
  return out;
}

long long number(const std::string& s, long long low, long long high) {
  long long n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n < low ? low : n > high ? high : n;
}

// True when the HTML5 parser builds an element from `html` read as a fragment.
bool builds_element(std::string_view html) {
  if (html.find('<') == std::string_view::npos) return false;  // only "<" opens a tag
  fg::parse::Document doc;
  bool found = false;
  fg::parse::walk(*doc.parse_fragment(html), [&](fg::parse::Node& n) {
    found = found || n.is_element();
    return !found;
  });
  return found;
}

void check_xml(const std::string& xml) {
  if (fg::xml_safe_utf8(xml) != xml) __builtin_trap();  // XML 1.0 characters, valid UTF-8
  pugi::xml_document doc;
  if (!doc.load_string(xml.c_str())) __builtin_trap();
}

void check_inert(const char* value) {
  if (builds_element(value)) __builtin_trap();
}

void check_rss(const std::string& xml) {
  check_xml(xml);
  pugi::xml_document doc;
  doc.load_string(xml.c_str());
  const pugi::xml_node channel = doc.child("rss").child("channel");
  check_inert(channel.child_value("title"));
  check_inert(channel.child_value("description"));
  for (pugi::xml_node item : channel.children("item")) {
    for (const char* field : {"title", "description", "dc:creator"}) {
      check_inert(item.child_value(field));
    }
  }
}

void check_atom(const std::string& xml) {
  check_xml(xml);
  pugi::xml_document doc;
  doc.load_string(xml.c_str());
  const pugi::xml_node feed = doc.child("feed");
  check_inert(feed.child_value("title"));
  check_inert(feed.child("author").child_value("name"));
  for (pugi::xml_node entry : feed.children("entry")) {
    check_inert(entry.child_value("title"));
    check_inert(entry.child_value("summary"));
    check_inert(entry.child("author").child_value("name"));
  }
}

void check_json(const std::string& text) {
  if (!fg::is_valid_utf8(text) || !nlohmann::json::accept(text)) __builtin_trap();
  const auto j = nlohmann::json::parse(text);
  for (const auto& item : j["items"]) {
    for (const char* field : {"title", "summary", "content_text"}) {
      if (item.contains(field)) check_inert(item[field].get<std::string>().c_str());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<std::string> f =
      fields(std::string_view(reinterpret_cast<const char*>(data), size));
  fg::render::FeedItem item;
  fg::Article& a = item.article;
  a.url = f[0], a.title = f[1], a.author = f[2], a.source = f[3], a.editor = f[4];
  a.language = f[5], a.site_name = f[6], a.content_html = f[7], a.text = f[8];
  if (!f[11].empty()) {
    // Years 1900 to 9999: what a stored publication time can hold.
    const auto seconds = std::chrono::seconds(number(f[11], -2208988800LL, 253402300799LL));
    a.published =
        fg::PublishedTime{fg::Timestamp{seconds}, std::chrono::minutes(number(f[12], -1439, 1439))};
  }
  item.first_seen = fg::Timestamp{std::chrono::seconds(1700000000)};
  item.updated = item.first_seen;
  fg::render::FeedItem other = item;  // a second item that disagrees on language and site
  other.article.language = "en";
  other.article.content_html.clear();

  fg::render::FeedInfo info;
  info.id = "fuzz";
  info.title = f[9];
  info.description = f[10];
  info.source_url = a.url;
  info.self_base = "http://127.0.0.1:8080";
  info.updated = item.first_seen;
  for (const auto& list : {std::vector{item}, std::vector{item, other}}) {
    check_rss(fg::render::render_rss(info, list));
    check_atom(fg::render::render_atom(info, list));
    check_json(fg::render::render_json_feed(info, list));
  }
  return 0;
}
