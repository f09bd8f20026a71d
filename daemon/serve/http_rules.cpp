#include "serve/http_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "serve/http_metrics.hpp"
#include "serve/item_offsets.hpp"
#include "serve/shaped_cache.hpp"
#include "serve/shaping.hpp"
#include "serve/websub.hpp"

namespace fg::serve {
namespace {

constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";
constexpr std::string_view kAllow = "GET, HEAD";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// A qvalue per RFC 9110 12.4.2: "0", "0.5", "1", "1.000"; nullopt when malformed.
std::optional<double> parse_qvalue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  double value = text[0] - '0';
  if (text.size() == 1) return value;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  double scale = 0.1;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    value += (c - '0') * scale;
    scale /= 10;
  }
  return value > 1.0 ? std::nullopt : std::optional<double>(value);
}

// The weight of one Accept-Encoding element ("gzip;q=0.5"); a malformed q counts as refusal.
double element_weight(std::string_view params) {
  double q = 1.0;
  while (!params.empty()) {
    auto semi = params.find(';');
    auto param = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      q = parse_qvalue(trim(param.substr(2))).value_or(0.0);
    }
  }
  return q;
}

std::string_view opaque_tag(std::string_view tag) {
  return tag.starts_with("W/") ? tag.substr(2) : tag;
}

bool is_standard_method(std::string_view method) {
  static constexpr std::array<std::string_view, 9> kMethods = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  return std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end();
}

Reply text_reply(int status, std::string_view text, bool head) {
  Reply reply;
  reply.status = status;
  reply.headers.emplace_back("Content-Type", kTextPlain);
  reply.headers.emplace_back("Cache-Control", "no-store");
  if (status == 405) reply.headers.emplace_back("Allow", kAllow);
  reply.content_length = text.size();
  if (!head) reply.body = text;
  return reply;
}

// While the site is being filled at start-up: come back in a second (RFC 9110 §15.6.4).
Reply starting_reply(bool head) {
  Reply reply = text_reply(503, "starting\n", head);
  reply.headers.emplace_back("Retry-After", "1");
  return reply;
}

bool is_fresh(const RequestInfo& request, const Resource& r, std::string_view etag) {
  if (request.if_none_match) return if_none_match_matches(*request.if_none_match, etag);
  if (request.if_modified_since && r.last_modified != Timestamp{}) {
    return not_modified_since(*request.if_modified_since, r.last_modified);
  }
  return false;
}

// Headers formatted per request, for Resources built without serialize_heads().
void add_resource_headers(Reply& reply, const Resource& r, Coding coding, bool fresh) {
  static constexpr std::string_view kNames[kCodings] = {"", "gzip", "br"};
  const std::string& etag = r.etag_for(coding);
  // A 304 carries the validators and caching headers but no representation metadata.
  if (!fresh) reply.headers.emplace_back("Content-Type", r.content_type);
  if (!fresh && coding != Coding::identity) {
    reply.headers.emplace_back("Content-Encoding", kNames[static_cast<int>(coding)]);
  }
  if (!etag.empty()) reply.headers.emplace_back("ETag", etag);
  if (r.last_modified != Timestamp{}) {
    reply.headers.emplace_back("Last-Modified", format_http_date(r.last_modified));
  }
  reply.headers.emplace_back("Cache-Control", "public, max-age=" + std::to_string(r.max_age));
  reply.headers.emplace_back("Vary", "Accept-Encoding");
  if (!fresh) reply.content_length = r.size_for(coding);
}

// GET or HEAD of a known resource: negotiation, then the conditional headers. No allocation
// when the Resource carries its header blocks.
Reply plan_resource(const RequestInfo& request, std::shared_ptr<const Resource> resource) {
  const Resource& r = *resource;
  const Coding coding =
      choose_coding(request.accept_encoding, r.has(Coding::gzip), r.has(Coding::br));
  const int index = static_cast<int>(coding);
  const bool fresh = is_fresh(request, r, r.etag_for(coding));
  Reply reply;
  reply.status = fresh ? 304 : 200;
  const std::string_view head = fresh ? r.head_304(coding) : r.head_200[index];
  if (!head.empty()) {
    reply.head = head;
  } else {
    add_resource_headers(reply, r, coding, fresh);
  }
  if (!fresh && request.method == "GET") {
    if (r.file) {
      reply.file[0] = {r.file->fd(), r.spans[index].offset, r.spans[index].length};
    } else {
      reply.body = r.body_for(coding);
    }
  }
  reply.resource = std::move(resource);
  return reply;
}

