// parse_query and ShapeSpec::normalized: RSSHub's common parameters in, one canonical string out.

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/url.hpp"
#include "shape/shape.hpp"

namespace fg::shape {
namespace {

// The pattern parameters, in the order normalized() writes them.
struct PatternParameter {
  std::string_view name;
  Field field;
  bool exclude;
};
constexpr std::array<PatternParameter, 8> kPatternParameters = {{
    {"filter", Field::title_or_description, false},
    {"filter_title", Field::title, false},
    {"filter_description", Field::description, false},
    {"filter_author", Field::author, false},
    {"filterout", Field::title_or_description, true},
    {"filterout_title", Field::title, true},
    {"filterout_description", Field::description, true},
    {"filterout_author", Field::author, true},
}};

// Longest filter_time accepted: a century, far from overflowing a Timestamp in seconds.
constexpr std::uint64_t kMaxAgeSeconds = 100ull * 366 * 24 * 3600;
constexpr std::uint64_t kMaxLimit = 100000;

Error bad(std::string_view name, std::string message) {
  return make_error(Errc::invalid_argument, std::string(name) + ": " + std::move(message), "query");
}

// A decimal integer in [min, max]; nullopt for anything else (signs, spaces, overflow).
std::optional<std::uint64_t> read_number(std::string_view text, std::uint64_t min,
                                         std::uint64_t max) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n < min || n > max) return std::nullopt;
  return n;
}

// Sets what parameter `name` says in `spec`; false when `name` is not a shaping parameter.
Result<bool> read_parameter(std::string_view name, const std::string& value, ShapeSpec& spec) {
  for (const PatternParameter& p : kPatternParameters) {
    if (name != p.name) continue;
    if (value.empty()) return true;  // "filter=" asks for nothing, as in RSSHub
    if (value.size() > kMaxPatternBytes) {
      return bad(name, "pattern longer than " + std::to_string(kMaxPatternBytes) + " bytes");
    }
    spec.patterns.push_back({p.field, p.exclude, value});
    return true;
  }
  if (name == "filter_case_sensitive") {
    if (value != "true" && value != "false") return bad(name, "expected true or false");
    spec.case_sensitive = value == "true";
  } else if (name == "filter_time") {
    const auto n = read_number(value, 1, kMaxAgeSeconds);
    if (!n) return bad(name, "expected a number of seconds (1 or more)");
    spec.max_age = std::chrono::seconds(*n);
  } else if (name == "limit") {
    const auto n = read_number(value, 1, kMaxLimit);
    if (!n) return bad(name, "expected a number of items from 1 to 100000");
    spec.limit = *n;
  } else if (name == "brief") {
    const auto n = read_number(value, kMinBrief, kMaxLimit);
    if (!n) return bad(name, "expected a number of characters from 100 to 100000");
    spec.brief = *n;
  } else if (name == "opencc") {
    if (!is_opencc_name(value)) {
      return bad(name, "expected one of s2t, t2s, s2tw, tw2s, s2hk, hk2s, s2twp, tw2sp");
    }
    spec.opencc = value;
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool is_opencc_name(std::string_view name) {
  for (std::string_view known : kOpenccConversions) {
    if (name == known) return true;
  }
  return false;
}

bool ShapeSpec::empty() const {
  return patterns.empty() && !max_age && !limit && !brief && opencc.empty();
}

std::string ShapeSpec::normalized() const {
  std::string out;
  const auto add = [&out](std::string_view name, std::string_view value) {
    if (!out.empty()) out += '&';
    out.append(name).append("=").append(percent_encode(value));
  };
  for (const PatternParameter& p : kPatternParameters) {
    for (const Pattern& pattern : patterns) {
      if (pattern.field == p.field && pattern.exclude == p.exclude) add(p.name, pattern.regex);
    }
  }
  // Case sensitivity changes nothing without a pattern, so it is left out then.
  if (!case_sensitive && !patterns.empty()) add("filter_case_sensitive", "false");
  if (max_age) add("filter_time", std::to_string(max_age->count()));
  if (limit) add("limit", std::to_string(*limit));
  if (brief) add("brief", std::to_string(*brief));
  if (!opencc.empty()) add("opencc", opencc);
  return out;
}

Result<ShapeSpec> parse_query(std::string_view query) {
  ShapeSpec spec;
  std::vector<std::string> seen;
  query = query.substr(0, query.find('#'));
  for (const auto& [name, value] : query_parameters(query)) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;  // the first counts
    seen.push_back(name);
    auto known = read_parameter(name, value, spec);
    if (!known) return known.error();
  }
  return spec;
}

}  // namespace fg::shape
