#include "store/content_hash.hpp"

#include <array>

namespace fg::store::detail {

namespace {

constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// Little-endian bytes, fixed width, so the hash does not depend on the host.
std::uint64_t mix_integer(std::uint64_t state, std::uint64_t value) {
  std::array<char, 8> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  }
  return fnv1a_64(std::string_view(bytes.data(), bytes.size()), state);
}

std::uint64_t mix_field(std::uint64_t state, std::string_view field) {
  return fnv1a_64(field, mix_integer(state, field.size()));
}

}  // namespace

std::uint64_t fnv1a_64(std::string_view bytes, std::uint64_t state) {
  for (char c : bytes) {
    state ^= static_cast<unsigned char>(c);
    state *= kFnvPrime;
  }
  return state;
}

std::string content_hash(const Article& article) {
  std::uint64_t h = fnv1a_64({});
  h = mix_field(h, article.url);
  h = mix_field(h, article.title);
  // A presence flag first, so "no date" differs from the epoch with offset zero.
  h = mix_integer(h, article.published ? 1 : 0);
  if (article.published) {
    h = mix_integer(h,
                    static_cast<std::uint64_t>(article.published->utc.time_since_epoch().count()));
    h = mix_integer(h, static_cast<std::uint64_t>(article.published->offset.count()));
  }
  h = mix_field(h, article.author);
  h = mix_field(h, article.source);
  h = mix_field(h, article.editor);
  h = mix_field(h, article.content_html);
  h = mix_field(h, article.text);

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[h & 0xf];
    h >>= 4;
  }
  return out;
}

}  // namespace fg::store::detail
