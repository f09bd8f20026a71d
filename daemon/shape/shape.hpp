#pragma once
// Feeds shaped the way a reader asks: RSSHub's common query parameters (filter*, filterout*,
// filter_case_sensitive, filter_time, limit, brief, opencc) read into a ShapeSpec, compiled once
// (RE2 patterns, an OpenCC converter) and applied to a feed's items before they are rendered.
// Used for "?filter_title=..." on a feed URL and for a feed's `filter:`/`opencc:` in the config.

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "render/render.hpp"

namespace fg::shape {

// Longest pattern accepted, in bytes (RSSHub has none; ours keeps a compiled pattern small).
inline constexpr std::size_t kMaxPatternBytes = 256;
// Smallest `brief` (as in RSSHub: shorter summaries say nothing).
inline constexpr std::size_t kMinBrief = 100;

// What a pattern is matched against.
enum class Field {
  title_or_description,  // `filter`, `filterout`: either one matching counts
  title,
  description,  // the item's plain text (not its markup)
  author,
};

struct Pattern {
  Field field = Field::title;
  bool exclude = false;  // filterout*: a match drops the item
  std::string regex;     // RE2 syntax, UTF-8
  friend bool operator==(const Pattern&, const Pattern&) = default;
};

// Everything a request or a config asks of one feed. Default-constructed: nothing changes.
struct ShapeSpec {
  std::vector<Pattern> patterns;  // every include pattern must match, no exclude pattern may
  bool case_sensitive = true;     // RSSHub's default
  std::optional<std::chrono::seconds> max_age;  // filter_time: published within this long
  std::optional<std::size_t> limit;             // at most this many items, after filtering
  std::optional<std::size_t> brief;             // content becomes a text summary this long
  std::string opencc;                           // "s2t", ...; empty: no conversion

  bool empty() const;
  // The same spec always gives the same string, whatever order or spelling the query used
  // ("filter_title=a&opencc=s2t"); a cache key and part of a variant's ETag.
  std::string normalized() const;
  friend bool operator==(const ShapeSpec&, const ShapeSpec&) = default;
};

// The OpenCC conversions offered (the names of Debian libopencc-data's configs).
inline constexpr std::array<std::string_view, 8> kOpenccConversions = {
    "s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp"};
bool is_opencc_name(std::string_view name);
// Loads every offered conversion now (tens of milliseconds each, once per process; about 20 MiB
// for all eight), so that no reader's first request waits for it. For a background thread at
// start-up; a conversion that cannot load is left to fail where it is asked for.
void preload_opencc();

// Reads a URL query ("filter_title=%E6%9D%AD&opencc=s2t", without "?"). Unknown parameters are
// ignored, as RSSHub does; a value it cannot take gives Errc::invalid_argument whose message
// names the parameter (answered 400). The first of repeated parameters counts.
Result<ShapeSpec> parse_query(std::string_view query);

// A ShapeSpec ready to run: patterns compiled by RE2 (linear time: no pattern stalls a thread),
// the OpenCC converter loaded. Immutable once built, so shared by threads.
class Shaper {
 public:
  // Errc::invalid_argument naming the parameter ("filter_title: ...") for a pattern that is
  // longer than kMaxPatternBytes or that RE2 rejects, or an unknown opencc name; Errc::io when
  // OpenCC's data files cannot be read (libopencc-data missing).
  static Result<std::shared_ptr<const Shaper>> compile(const ShapeSpec& spec);
  ~Shaper();

  // Keeps the items the spec lets through, in order, then converts and trims them. `now` is
  // the clock filter_time reads.
  std::vector<render::FeedItem> apply(std::vector<render::FeedItem> items, Timestamp now) const;
  // The feed's own title and description, converted like the items' text.
  void apply(render::FeedInfo& info) const;
  // The time after which apply() would drop one more of these items because of filter_time,
  // given `now`; nullopt when nothing ever ages out (no filter_time, or no kept item).
  std::optional<Timestamp> next_expiry(const std::vector<render::FeedItem>& kept) const;

  const ShapeSpec& spec() const { return spec_; }

  struct Compiled;  // RE2 and OpenCC, kept out of this header

 private:
  Shaper(ShapeSpec spec, std::unique_ptr<Compiled> compiled);
  bool keeps(const render::FeedItem& item, Timestamp now) const;
  ShapeSpec spec_;
  std::unique_ptr<Compiled> compiled_;
};

// The date filter_time and the feed's order go by: published, else first seen.
Timestamp shown_time(const render::FeedItem& item);

// The first `max_chars` code points of `text`, cut at a code point and ending with "…" when
// anything was cut (the ellipsis counts as one of them).
std::string brief_text(std::string_view text, std::size_t max_chars);

// `html` with the text between its tags converted by OpenCC config `name`, tags, attributes,
// comments and entity references untouched. Errc::io when the converter cannot load.
Result<std::string> convert_html(std::string_view name, std::string_view html);
// Plain text converted by OpenCC config `name`.
Result<std::string> convert_text(std::string_view name, std::string_view text);

}  // namespace fg::shape
