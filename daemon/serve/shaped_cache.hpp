#pragma once
// Internal to serve: the shaped variants prepared so far, least recently used dropped first,
// bounded in bytes; variants of a feed whose plain Resource changed are dropped at publish.

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "serve/shaping.hpp"
#include "serve/site.hpp"

namespace fg::serve {

// `variant` (from make_variant) with `coding` prepared: a copy that no longer has it pending, the
// same bytes and ETags whichever order its codings are prepared in.
std::shared_ptr<const Resource> with_coding(const Resource& variant, Coding coding);

class ShapedCache {
 public:
  explicit ShapedCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The variant `key` of `plain` at `path`, unless absent or expired at `now`.
  std::shared_ptr<const Resource> find(std::string_view path, const Resource& plain,
                                       std::string_view key, Timestamp now);
  // Keeps `variant` (when it fits at all), dropping the least recently used beyond the bound.
  void put(std::string_view path, const Resource& plain, std::string_view key,
           const ShapedVariant& variant);
  // Puts `upgraded` (with_coding of `from`) in place of `from`, keeping its expiry; nothing when
  // the entry is gone or holds another Resource by now (another reader's upgrade stands).
  void update(std::string_view path, const Resource& plain, std::string_view key,
              const Resource* from, std::shared_ptr<const Resource> upgraded);
  // Drops the variants whose feed is gone from `site` or has another plain Resource now.
  void drop_stale(const Site& site);

  std::size_t bytes() const;
  std::size_t size() const;

 private:
  struct Entry {
    std::string id;  // path, plain ETag and key, '\n'-separated
    std::size_t path_length = 0;
    std::string plain_etag;
    std::shared_ptr<const Resource> resource;
    std::optional<Timestamp> expires;
    std::size_t bytes = 0;
  };
  using Lru = std::list<Entry>;
  void erase(Lru::iterator it);

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  Lru lru_;                                                    // most recently used first
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views into Entry::id
  std::size_t bytes_ = 0;
};

}  // namespace fg::serve
