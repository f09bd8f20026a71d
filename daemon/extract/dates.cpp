#include "extract/dates.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

#include "core/text.hpp"

namespace fg::extract {

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// The parts of a date as written, before any time zone is applied.
struct Fields {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  std::optional<minutes> offset;  // set only when the text states its offset
  bool has_time = false;
  bool swappable = false;  // "7/5/2005": day and month could be read the other way round
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Full-width digits and punctuation become ASCII so that one grammar covers both spellings;
// U+3000 and U+00A0 become plain spaces.
std::string normalize_width(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
      const auto c2 = static_cast<unsigned char>(s[i + 2]);
      if (c2 >= 0x8B && c2 <= 0x9A) {  // U+FF0B..U+FF1A: ＋ ， － ． ／ ０-９ ：
        out += static_cast<char>('+' + (c2 - 0x8B));
        i += 2;
        continue;
      }
    }
    if (c == 0xE3 && s.substr(i, 3) == "\xE3\x80\x80") {
      out += ' ';
      i += 2;
      continue;
    }
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      out += ' ';
      i += 1;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

// Reads min..max digits at s[i]; fails when there are fewer, or when more digits follow.
bool read_number(std::string_view s, std::size_t& i, int min_digits, int max_digits, int& out) {
  std::size_t j = i;
  int value = 0;
  while (j < s.size() && is_digit(s[j]) && static_cast<int>(j - i) < max_digits) {
    value = value * 10 + (s[j] - '0');
    ++j;
  }
  const int n = static_cast<int>(j - i);
  if (n < min_digits || (j < s.size() && is_digit(s[j]))) return false;
  out = value;
  i = j;
  return true;
}

bool consume(std::string_view s, std::size_t& i, std::string_view token) {
  if (s.substr(i, token.size()) != token) return false;
  i += token.size();
  return true;
}

std::size_t skip_spaces(std::string_view s, std::size_t i, std::size_t max) {
  std::size_t n = 0;
  while (i < s.size() && n < max && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    ++i, ++n;
  return i;
}

// "+08:00", "+0800", "-05:00" at s[i], as a signed offset.
std::optional<minutes> read_numeric_offset(std::string_view s, std::size_t& i) {
  if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return std::nullopt;
  const bool negative = s[i] == '-';
  std::size_t j = i + 1;
  int hh = 0, mm = 0;
  if (read_number(s, j, 4, 4, hh)) {  // "+0800"
    mm = hh % 100;
    hh /= 100;
  } else if (!read_number(s, j, 2, 2, hh) || !consume(s, j, ":") || !read_number(s, j, 2, 2, mm)) {
    return std::nullopt;
  }
  if (hh > 18 || mm > 59) return std::nullopt;
  i = j;
  const minutes total = hours{hh} + minutes{mm};
  return negative ? -total : total;
}

// The zone written after a time: "Z", "+08:00", " +0800", " GMT", "GMT+08:00".
std::optional<minutes> read_zone(std::string_view s, std::size_t& i) {
  if (i < s.size() && s[i] == 'Z' && (i + 1 == s.size() || !is_alpha(s[i + 1]))) {
    ++i;
    return minutes{0};
  }
  std::size_t j = skip_spaces(s, i, 1);
  if (auto off = read_numeric_offset(s, j)) {
    i = j;
    return off;
  }
  for (std::string_view name : {"GMT", "UTC", "UT"}) {
    std::size_t k = j;
    if (consume(s, k, name) && (k == s.size() || !is_alpha(s[k]))) {
      auto off = read_numeric_offset(s, k);  // "GMT+0800"
      i = k;
      return off ? *off : minutes{0};
    }
  }
  return std::nullopt;
}

// A time after a date: "01:17", "1:17:24", "01:17:24.123", "01时17分", "1点17分30秒",
// then an optional zone. Leaves f untouched and returns false when there is none.
bool read_time(std::string_view s, std::size_t& i, Fields& f) {
  std::size_t j = i;
  int h = 0, m = 0, sec = 0;
  if (!read_number(s, j, 1, 2, h)) return false;
  if (consume(s, j, ":")) {
    if (!read_number(s, j, 2, 2, m)) return false;
    std::size_t k = j;
    if (consume(s, k, ":") && read_number(s, k, 2, 2, sec)) {
      j = k;
      k = j;
      if ((consume(s, k, ".") || consume(s, k, ",")) && k < s.size() && is_digit(s[k])) {
        while (k < s.size() && is_digit(s[k])) ++k;  // fractional seconds are dropped
        j = k;
      }
    }
  } else if (consume(s, j, "时") || consume(s, j, "点")) {
    if (!read_number(s, j, 1, 2, m)) return false;
    consume(s, j, "分");
    std::size_t k = j;
    if (read_number(s, k, 1, 2, sec) && consume(s, k, "秒")) j = k;
  } else {
    return false;
  }
  if (h > 23 || m > 59 || sec > 60) return false;
  f.hour = h, f.minute = m, f.second = sec;
  f.has_time = true;
  f.offset = read_zone(s, j);
  i = j;
  return true;
}

// "2020-01-29", "2020/1/29", "2020.01.29", "2020年1月29日", each with an optional time.
std::optional<Fields> read_numeric_date(std::string_view s, std::size_t i) {
  Fields f;
  if (!read_number(s, i, 4, 4, f.year)) return std::nullopt;
  bool cjk = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
    const char sep = s[i++];
    if (!read_number(s, i, 1, 2, f.month) || i >= s.size() || s[i++] != sep ||
        !read_number(s, i, 1, 2, f.day)) {
      return std::nullopt;
    }
  } else {
    // "2020 年 1 月 29 日" also occurs: allow one space around each part.
    std::size_t j = skip_spaces(s, i, 1);
    if (!consume(s, j, "年")) return std::nullopt;
    j = skip_spaces(s, j, 1);
    if (!read_number(s, j, 1, 2, f.month)) return std::nullopt;
    j = skip_spaces(s, j, 1);
    if (!consume(s, j, "月")) return std::nullopt;
    j = skip_spaces(s, j, 1);
    if (!read_number(s, j, 1, 2, f.day)) return std::nullopt;
    j = skip_spaces(s, j, 1);
    if (!consume(s, j, "日") && !consume(s, j, "号")) return std::nullopt;
    i = j;
    cjk = true;
  }
  std::size_t t = i;
  if (t < s.size() && s[t] == 'T') {
    ++t;
  } else {
    const std::size_t after = skip_spaces(s, t, 3);
    if (after == t && !cjk) return f;  // "2020-01-29" must be followed by a break before a time
    t = after;
  }
  read_time(s, t, f);
  return f;
}

// RFC 822 / RFC 5322 "29 Jan 2020 01:17:24 +0800" (any weekday before it is ignored).
std::optional<Fields> read_rfc822_date(std::string_view s, std::size_t i) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  Fields f;
  if (!read_number(s, i, 1, 2, f.day)) return std::nullopt;
  std::size_t j = skip_spaces(s, i, 2);
  if (j == i) return std::nullopt;
  std::size_t end = j;
  while (end < s.size() && is_alpha(s[end])) ++end;
  if (end - j != 3) return std::nullopt;
  const std::string name = ascii_lower(s.substr(j, 3));
  for (std::size_t m = 0; m < kMonths.size(); ++m) {
    if (kMonths[m] == name) f.month = static_cast<int>(m) + 1;
  }
  if (f.month == 0) return std::nullopt;
  std::size_t k = skip_spaces(s, end, 2);
  if (k == end || !read_number(s, k, 4, 4, f.year)) return std::nullopt;
  std::size_t t = skip_spaces(s, k, 2);
  if (t != k) read_time(s, t, f);
  return f;
}

// "AM"/"PM" after a 12-hour time: 12 AM is midnight, 1 PM is 13:00.
void read_meridiem(std::string_view s, std::size_t i, Fields& f) {
  i = skip_spaces(s, i, 1);
  const std::string word = ascii_lower(s.substr(i, 2));
  const bool after = i + 2 >= s.size() || !is_alpha(s[i + 2]);
  if (!after || f.hour < 1 || f.hour > 12) return;
  if (word == "am" && f.hour == 12) f.hour = 0;
  if (word == "pm" && f.hour != 12) f.hour += 12;
}

// The English month named by the word that ends just before s[end] ("September", "Sep",
// "Sept."), or 0.
int month_named_before(std::string_view s, std::size_t end) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (end > 0 && s[end - 1] == '.') --end;
  std::size_t begin = end;
  while (begin > 0 && is_alpha(s[begin - 1])) --begin;
  const std::string word = ascii_lower(s.substr(begin, end - begin));
  if (word.size() < 3) return 0;
  for (std::size_t m = 0; m < kNames.size(); ++m) {
    const bool full = word == kNames[m];
    const bool abbreviated = word.size() <= 4 && kNames[m].starts_with(word);
    if (full || abbreviated) return static_cast<int>(m) + 1;
  }
  return 0;
}

