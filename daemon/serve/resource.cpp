// make_resource: validators and the gzip variant, computed once per publish, not per request.

#include <brotli/encode.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "core/log.hpp"
#include "serve/item_offsets.hpp"
#include "serve/prepare.hpp"
#include "serve/shaped_cache.hpp"
#include "serve/shaping.hpp"

namespace fg::serve {
namespace {

// Bodies smaller than this gain too little from gzip to be worth a second variant.
constexpr std::size_t kMinGzipBytes = 256;

// 64-bit FNV-1a: fast, stable across runs and platforms, good enough for a validator.
std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string hex16(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

// Level 6 for feeds, not 9: on a 270 KB Atom feed 9 takes 11.8 ms against 8.6 ms for 0.3% fewer
// bytes.
constexpr int kGzipLevel = 6;
constexpr int kBrotliQuality = 6;  // see brotli()
// Shaped variants are compressed while their first reader waits: the fast end of each scale.
constexpr int kVariantGzipLevel = 1;
constexpr int kVariantBrotliQuality = 2;

// gzip (RFC 1952) of `body`; empty when zlib fails, which only means no gzip variant.

std::string gzip(std::string_view body, int level) {
  z_stream zs{};
  // windowBits 15 + 16 asks zlib for a gzip wrapper rather than raw zlib.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(body.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  zs.avail_in = static_cast<uInt>(body.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string{};
}

// Brotli (RFC 7932) of `body`; empty when the encoder fails. Feeds are re-encoded after every poll
// that changes them, so quality 6: on a 270 KB Atom feed it takes 8 ms where 9 takes 144 ms, for
// 1.2% more bytes (tests/bench/extract measures this "compress" cost per article).
std::string brotli(std::string_view body, int quality) {
  std::size_t size = BrotliEncoderMaxCompressedSize(body.size());
  if (size == 0) return {};
  std::string out(size, '\0');
  const bool ok =
      BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, body.size(),
                            reinterpret_cast<const std::uint8_t*>(body.data()), &size,
                            reinterpret_cast<std::uint8_t*>(out.data()));
  if (!ok) return {};
  out.resize(size);
  return out;
}

void add(std::string& head, std::string_view name, std::string_view value) {
  head.append(name).append(": ").append(value).append("\r\n");
}

// Set while body files cannot be written, so a full disk logs one line, not one per feed.
std::atomic<bool> g_bodies_failing{false};

// Moves the bodies into one region of `bodies`' file; on failure they stay in memory.
void move_to_file(Resource& r, const BodyDir& bodies) {
  auto file = bodies.write({r.body, r.body_gzip, r.body_br});
  if (!file) {
    if (!g_bodies_failing.exchange(true)) {
      log::warning("serve_bodies_in_memory" + log::kv("error", file.error().describe()));
    }
    return;
  }
  if (g_bodies_failing.exchange(false))
    log::info("serve_bodies_in_files" + log::kv("dir", bodies.path()));
  std::uint64_t offset = (*file)->offset();
  for (int i = 0; i < kCodings; ++i) {
    r.spans[i] = {offset, r.body_for(static_cast<Coding>(i)).size()};
    offset += r.spans[i].length;
  }
  r.file = std::move(*file);
  // Not clear(): the capacity itself must go back to the allocator.
  std::string().swap(r.body);
  std::string().swap(r.body_gzip);
  std::string().swap(r.body_br);
}

}  // namespace

std::string strong_etag(std::string_view body) {
  return "\"" + hex16(fnv1a(body)) + "\"";
}

void serialize_heads(Resource& r) {
  static constexpr std::string_view kCodingNames[kCodings] = {"", "gzip", "br"};
  const std::string cache = "public, max-age=" + std::to_string(r.max_age);
  const std::string modified =
      r.last_modified != Timestamp{} ? format_http_date(r.last_modified) : std::string{};
  for (int i = 0; i < kCodings; ++i) {
    const auto coding = static_cast<Coding>(i);
    std::string common;
    if (!r.etag_for(coding).empty()) add(common, "ETag", r.etag_for(coding));
    if (!modified.empty()) add(common, "Last-Modified", modified);
    add(common, "Cache-Control", cache);
    add(common, "Vary", "Accept-Encoding");
    std::string full;
    add(full, "Content-Type", r.content_type);
    if (i != 0) add(full, "Content-Encoding", kCodingNames[i]);
    add(full, "Content-Length", std::to_string(r.size_for(coding)));
    if (!r.link.empty()) add(full, "Link", r.link);
    r.head_304_at[i] = static_cast<std::uint32_t>(full.size());
    r.head_200[i] = full + common;
  }
}

namespace {

constexpr std::uint8_t bit(Coding c) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(c));
}

