#pragma once
// Durations ("90s", "15m", "1h30m") and sizes ("512KiB", "8MiB") as written in configs.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace fg {

// Parses a duration: one or more <integer><unit> groups with units ms, s, m, h, d.
// "90s", "15m", "1h30m". Errc::parse with an explanatory message otherwise.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

// Parses a size: <integer>[B|KB|KiB|MB|MiB|GB|GiB] (KB = 1000, KiB = 1024). A bare number is bytes.
Result<std::uint64_t> parse_size(std::string_view text);

// "15m", "1h30m", "90s": the shortest spelling parse_duration accepts.
std::string format_duration(std::chrono::milliseconds d);

}  // namespace fg