// "September 10th, 2005 10:56 am", "Jan 29, 2020" (US style, the month named first): read from
// the day's first digit, with the month in the word before it.
std::optional<Fields> read_month_name_first(std::string_view s, std::size_t i) {
  Fields f;
  const std::size_t month_end = i > 0 && s[i - 1] == ' ' ? i - 1 : i;
  f.month = month_end == i ? 0 : month_named_before(s, month_end);
  if (f.month == 0 || !read_number(s, i, 1, 2, f.day)) return std::nullopt;
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (consume(s, i, suffix)) break;
  }
  consume(s, i, ",");
  std::size_t j = skip_spaces(s, i, 2);
  if (j == i || !read_number(s, j, 4, 4, f.year)) return std::nullopt;
  std::size_t t = j;
  consume(s, t, ",");
  t = skip_spaces(s, t, 3);
  if (consume(s, t, "at")) t = skip_spaces(s, t, 2);
  if (t == j || !read_time(s, t, f)) return f;
  read_meridiem(s, t, f);
  std::size_t z = skip_spaces(s, t, 1);  // "8:54 PM UTC": the zone follows the meridiem
  if (!f.offset &&
      (consume(s, z, "AM") || consume(s, z, "PM") || consume(s, z, "am") || consume(s, z, "pm"))) {
    f.offset = read_zone(s, z);
  }
  return f;
}

