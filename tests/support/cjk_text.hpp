#pragma once
// Text for generated items (benchmarks), varied like real Chinese news.

#include <cstdint>
#include <string>

namespace fg::test {

// `chars` common ideographs drawn from `seed` (advanced), a comma every 23 and a full stop at
// the end: varied Chinese text, so that gzip shrinks it about as much as real news.
inline std::string cjk_text(std::uint32_t& seed, int chars) {
  std::string out;
  for (int k = 0; k < chars; ++k) {
    seed = seed * 1664525u + 1013904223u;
    const std::uint32_t cp = 0x4E00 + (seed >> 8) % 2500;
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
    if (k % 23 == 22) out += "，";
  }
  return out + "。";
}

}  // namespace fg::test
