#pragma once
// Feed variants a reader asks for with query parameters ("/feeds/x.atom?filter_title=...&opencc=
// s2t"). The server knows no feed items, so whoever published the Site prepares them through
// its Shaping; the server caches what it prepared (ServerOptions::shaped_cache_bytes) under
// the path, the plain Resource's ETag and the normalized parameters, and answers a variant like
// any Resource: codings, conditional requests, HEAD and Cache-Control alike.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "serve/site.hpp"

namespace fg::serve {

// What a query asks of a feed.
struct ShapeQuery {
  enum class Verdict {
    plain,    // nothing to shape (no parameter it knows, or `limit` alone): the plain feed
    variant,  // `key` names the variant
    refused,  // a value it cannot take: 400 with `message`
  };
  Verdict verdict = Verdict::plain;
  std::string key;      // the normalized parameters: the same variant always has the same key
  std::string message;  // one line, naming the parameter
};

struct ShapedVariant {
  std::shared_ptr<const Resource> resource;  // null: served plain, or refused when `refusal`
  std::optional<Timestamp> expires;          // prepared anew after this (filter_time ages items)
  // Why the parameters cannot be applied after all (a pattern the engine rejects, found when
  // compiling it rather than when reading the query): 400 with this message, nothing cached.
  std::string refusal;
};

class Shaping {
 public:
  virtual ~Shaping() = default;
  // Reads the query (without "?") of a request for `path`, a resource of the Site; called on
  // the serving thread for every request whose query carries more than `limit`, so it must be
  // cheap and must not block. Paths it does not shape (the status page) answer plain.
  virtual ShapeQuery read(std::string_view path, std::string_view query) const = 0;
  // Prepares variant `key` of the feed at `path`, whose plain Resource is `plain` (use
  // make_variant). Called once per variant until it leaves the cache.
  virtual ShapedVariant prepare(std::string_view path, const std::string& key,
                                const Resource& plain) const = 0;
};

// A Resource holding `body`, a variant of `plain` (same type, Last-Modified and max-age) whose
// strong ETags derive from plain's and from `variant` instead of from hashing the body: a
// variant changes exactly when the plain feed or the parameters do. Its gzip and brotli codings
// are left pending: the server prepares each when a reader first asks for it (with faster
// settings than make_resource, since that reader waits), so a first request costs one
// compression, or none.
// `link`: the variant's Link header (Resource::link; its self is not the plain feed's).
std::shared_ptr<const Resource> make_variant(const Resource& plain, std::string_view variant,
                                             std::string body, std::string link = {});

}  // namespace fg::serve