// "7/5/2005 9:23:57 PM" (month first unless the first number cannot be a month) and
// "5.7.2005 14:05" (day first, as in German and Russian), each followed by a time.
std::optional<Fields> read_day_month_year(std::string_view s, std::size_t i) {
  Fields f;
  int a = 0, b = 0;
  if (!read_number(s, i, 1, 2, a) || i >= s.size() || (s[i] != '/' && s[i] != '.')) {
    return std::nullopt;
  }
  const char sep = s[i++];
  if (!read_number(s, i, 1, 2, b) || i >= s.size() || s[i++] != sep ||
      !read_number(s, i, 4, 4, f.year)) {
    return std::nullopt;
  }
  const bool day_first = sep == '.' || a > 12;
  f.month = day_first ? b : a;
  f.day = day_first ? a : b;
  f.swappable = sep == '/' && a <= 12 && b <= 12 && a != b;
  // Only with a time: a bare "12/01/2004" is as often an archive range or a version as a date.
  std::size_t t = skip_spaces(s, i, 3);
  if (t == i || !read_time(s, t, f)) return std::nullopt;
  read_meridiem(s, t, f);
  return f;
}

// Located zones, by name; nullptr remembers a name the tz database does not know.
const date::time_zone* locate_cached(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, const date::time_zone*, std::less<>> cache;
  const std::lock_guard lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(name);
  } catch (const std::exception&) {
    zone = nullptr;  // unknown name, or no readable tz database
  }
  cache.emplace(std::string(name), zone);
  return zone;
}