// Feeds are far below zlib's 4 GiB uInt limit; larger bodies simply go uncompressed.
bool worth_compressing(std::string_view body) {
  return body.size() >= kMinGzipBytes && body.size() < (1ULL << 31);
}

// The `coding` variant of `body` where it is worth it, tagged after `tag` (the identity ETag
// without its quotes); `effort` is the gzip level or brotli quality.
void add_coding(Resource& r, Coding coding, std::string_view body, std::string_view tag,
                int effort) {
  if (!worth_compressing(body)) return;
  const bool is_gzip = coding == Coding::gzip;
  std::string packed = is_gzip ? gzip(body, effort) : brotli(body, effort);
  if (packed.empty() || packed.size() >= body.size()) return;
  (is_gzip ? r.body_gzip : r.body_br) = std::move(packed);
  (is_gzip ? r.etag_gzip : r.etag_br) = "\"" + std::string(tag) + (is_gzip ? "-gz\"" : "-br\"");
}

}  // namespace

std::shared_ptr<const Resource> make_variant(const Resource& plain, std::string_view variant,
                                             std::string body, std::string link) {
  auto resource = std::make_shared<Resource>();
  // The plain tag without quotes (and without a weak prefix, which make_resource never writes).
  const std::string_view plain_tag =
      std::string_view(plain.etag)
          .substr(plain.etag.empty() ? 0 : 1, plain.etag.size() < 2 ? 0 : plain.etag.size() - 2);
  resource->etag = "\"" + std::string(plain_tag) + "-" + hex16(fnv1a(variant)) + "\"";
  if (worth_compressing(body)) resource->pending = bit(Coding::gzip) | bit(Coding::br);
  resource->content_type = plain.content_type;
  resource->body = std::move(body);
  resource->last_modified = plain.last_modified;
  resource->max_age = plain.max_age;
  resource->link = std::move(link);
  serialize_heads(*resource);
  return resource;
}

std::shared_ptr<const Resource> with_coding(const Resource& variant, Coding coding) {
  auto resource = std::make_shared<Resource>(variant);
  resource->pending &= static_cast<std::uint8_t>(~bit(coding));
  if (coding != Coding::identity) {
    const std::string_view tag = std::string_view(variant.etag).substr(1, variant.etag.size() - 2);
    add_coding(*resource, coding, resource->body, tag,
               coding == Coding::gzip ? kVariantGzipLevel : kVariantBrotliQuality);
  }
  serialize_heads(*resource);
  return resource;
}

std::shared_ptr<const Resource> make_resource(std::string content_type, std::string body,
                                              Timestamp last_modified, int max_age, bool compress,
                                              const BodyDir* bodies, std::string link) {
  auto resource = std::make_shared<Resource>();
  resource->etag = strong_etag(body);
  if (compress) {
    const std::string tag = resource->etag.substr(1, 16);
    add_coding(*resource, Coding::gzip, body, tag, kGzipLevel);
    add_coding(*resource, Coding::br, body, tag, kBrotliQuality);
  }
  resource->item_ends = find_item_ends(body, content_type);
  resource->content_type = std::move(content_type);
  resource->body = std::move(body);
  resource->last_modified = last_modified;
  resource->max_age = max_age;
  resource->link = std::move(link);
  if (bodies) move_to_file(*resource, *bodies);
  serialize_heads(*resource);
  return resource;
}

Result<std::string> identity_body(const Resource& r) {
  if (!r.file) return r.body;
  std::string out(r.spans[0].length, '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(r.file->fd(), out.data() + done, out.size() - done,
                              static_cast<off_t>(r.spans[0].offset + done));
    if (n <= 0) {
      return make_error(Errc::io, std::string("cannot read a feed body back: ") +
                                      (n == 0 ? "file too short" : std::strerror(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
  return out;
}

}  // namespace fg::serve
