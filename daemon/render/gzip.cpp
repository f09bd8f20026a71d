// gzip via zlib's deflate with a gzip wrapper (windowBits 15 + 16).
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <string>

#include "render/render.hpp"

namespace fg::render {

namespace {

struct DeflateStream {
  z_stream zs{};
  bool ok = false;
  DeflateStream() {
    ok = deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~DeflateStream() {
    if (ok) deflateEnd(&zs);
  }
  DeflateStream(const DeflateStream&) = delete;
  DeflateStream& operator=(const DeflateStream&) = delete;
};

}  // namespace

std::string gzip(const std::string& data) {
  DeflateStream s;
  if (!s.ok) return {};  // only when zlib cannot allocate its state
  std::string out;
  char buffer[16384];
  std::size_t consumed = 0;
  int rc = Z_OK;
  // Feed input in uInt-sized pieces: avail_in is 32-bit even where size_t is not.
  while (rc != Z_STREAM_END) {
    if (s.zs.avail_in == 0 && consumed < data.size()) {
      const std::size_t piece = std::min<std::size_t>(data.size() - consumed, UINT_MAX);
      s.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      s.zs.avail_in = static_cast<uInt>(piece);
      consumed += piece;
    }
    const int flush = consumed == data.size() ? Z_FINISH : Z_NO_FLUSH;
    s.zs.next_out = reinterpret_cast<Bytef*>(buffer);
    s.zs.avail_out = sizeof buffer;
    rc = deflate(&s.zs, flush);
    if (rc == Z_STREAM_ERROR) return {};
    out.append(buffer, sizeof buffer - s.zs.avail_out);
  }
  return out;
}

}  // namespace fg::render