// `?limit=N` below the item count: the identity body cut after N items, with its own strong
// validator (the bytes are a function of the full body and N).
Reply plan_limited(const RequestInfo& request, std::shared_ptr<const Resource> resource,
                   std::size_t limit) {
  const Resource& r = *resource;
  // The cut points are offsets into the identity body, wherever that body lives.
  const std::size_t first_end = r.item_ends[limit - 1], tail_start = r.item_ends.back();
  const std::size_t size = r.size_for(Coding::identity);
  const std::string etag =
      r.etag.substr(0, r.etag.size() - 1) + "-l" + std::to_string(limit) + "\"";
  const bool fresh = is_fresh(request, r, etag);
  Reply reply;
  reply.status = fresh ? 304 : 200;
  if (!fresh) reply.headers.emplace_back("Content-Type", r.content_type);
  reply.headers.emplace_back("ETag", etag);
  if (r.last_modified != Timestamp{}) {
    reply.headers.emplace_back("Last-Modified", format_http_date(r.last_modified));
  }
  reply.headers.emplace_back("Cache-Control", "public, max-age=" + std::to_string(r.max_age));
  reply.headers.emplace_back("Vary", "Accept-Encoding");
  if (!fresh) {
    reply.content_length = first_end + (size - tail_start);
    if (request.method == "GET" && r.file) {
      const std::uint64_t at = r.spans[0].offset;
      reply.file[0] = {r.file->fd(), at, first_end};
      reply.file[1] = {r.file->fd(), at + tail_start, size - tail_start};
    } else if (request.method == "GET") {
      const BodySlices slices = limit_items(r.body, r.item_ends, limit);
      reply.body = slices.first;
      reply.body_tail = slices.second;
    }
  }
  reply.resource = std::move(resource);
  return reply;
}

// A feed variant the query asks for, from the cache or prepared now; nullopt: the plain feed.
std::optional<Reply> plan_shaped(const RequestInfo& request, const Site& site,
                                 std::string_view path,
                                 const std::shared_ptr<const Resource>& plain, ShapedCache* cache) {
  std::string_view query = request.target.substr(request.target.find('?') + 1);
  query = query.substr(0, query.find('#'));
  const ShapeQuery asked = site.shaping->read(path, query);
  if (asked.verdict == ShapeQuery::Verdict::plain) return std::nullopt;
  const auto refuse = [&](const std::string& message) {
    auto text = std::make_shared<const std::string>(message + "\n");
    Reply reply = text_reply(400, *text, request.method == "HEAD");
    reply.owned = std::move(text);
    return reply;
  };
  if (asked.verdict == ShapeQuery::Verdict::refused) return refuse(asked.message);
  std::shared_ptr<const Resource> variant =
      cache ? cache->find(path, *plain, asked.key, now_seconds()) : nullptr;
  if (!variant) {
    ShapedVariant prepared;
    try {
      prepared = site.shaping->prepare(path, asked.key, *plain);
    } catch (const std::exception&) {
      return text_reply(500, "this feed cannot be shaped now\n", request.method == "HEAD");
    }
    if (!prepared.refusal.empty()) return refuse(prepared.refusal);
    if (!prepared.resource) return std::nullopt;
    if (cache) cache->put(path, *plain, asked.key, prepared);
    variant = std::move(prepared.resource);
  }
  // The coding this reader is sent, compressed now if no reader has asked for it before. The
  // choice counts pending codings as available, so it is the one every coding prepared in
  // advance would have given (a coding found not worth it is dropped and the choice made anew).
  while (variant->pending != 0) {
    const auto open = [&](Coding c) {
      return variant->has(c) || (variant->pending & (1u << static_cast<int>(c))) != 0;
    };
    const Coding wanted =
        choose_coding(request.accept_encoding, open(Coding::gzip), open(Coding::br));
    if ((variant->pending & (1u << static_cast<int>(wanted))) == 0) break;
    auto upgraded = with_coding(*variant, wanted);
    if (cache) cache->update(path, *plain, asked.key, variant.get(), upgraded);
    variant = std::move(upgraded);
  }
  return plan_resource(request, std::move(variant));
}

