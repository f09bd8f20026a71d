#include "config/feed_shape.hpp"

#include <re2/re2.h>

#include <algorithm>

namespace fg::config::detail {
namespace {

constexpr std::string_view kFilterKeys[] = {"include", "exclude", "case_sensitive", "max_age"};
constexpr std::string_view kPatternKeys[] = {"any", "title", "description", "author"};
// The same names and limit as the opencc and filter_* query parameters (shape/shape.hpp).
constexpr std::string_view kOpenccNames[] = {"s2t",  "t2s",  "s2tw",  "tw2s",
                                             "s2hk", "hk2s", "s2twp", "tw2sp"};
constexpr std::size_t kMaxPatternBytes = 256;
constexpr std::int64_t kMaxPatternMemory = 2 << 20;

std::optional<std::string> read_pattern(Reporter& r, const Entry& e, std::string_view where) {
  auto text = read_string(r, e);
  if (!text || text->empty()) return text;
  const std::string name = std::string(where) + "." + e.name;
  if (text->size() > kMaxPatternBytes) {
    r.at_value(e.key, e.value,
               name + ": pattern longer than " + std::to_string(kMaxPatternBytes) + " bytes");
    return std::nullopt;
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxPatternMemory);
  const RE2 compiled(*text, options);
  if (!compiled.ok()) {
    r.at_value(e.key, e.value,
               name + ": invalid regular expression \"" + *text + "\": " + compiled.error() +
                   " (RE2 syntax: no backreferences or lookaround)");
    return std::nullopt;
  }
  return text;
}

void read_patterns(Reporter& r, const Entry& parent, FeedFilter::Patterns& out) {
  const std::string where = "filter." + parent.name;
  for (const Entry& e : mapping_entries(r, parent.key, parent.value, where, kPatternKeys)) {
    auto pattern = read_pattern(r, e, where);
    if (!pattern) continue;
    if (e.name == "any") out.any = *pattern;
    if (e.name == "title") out.title = *pattern;
    if (e.name == "description") out.description = *pattern;
    if (e.name == "author") out.author = *pattern;
  }
}

}  // namespace

void read_feed_filter(Reporter& r, const Entry& section, FeedFilter& out) {
  for (const Entry& e : mapping_entries(r, section.key, section.value, "filter", kFilterKeys)) {
    if (e.name == "include") read_patterns(r, e, out.include);
    if (e.name == "exclude") read_patterns(r, e, out.exclude);
    if (e.name == "case_sensitive") {
      if (auto v = read_bool(r, e)) out.case_sensitive = *v;
    }
    if (e.name == "max_age") {
      if (auto v = read_duration(r, e, std::chrono::seconds(1))) out.max_age = *v;
    }
  }
}

std::optional<std::string> read_opencc(Reporter& r, const Entry& e) {
  auto text = read_string(r, e);
  if (!text) return std::nullopt;
  if (text->empty() || std::find(std::begin(kOpenccNames), std::end(kOpenccNames), *text) !=
                           std::end(kOpenccNames)) {
    return text;
  }
  r.at_value(e.key, e.value,
             "opencc: unknown conversion \"" + *text +
                 "\"; use s2t, t2s, s2tw, tw2s, s2hk, hk2s, s2twp or tw2sp");
  return std::nullopt;
}

}  // namespace fg::config::detail
