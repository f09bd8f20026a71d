// Dates written against the time the page was read: 刚刚, 3小时前, 昨天 14:30, "2 days ago", and
// the dates a list page shows beside its links.

#include "core/text.hpp"
#include "extract/date_scan.hpp"
#include "extract/dates.hpp"
#include "extract/lexicon.hpp"
#include "extract/links.hpp"
#include "extract/zone_time.hpp"

namespace fg::extract {

namespace {

namespace lx = lexicon;
using date_scan::consume;
using date_scan::Fields;
using date_scan::is_digit;
using date_scan::read_number;
using date_scan::skip_spaces;
using std::chrono::seconds;

constexpr seconds kDay = std::chrono::hours{24};

// The moment a page was read: the instant, and the wall clock in the feed's zone then.
struct ReadAt {
  std::string_view zone;
  Timestamp fetched;
  seconds local{};  // wall-clock seconds since 1970-01-01T00:00
};

seconds floor_to(seconds t, seconds unit) {
  seconds rest = t % unit;
  if (rest.count() < 0) rest += unit;
  return t - rest;
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// An English word must stand alone: "ago" not in "Chicago", "min" not in "admin".
bool word_at(std::string_view s, std::size_t i, std::string_view word) {
  if (s.substr(i, word.size()) != word) return false;
  const bool ascii = !word.empty() && is_alpha(word.front());
  if (!ascii) return true;
  const bool before = i == 0 || !is_alpha(s[i - 1]);
  const std::size_t end = i + word.size();
  return before && (end == s.size() || !is_alpha(s[end]));
}

// An instant kept to `keep` of its wall-clock time (the minute, the hour), in its own offset so a
// clock change around it cannot move it by an hour.
std::optional<PublishedTime> kept_to(const ReadAt& at, Timestamp instant, seconds keep,
                                     TimePrecision precision) {
  const std::optional<seconds> local = zone_time::local_of(at.zone, instant);
  if (!local) return std::nullopt;
  const seconds offset = *local - instant.time_since_epoch();
  const seconds dropped = *local - floor_to(*local, keep);
  return PublishedTime{instant - dropped, std::chrono::duration_cast<std::chrono::minutes>(offset),
                       precision};
}

// The day `days_back` days before the page was read, at `time_of_day` (or at midnight, with day
// precision, when the page gave none). Calendar days, so a clock change does not shift them.
std::optional<PublishedTime> on_day(const ReadAt& at, long long days_back,
                                    std::optional<seconds> time_of_day) {
  const seconds day = floor_to(at.local, kDay) - kDay * days_back;
  if (!time_of_day) return zone_time::at_local(at.zone, day, TimePrecision::day);
  return zone_time::at_local(at.zone, day + *time_of_day, TimePrecision::time);
}

std::optional<PublishedTime> aged(const ReadAt& at, long long n, const lx::AgeUnit& unit) {
  if (unit.precision == TimePrecision::day) return on_day(at, n * (unit.length / kDay), {});
  const seconds keep = unit.precision == TimePrecision::hour ? std::chrono::hours{1} : unit.length;
  return kept_to(at, at.fetched - unit.length * n, keep, unit.precision);
}

// "3小时前", "3 小时前", "5 minutes ago", "an hour ago" at s[i].
std::optional<PublishedTime> read_age(std::string_view s, std::size_t i, const ReadAt& at) {
  int n = 1;
  std::size_t j = i;
  if (is_digit(s[i])) {
    if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.')) return std::nullopt;
    if (!read_number(s, j, 1, 4, n)) return std::nullopt;
  } else if (word_at(s, i, "an")) {
    j += 2;
  } else if (word_at(s, i, "a")) {
    j += 1;
  } else {
    return std::nullopt;
  }
  j = skip_spaces(s, j, 1);
  for (const lx::AgeUnit& unit : lx::kAgeUnitsZh) {
    if (is_digit(s[i]) && s.substr(j, unit.word.size()) == unit.word) return aged(at, n, unit);
  }
  for (const lx::AgeUnit& unit : lx::kAgeUnitsEn) {
    if (!word_at(s, j, unit.word)) continue;
    std::size_t k = skip_spaces(s, j + unit.word.size(), 1);
    if (k > j + unit.word.size() && word_at(s, k, "ago")) return aged(at, n, unit);
  }
  return std::nullopt;
}

// "今天 14:30", "昨天14:30", "yesterday at 3:30 pm", "前天", "yesterday" at s[i].
std::optional<PublishedTime> read_named_day(std::string_view s, std::size_t i, const ReadAt& at) {
  for (const lx::NamedDay& named : lx::kNamedDays) {
    if (!word_at(s, i, named.word)) continue;
    const std::size_t end = i + named.word.size();
    std::size_t t = skip_spaces(s, end, 2);
    if (consume(s, t, "at")) t = skip_spaces(s, t, 2);
    consume(s, t, ",");
    t = skip_spaces(s, t, 1);
    Fields f;
    if (date_scan::read_time(s, t, f)) {
      date_scan::read_meridiem(s, t, f);
      const seconds tod =
          std::chrono::hours{f.hour} + std::chrono::minutes{f.minute} + seconds{f.second};
      return on_day(at, named.days_back, tod);
    }
    // "昨天下午", "今天的", "today's": a word that goes on is not a date.
    std::size_t k = end;
    if (k < s.size() && (s[k] == '\'' || is_han(next_code_point(s, k)))) return std::nullopt;
    return on_day(at, named.days_back, {});
  }
  return std::nullopt;
}

std::optional<PublishedTime> read_relative(std::string_view s, std::size_t i, const ReadAt& at) {
  for (std::string_view word : lx::kJustNow) {
    if (word_at(s, i, word)) return kept_to(at, at.fetched, seconds{1}, TimePrecision::time);
  }
  if (consume(s, i, lx::kHalfHourAgo)) {
    return kept_to(at, at.fetched - std::chrono::minutes{30}, std::chrono::minutes{1},
                   TimePrecision::time);
  }
  if (auto t = read_named_day(s, i, at)) return t;
  return read_age(s, i, at);
}

// A line that may hold a relative date: short, and not a Chinese sentence.
bool date_line(std::string_view line) {
  std::size_t chars = 0;
  for (char c : trim(line)) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  if (chars > lx::kRelativeLineMaxChars) return false;
  for (std::string_view mark : lx::kProseMarks) {
    if (line.find(mark) != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

PublishedTime not_after(const PublishedTime& t, Timestamp fetched) {
  if (t.utc <= fetched) return t;
  return PublishedTime{fetched, t.offset, TimePrecision::time};
}

std::optional<PublishedTime> find_relative_date(std::string_view text, std::string_view zone,
                                                Timestamp fetched) {
  const std::optional<seconds> local = zone_time::local_of(zone, fetched);
  if (!local) return std::nullopt;
  const ReadAt at{zone, fetched, *local};
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view raw = text.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    if (!date_line(raw)) continue;
    const std::string line = ascii_lower(date_scan::normalize_width(raw));
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (auto t = read_relative(line, i, at)) return not_after(*t, fetched);
    }
  }
  return std::nullopt;
}

std::optional<PublishedTime> find_list_date(std::string_view text, std::string_view zone,
                                            Timestamp fetched) {
  DateReading reading(zone);
  reading.fetched = fetched;
  std::optional<PublishedTime> t = find_date(text, reading);
  if (!t) t = find_yearless_date(text, reading, fetched);
  if (!t) t = find_yearless_day(text, reading, fetched);
  if (!t) return std::nullopt;
  return not_after(*t, fetched);
}

}  // namespace fg::extract