Reply metrics_reply(bool head) {
  Reply reply;
  auto text = std::make_shared<const std::string>(metrics_text());
  reply.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.content_length = text->size();
  if (!head) reply.body = *text;
  reply.owned = std::move(text);
  return reply;
}

}  // namespace

namespace {

struct Weights {
  std::optional<double> gzip, br, star, identity;
};

Weights parse_accept_encoding(std::string_view rest) {
  Weights w;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto element = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    auto semi = element.find(';');
    auto name = trim(element.substr(0, semi));
    double q = semi == std::string_view::npos ? 1.0 : element_weight(element.substr(semi + 1));
    if (iequals(name, "gzip") || iequals(name, "x-gzip")) {
      w.gzip = q;
    } else if (iequals(name, "br")) {
      w.br = q;
    } else if (name == "*") {
      w.star = q;
    } else if (iequals(name, "identity")) {
      w.identity = q;
    }
  }
  return w;
}

}  // namespace

Coding choose_coding(std::optional<std::string_view> accept_encoding, bool have_gzip,
                     bool have_br) {
  if (!accept_encoding) return Coding::identity;
  const Weights w = parse_accept_encoding(*accept_encoding);
  const double br = have_br ? w.br.value_or(w.star.value_or(0.0)) : 0.0;
  const double gzip = have_gzip ? w.gzip.value_or(w.star.value_or(0.0)) : 0.0;
  // Identity is always acceptable unless refused explicitly, but named codings beat it.
  const double identity = w.identity.value_or(w.star && *w.star == 0.0 ? 0.0 : 0.001);
  if (br > 0.0 && br >= gzip && br >= identity) return Coding::br;
  if (gzip > 0.0 && gzip >= identity) return Coding::gzip;
  return Coding::identity;
}

bool accepts_gzip(std::optional<std::string_view> accept_encoding) {
  return choose_coding(accept_encoding, true, false) == Coding::gzip;
}

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag) {
  if (etag.empty()) return false;
  std::string_view rest = trim(if_none_match);
  if (rest == "*") return true;
  const std::string_view wanted = opaque_tag(etag);
  while (true) {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t' || rest.front() == ','))
      rest.remove_prefix(1);
    if (rest.empty()) return false;
    if (rest.starts_with("W/")) rest.remove_prefix(2);
    if (rest.empty() || rest.front() != '"') return false;
    auto close = rest.find('"', 1);
    if (close == std::string_view::npos) return false;
    if (rest.substr(0, close + 1) == wanted) return true;
    rest.remove_prefix(close + 1);
  }
}

bool not_modified_since(std::string_view if_modified_since, Timestamp last_modified) {
  auto since = parse_http_date(trim(if_modified_since));
  return since && last_modified <= *since;
}

std::string_view route_path(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (istarts_with(target, scheme)) {
      auto slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view{"/"} : target.substr(slash);
      break;
    }
  }
  return target.substr(0, target.find_first_of("?#"));
}

