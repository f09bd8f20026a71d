#pragma once
// Internal: byte-order marks. (Header and <meta> sniffing are public in decode.hpp.)

#include <cstddef>
#include <string_view>

namespace fg::decode {

struct Bom {
  std::string_view charset;  // "utf-8", "utf-16le", "utf-16be"; empty when there is no BOM
  std::size_t length = 0;    // bytes the BOM occupies
};

// The BOM at the start of `bytes`, if any.
Bom detect_bom(std::string_view bytes);

}  // namespace fg::decode