std::optional<PublishedTime> to_published(const Fields& f, std::string_view timezone) {
  if (f.year < 1990 || f.year > 2100) return std::nullopt;
  const date::year_month_day ymd{date::year{f.year}, date::month{static_cast<unsigned>(f.month)},
                                 date::day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok()) return std::nullopt;
  const auto local = date::local_days{ymd} + hours{f.hour} + minutes{f.minute} + seconds{f.second};
  const TimePrecision precision = f.has_time ? TimePrecision::time : TimePrecision::day;
  if (f.offset) {
    const Timestamp utc{local.time_since_epoch() - *f.offset};
    return PublishedTime{utc, *f.offset, precision};
  }
  const date::time_zone* zone = locate_cached(timezone);
  if (zone == nullptr) return std::nullopt;
  try {
    const Timestamp utc = zone->to_sys(local, date::choose::earliest);
    const auto info = zone->get_info(utc);
    return PublishedTime{utc, std::chrono::duration_cast<minutes>(info.offset), precision};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

long long seconds_apart(const PublishedTime& a, const PublishedTime& b) {
  const auto d = (a.utc - b.utc).count();
  return d < 0 ? -d : d;
}

// "7/5/2005": the reading closest to the page's reference date, else the page's habit.
std::optional<PublishedTime> resolve_order(const Fields& as_written, const DateReading& reading) {
  Fields swapped = as_written;
  std::swap(swapped.month, swapped.day);
  const Fields& preferred = reading.order == DayMonthOrder::month_first ? as_written : swapped;
  const Fields& other = reading.order == DayMonthOrder::month_first ? swapped : as_written;
  auto first = to_published(preferred, reading.zone);
  auto second = to_published(other, reading.zone);
  if (!first || !second) return first ? first : second;
  const std::optional<PublishedTime> ref = reading.reference ? reading.reference() : std::nullopt;
  if (ref && seconds_apart(*second, *ref) < seconds_apart(*first, *ref)) return second;
  return first;
}

// "01-14 17:58", "1/14 17:58", "1月14日 17:58": month, day and a time, no year.
std::optional<Fields> read_month_day_time(std::string_view s, std::size_t i) {
  Fields f;
  if (!read_number(s, i, 1, 2, f.month) || i >= s.size()) return std::nullopt;
  if (s[i] == '-' || s[i] == '/') {
    ++i;
    if (!read_number(s, i, 2, 2, f.day)) return std::nullopt;
  } else if (!consume(s, i, "月") || !read_number(s, i, 1, 2, f.day) || !consume(s, i, "日")) {
    return std::nullopt;
  }
  std::size_t t = skip_spaces(s, i, 3);
  if (t == i && s.substr(i - 3, 3) != "日") return std::nullopt;
  if (!read_time(s, t, f) || f.month < 1 || f.month > 12) return std::nullopt;
  return f;
}

int local_year(const PublishedTime& t) {
  const date::year_month_day ymd{std::chrono::floor<std::chrono::days>(t.utc + t.offset)};
  return static_cast<int>(ymd.year());
}

// The year that puts month-day-time `f` closest to the reference, else in the year up to `now`.
std::optional<PublishedTime> with_year(Fields f, const DateReading& reading, Timestamp now) {
  const std::optional<PublishedTime> ref = reading.reference ? reading.reference() : std::nullopt;
  std::optional<PublishedTime> best;
  if (ref) {
    for (int year = local_year(*ref) - 1; year <= local_year(*ref) + 1; ++year) {
      f.year = year;
      auto t = to_published(f, reading.zone);
      if (t && (!best || seconds_apart(*t, *ref) < seconds_apart(*best, *ref))) best = t;
    }
    return best;
  }
  f.year = local_year(PublishedTime{now, {}});
  best = to_published(f, reading.zone);
  if (best && best->utc > now + std::chrono::hours(24)) {
    --f.year;
    best = to_published(f, reading.zone);
  }
  return best;
}

}  // namespace

Result<void> check_timezone(std::string_view iana_name) {
  if (locate_cached(iana_name) != nullptr) return {};
  return make_error(Errc::not_found,
                    "unknown time zone \"" + std::string(iana_name) +
                        "\": use an IANA name such as Asia/Shanghai (see /usr/share/zoneinfo)");
}

std::optional<PublishedTime> find_date(std::string_view text, const DateReading& reading) {
  const std::string s = normalize_width(text);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;
    std::optional<Fields> fields = read_numeric_date(s, i);
    if (!fields) fields = read_rfc822_date(s, i);
    if (!fields) fields = read_day_month_year(s, i);
    if (!fields) fields = read_month_name_first(s, i);
    if (!fields) continue;
    if (fields->swappable && reading.unambiguous_only) continue;
    if (fields->swappable) return resolve_order(*fields, reading);
    if (auto t = to_published(*fields, reading.zone)) return t;
  }
  return std::nullopt;
}

std::optional<PublishedTime> find_yearless_date(std::string_view text, const DateReading& reading,
                                                Timestamp now) {
  const std::string s = normalize_width(text);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool bounded =
        i == 0 || !(is_digit(s[i - 1]) || s[i - 1] == '-' || s[i - 1] == '/' || s[i - 1] == '.');
    if (!is_digit(s[i]) || !bounded) continue;
    if (std::optional<Fields> f = read_month_day_time(s, i)) return with_year(*f, reading, now);
  }
  return std::nullopt;
}

std::optional<PublishedTime> find_issue_month(std::string_view text, std::string_view timezone) {
  const std::string s = normalize_width(text);
  for (std::size_t close = s.find("》"); close != std::string::npos;
       close = s.find("》", close + 1)) {
    std::size_t i = skip_spaces(s, close + std::string_view("》").size(), 2);
    Fields f;
    f.day = 1;
    if (!read_number(s, i, 4, 4, f.year) || !consume(s, i, "年") ||
        !read_number(s, i, 1, 2, f.month) || !consume(s, i, "月号")) {
      continue;
    }
    if (auto t = to_published(f, timezone)) {
      t->precision = TimePrecision::month;
      return t;
    }
  }
  return std::nullopt;
}

}  // namespace fg::extract