Reply plan_reply(const RequestInfo& request, const Site& site, ShapedCache* shaped) {
  const bool head = request.method == "HEAD";
  if (request.target.size() > kMaxTargetLength) {
    Reply reply = plan_error(414);
    if (head) reply.body = {};  // a reply to HEAD carries no content, an error's neither
    return reply;
  }
  const bool readable = head || request.method == "GET";
  const std::string_view path = route_path(request.target);
  if (path == "/metrics") {
    Reply reply = readable ? metrics_reply(head) : text_reply(405, "method not allowed\n", head);
    reply.route = "metrics";
    return reply;
  }
  if (path == "/healthz") {
    Reply reply = !readable       ? text_reply(405, "method not allowed\n", head)
                  : site.starting ? starting_reply(head)
                                  : text_reply(200, "ok\n", head);
    reply.route = "healthz";
    return reply;
  }
  if (path == "/websub" && site.hub) {
    // POST is answered by plan_hub_reply once its body is read.
    Reply reply = text_reply(405, "use POST with hub.mode, hub.topic and hub.callback\n", head);
    reply.headers.emplace_back("Allow", "POST");
    reply.route = "websub";
    return reply;
  }
  const auto found = site.resources.find(path);
  std::shared_ptr<const Resource> resource =
      found == site.resources.end() ? nullptr : found->second;
  if (!resource && !site.archives.empty()) {
    if (auto page = find_archive_page(site, path)) {
      Reply reply = readable ? plan_resource(request, std::move(page))
                             : text_reply(405, "method not allowed\n", head);
      reply.route = route_label(path);
      return reply;
    }
  }
  if (!resource && readable && site.renderer) {
    try {
      resource = site.renderer->render(path);
    } catch (const std::exception&) {
      return text_reply(500, "this feed cannot be rendered now\n", head);
    }
  }
  if (!resource) {
    // An unknown method is refused as such even where the path is unknown too.
    if (readable && site.starting) return starting_reply(head);
    if (readable || is_standard_method(request.method)) return text_reply(404, "not found\n", head);
    return text_reply(405, "method not allowed\n", head);
  }
  if (readable && site.shaping && asks_for_shaping(request.target)) {
    if (auto reply = plan_shaped(request, site, path, resource, shaped)) {
      reply->route = route_label(path);
      return std::move(*reply);
    }
  }
  const auto limit = limit_parameter(request.target);
  const auto& ends = resource->item_ends;
  Reply reply = !readable                       ? text_reply(405, "method not allowed\n", head)
                : limit && *limit < ends.size() ? plan_limited(request, resource, *limit)
                                                : plan_resource(request, resource);
  reply.route = route_label(path);
  return reply;
}

bool is_hub_request(std::string_view method, std::string_view target, const Site& site) {
  return method == "POST" && site.hub && route_path(target) == "/websub" &&
         target.size() <= kMaxTargetLength;
}

Reply plan_hub_reply(std::string_view content_type, std::string_view form, const Site& site) {
  HubAnswer answer;
  try {
    answer = site.hub->request(content_type, form, site);
  } catch (const std::exception&) {
    answer = {500, "the hub cannot take requests now"};
  }
  auto text = std::make_shared<const std::string>(answer.text + "\n");
  Reply reply = text_reply(answer.status, *text, false);
  reply.owned = std::move(text);
  reply.route = "websub";
  return reply;
}

bool asks_for_shaping(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return false;
  std::string_view query = target.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (!pair.empty() && !pair.starts_with("limit=")) return true;
  }
  return false;
}

std::optional<std::size_t> limit_parameter(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (!pair.starts_with("limit=")) continue;
    const std::string_view digits = pair.substr(6);
    if (digits.empty() || digits.size() > 6) return std::nullopt;
    std::size_t n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n >= 1 && n <= 100000 ? std::optional<std::size_t>(n) : std::nullopt;
  }
  return std::nullopt;
}

Reply plan_handler_reply(HandlerReply answer, bool head) {
  Reply reply;
  reply.status = answer.status;
  reply.headers.emplace_back("Content-Type", std::move(answer.content_type));
  reply.headers.emplace_back("Cache-Control", "no-store");
  for (auto& header : answer.headers) reply.headers.push_back(std::move(header));
  auto body = std::make_shared<const std::string>(std::move(answer.body));
  reply.content_length = body->size();
  if (!head) reply.body = *body;
  reply.owned = std::move(body);
  return reply;
}

Reply plan_error(int status) {
  std::string_view text = "bad request\n";
  if (status == 413) text = "request body not allowed\n";
  if (status == 414) text = "request target too long\n";
  if (status == 431) text = "request header fields too large\n";
  Reply reply = text_reply(status, text, false);
  reply.close = true;
  return reply;
}

}  // namespace fg::serve
