#pragma once
// Private to the store: how both backends read back a stored publication-time precision.

#include <cstdint>

#include "core/time.hpp"

namespace fg::store::detail {

// The column holds static_cast<int64_t>(TimePrecision); an unknown number reads as full time.
inline TimePrecision precision_of(std::int64_t stored) {
  for (TimePrecision p : {TimePrecision::day, TimePrecision::month, TimePrecision::hour}) {
    if (stored == static_cast<std::int64_t>(p)) return p;
  }
  return TimePrecision::time;
}

}  // namespace fg::store::detail
