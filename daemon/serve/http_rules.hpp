#pragma once
// The HTTP decisions of the server, free of Beast so they can be unit-tested cheaply: content
// negotiation, conditional requests, routing, and the plan of each reply.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "serve/handler.hpp"
#include "serve/site.hpp"

namespace fg::serve {

// Longest request target we answer; longer ones get 414.
inline constexpr std::size_t kMaxTargetLength = 2048;

// Whether an Accept-Encoding value lets us send gzip (q-values honoured, "*" counts, an explicit
// identity preferred over gzip wins). Absent header: false, identity is the safe default.
bool accepts_gzip(std::optional<std::string_view> accept_encoding);

// The coding to send, among those the resource has (`have_gzip`, `have_br`): the one the client
// weighs highest by q-value ("*" stands for codings it does not name; identity is acceptable
// unless refused with q=0 or by "*;q=0"); ties go to the smaller (br, then gzip).
Coding choose_coding(std::optional<std::string_view> accept_encoding, bool have_gzip, bool have_br);

// Whether an If-None-Match value ("*" or a list of entity tags, W/ weak ones compared weakly)
// matches the representation's tag. Malformed lists match nothing.
bool if_none_match_matches(std::string_view if_none_match, std::string_view etag);

// Whether an If-Modified-Since value shows the client's copy is current (date ≥ last_modified).
// Unparseable dates: false, so the full body is sent.
bool not_modified_since(std::string_view if_modified_since, Timestamp last_modified);

// The path a target names: query and fragment dropped, absolute-form reduced to its path.
std::string_view route_path(std::string_view target);

// The N of a `limit=N` query parameter (1 ≤ N ≤ 100000); nullopt when absent or malformed.
std::optional<std::size_t> limit_parameter(std::string_view target);

// What the server reads from a request.
struct RequestInfo {
  std::string_view method{};  // "GET", as sent
  std::string_view target{};  // "/feeds/demo.atom?x=1"
  std::optional<std::string_view> accept_encoding{};
  std::optional<std::string_view> if_none_match{};
  std::optional<std::string_view> if_modified_since{};
};

// A range of a BodyFile to send with sendfile(2); fd -1: nothing.
struct FileSlice {
  int fd = -1;
  std::uint64_t offset = 0;
  std::size_t length = 0;
};

// What the server sends back, before Date, Server and Connection are added.
struct Reply {
  int status = 200;
  std::string_view route = "other";  // metrics label, see route_label()
  // Header lines serialized in advance ("Name: value\r\n"...), pointing into `resource`; when
  // empty, `headers` (and `content_length`) are formatted by the server.
  std::string_view head;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::shared_ptr<const Resource> resource;                  // keeps `body` alive while written
  std::shared_ptr<const std::string> owned;                  // a body made for this request
  std::string_view body;       // bytes to send: empty for HEAD and 304
  std::string_view body_tail;  // sent right after `body` (?limit=N replies)
  // Sent after the bytes above, from the Resource's BodyFile (which `resource` keeps open).
  FileSlice file[2];
  std::optional<std::size_t> content_length;  // the Content-Length to announce, if any
  bool close = false;                         // close the connection after sending

  std::size_t body_bytes() const {
    return body.size() + body_tail.size() + file[0].length + file[1].length;
  }
};

class ShapedCache;

// The reply to a well-formed request against a site snapshot. Shaped feed variants are kept
// in `shaped` (none kept when null).
Reply plan_reply(const RequestInfo& request, const Site& site, ShapedCache* shaped = nullptr);

// Whether a target's query holds a parameter other than `limit` (which the server answers
// itself): only then is the Site's Shaping asked, so plain requests cost nothing more.
bool asks_for_shaping(std::string_view target);

// The reply a Handler made, with Content-Length and Cache-Control: no-store (and no body for
// HEAD).
Reply plan_handler_reply(HandlerReply answer, bool head);

// Whether a request must be answered by the Site's Hub with its body read: a POST to /websub
// while the site has a hub.
bool is_hub_request(std::string_view method, std::string_view target, const Site& site);

// The reply to such a request, whose body is `form` (at most kMaxHubFormBytes).
Reply plan_hub_reply(std::string_view content_type, std::string_view form, const Site& site);

// A short text/plain error reply (400, 413, 414, 431, ...) after which the connection closes.
Reply plan_error(int status);

}  // namespace fg::serve
