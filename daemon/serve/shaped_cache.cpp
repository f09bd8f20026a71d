#include "serve/shaped_cache.hpp"

namespace fg::serve {
namespace {

std::string entry_id(std::string_view path, const Resource& plain, std::string_view key) {
  std::string id;
  id.reserve(path.size() + plain.etag.size() + key.size() + 2);
  id.append(path).append("\n").append(plain.etag).append("\n").append(key);
  return id;
}

std::size_t cost(const Resource& r, std::size_t id_bytes) {
  std::size_t bytes = sizeof(Resource) + id_bytes + r.body.size() + r.body_gzip.size() +
                      r.body_br.size() + r.content_type.size();
  for (int i = 0; i < kCodings; ++i) bytes += r.head_200[i].size();
  return bytes;
}

}  // namespace

std::shared_ptr<const Resource> ShapedCache::find(std::string_view path, const Resource& plain,
                                                  std::string_view key, Timestamp now) {
  const std::string id = entry_id(path, plain, key);
  std::lock_guard lock(mutex_);
  const auto found = index_.find(id);
  if (found == index_.end()) return nullptr;
  const Lru::iterator it = found->second;
  if (it->expires && now >= *it->expires) {
    erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it);
  return it->resource;
}

void ShapedCache::put(std::string_view path, const Resource& plain, std::string_view key,
                      const ShapedVariant& variant) {
  if (!variant.resource) return;
  Entry entry;
  entry.id = entry_id(path, plain, key);
  entry.path_length = path.size();
  entry.plain_etag = plain.etag;
  entry.resource = variant.resource;
  entry.expires = variant.expires;
  entry.bytes = cost(*variant.resource, entry.id.size());
  if (entry.bytes > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (const auto found = index_.find(entry.id); found != index_.end()) erase(found->second);
  lru_.push_front(std::move(entry));
  index_.emplace(lru_.front().id, lru_.begin());
  bytes_ += lru_.front().bytes;
  while (bytes_ > max_bytes_) erase(std::prev(lru_.end()));
}

void ShapedCache::update(std::string_view path, const Resource& plain, std::string_view key,
                         const Resource* from, std::shared_ptr<const Resource> upgraded) {
  const std::string id = entry_id(path, plain, key);
  const std::size_t bytes = cost(*upgraded, id.size());
  std::lock_guard lock(mutex_);
  const auto found = index_.find(id);
  if (found == index_.end() || found->second->resource.get() != from) return;
  const Lru::iterator it = found->second;
  bytes_ = bytes_ - it->bytes + bytes;
  it->bytes = bytes;
  it->resource = std::move(upgraded);
  while (bytes_ > max_bytes_) erase(std::prev(lru_.end()));
}

void ShapedCache::drop_stale(const Site& site) {
  std::lock_guard lock(mutex_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    const auto next = std::next(it);
    const auto plain = site.resources.find(std::string_view(it->id).substr(0, it->path_length));
    if (plain == site.resources.end() || !plain->second || plain->second->etag != it->plain_etag) {
      erase(it);
    }
    it = next;
  }
}

void ShapedCache::erase(Lru::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->id);
  lru_.erase(it);
}

std::size_t ShapedCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t ShapedCache::size() const {
  std::lock_guard lock(mutex_);
  return lru_.size();
}

}  // namespace fg::serve
