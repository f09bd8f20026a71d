// libFuzzer target for serve's request -> reply decision (plan_reply), against a site of real
// rendered feeds (RSS, Atom, JSON; three items each, so ?limit=N cuts them) and archive pages.
// Input, one field per line: method, target, Accept-Encoding, If-None-Match, If-Modified-Since;
// a missing line is a missing header. Checks: a valid status; no CR or LF in any header (no
// response splitting from the target); Content-Length equals the bytes sent; HEAD and 304 send
// no body; a 200 identity feed, whole or cut by ?limit, is well-formed XML or valid JSON.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "render/render.hpp"
#include "serve/http_rules.hpp"
#include "serve/prepare.hpp"
#include "serve/server.hpp"

namespace {

using fg::serve::Reply;

std::vector<fg::render::FeedItem> items() {
  std::vector<fg::render::FeedItem> list;
  for (int i = 1; i <= 3; ++i) {
    fg::render::FeedItem item;
    item.article.url = "http://news.example.com/a/" + std::to_string(i) + ".html";
    item.article.title = "标题 " + std::to_string(i) + " & <b>";
    item.article.content_html = "<p>正文 &amp; &lt;" + std::to_string(i) + "&gt;</p>";
    item.article.text = "正文 & <" + std::to_string(i) + ">";
    item.first_seen = fg::Timestamp{std::chrono::hours(24 * 18000 + i)};
    list.push_back(item);
  }
  return list;
}

const fg::serve::Site& site() {
  static const fg::serve::Site built = [] {
    fg::render::FeedInfo info;
    info.id = "demo";
    info.title = "演示";
    info.source_url = "http://news.example.com/";
    info.self_base = "http://127.0.0.1:8080";
    info.updated = fg::Timestamp{std::chrono::hours(24 * 18000)};
    const auto list = items();
    fg::serve::Site s;
    const auto add = [&](const char* path, const char* type, std::string body) {
      s.resources[path] = fg::serve::make_resource(type, std::move(body), info.updated, 60);
    };
    add("/feeds/demo.rss", "application/rss+xml; charset=utf-8", render_rss(info, list));
    add("/feeds/demo.atom", "application/atom+xml; charset=utf-8", render_atom(info, list));
    add("/feeds/demo.json", "application/feed+json; charset=utf-8", render_json_feed(info, list));
    add("/", "text/html; charset=utf-8", "<!doctype html><title>feedgate</title>");
    info.archive_page = 1;
    std::vector<fg::serve::ArchiveInput> formats;
    formats.push_back({"atom",
                       "application/atom+xml; charset=utf-8",
                       {render_atom(info, list), render_atom(info, {})}});
    s.archives["/feeds/demo/archive/"] =
        fg::serve::make_archive(1, std::move(formats), info.updated, 86400, nullptr);
    return s;
  }();
  return built;
}

bool has_line_break(std::string_view s) {
  return s.find('\r') != std::string_view::npos || s.find('\n') != std::string_view::npos;
}

// Header lines of the pre-serialized block: each "Name: value\r\n", no bare CR or LF.
bool head_well_formed(std::string_view head) {
  while (!head.empty()) {
    const std::size_t eol = head.find("\r\n");
    if (eol == std::string_view::npos || has_line_break(head.substr(0, eol))) return false;
    if (head.substr(0, eol).find(": ") == std::string_view::npos) return false;
    head.remove_prefix(eol + 2);
  }
  return true;
}

bool identity_coded(const Reply& reply) {
  if (reply.head.find("Content-Encoding:") != std::string_view::npos) return false;
  for (const auto& [name, value] : reply.headers) {
    if (name == "Content-Encoding") return false;
  }
  return true;
}

void check_document(std::string_view path, const std::string& body) {
  if (path.ends_with(".json")) {
    if (!nlohmann::json::accept(body)) __builtin_trap();
  } else if (path.ends_with(".rss") || path.ends_with(".atom")) {
    pugi::xml_document doc;
    if (!doc.load_buffer(body.data(), body.size())) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  while (lines.size() < 5 && !input.empty()) {
    const std::size_t eol = input.find('\n');
    lines.push_back(input.substr(0, eol));
    input.remove_prefix(eol == std::string_view::npos ? input.size() : eol + 1);
  }
  if (lines.size() < 2) return 0;
  const auto line = [&](std::size_t i) -> std::optional<std::string_view> {
    if (i < lines.size()) return lines[i];
    return std::nullopt;
  };
  fg::serve::RequestInfo request{lines[0], lines[1], line(2), line(3), line(4)};
  const Reply reply = fg::serve::plan_reply(request, site());

  if (reply.status < 100 || reply.status > 599) __builtin_trap();
  if (!head_well_formed(reply.head)) __builtin_trap();
  for (const auto& [name, value] : reply.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value)) __builtin_trap();
  }
  // Every byte is read so AddressSanitizer sees a body that outlived what owns it.
  std::string body(reply.body);
  body.append(reply.body_tail);
  if (reply.file[0].fd != -1 || reply.file[1].fd != -1) __builtin_trap();  // all in memory here
  const bool bodiless = request.method == "HEAD" || reply.status == 304;
  if (bodiless && !body.empty()) __builtin_trap();
  if (!bodiless && reply.content_length && *reply.content_length != body.size()) __builtin_trap();
  if (request.method == "GET" && reply.status == 200 && identity_coded(reply)) {
    check_document(fg::serve::route_path(request.target), body);
  }
  return 0;
}
