#include "core/units.hpp"

#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

namespace fg {

namespace {

// Splits "15m" into its leading digits and the rest; false when there are no digits.
bool split_number(std::string_view& text, std::uint64_t& number) {
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (ec != std::errc{}) return false;
  text.remove_prefix(i);
  return true;
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  using std::chrono::milliseconds;
  static constexpr std::pair<std::string_view, std::int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  const std::string original(text);
  auto bad = [&](const std::string& why) {
    return make_error(Errc::parse, "invalid duration \"" + original + "\": " + why +
                                       " (write e.g. 90s, 15m, 1h30m)");
  };
  if (text.empty()) return bad("empty");
  std::int64_t total = 0;
  while (!text.empty()) {
    std::uint64_t n = 0;
    if (!split_number(text, n)) return bad("expected a number");
    std::size_t len = 0;
    while (len < text.size() && std::isalpha(static_cast<unsigned char>(text[len]))) ++len;
    const std::string_view unit = text.substr(0, len);
    if (unit.empty()) return bad("missing unit (ms, s, m, h or d)");
    std::int64_t scale = 0;
    for (const auto& [name, ms] : kUnits) {
      if (unit == name) scale = ms;
    }
    if (scale == 0) return bad("unknown unit \"" + std::string(unit) + "\"");
    if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / scale / 2)) {
      return bad("too large");
    }
    total += static_cast<std::int64_t>(n) * scale;
    text.remove_prefix(len);
  }
  return milliseconds{total};
}

Result<std::uint64_t> parse_size(std::string_view text) {
  static constexpr std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"", 1},          {"B", 1},         {"KB", 1000},         {"KiB", 1024},
      {"MB", 1000'000}, {"MiB", 1 << 20}, {"GB", 1000'000'000}, {"GiB", 1ull << 30}};
  const std::string original(text);
  std::uint64_t n = 0;
  if (!split_number(text, n)) {
    return make_error(Errc::parse, "invalid size \"" + original +
                                       "\": expected a number followed by B, KiB, MiB or GiB");
  }
  for (const auto& [name, scale] : kUnits) {
    if (text == name) {
      if (n > std::numeric_limits<std::uint64_t>::max() / scale) break;
      return n * scale;
    }
  }
  return make_error(Errc::parse, "invalid size \"" + original +
                                     "\": unknown unit (use B, KB, KiB, MB, MiB, GB or GiB)");
}

std::string format_duration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  std::int64_t s = ms / 1000;
  std::string out;
  if (s >= 86400 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s >= 3600) {
    out += std::to_string(s / 3600) + "h";
    s %= 3600;
  }
  if (s >= 60) {
    out += std::to_string(s / 60) + "m";
    s %= 60;
  }
  if (s > 0) out += std::to_string(s) + "s";
  return out;
}

}  // namespace fg
