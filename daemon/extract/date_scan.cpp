#include "extract/date_scan.hpp"

#include <array>

#include "core/text.hpp"

namespace fg::extract::date_scan {

using std::chrono::hours;
using std::chrono::minutes;

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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

// The English month a word names, in any case: in full ("September") or by its first three or
// four letters ("Sep", "Sept"); else 0.
int month_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  const std::string word = ascii_lower(name);
  if (word.size() < 3) return 0;
  for (std::size_t m = 0; m < kNames.size(); ++m) {
    const bool full = word == kNames[m];
    const bool abbreviated = word.size() <= 4 && kNames[m].starts_with(word);
    if (full || abbreviated) return static_cast<int>(m) + 1;
  }
  return 0;
}

// The English month named by the word that ends just before s[end] ("September", "Sep",
// "Sept."), or 0.
int month_named_before(std::string_view s, std::size_t end) {
  if (end > 0 && s[end - 1] == '.') --end;
  std::size_t begin = end;
  while (begin > 0 && is_alpha(s[begin - 1])) --begin;
  return month_from_name(s.substr(begin, end - begin));
}

}  // namespace

bool is_digit(char c) {
  return c >= '0' && c <= '9';
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

// "AM"/"PM" after a 12-hour time: 12 AM is midnight, 1 PM is 13:00.
void read_meridiem(std::string_view s, std::size_t i, Fields& f) {
  i = skip_spaces(s, i, 1);
  const std::string word = ascii_lower(s.substr(i, 2));
  const bool after = i + 2 >= s.size() || !is_alpha(s[i + 2]);
  if (!after || f.hour < 1 || f.hour > 12) return;
  if (word == "am" && f.hour == 12) f.hour = 0;
  if (word == "pm" && f.hour != 12) f.hour += 12;
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
  Fields f;
  if (!read_number(s, i, 1, 2, f.day)) return std::nullopt;
  std::size_t j = skip_spaces(s, i, 2);
  if (j == i) return std::nullopt;
  std::size_t end = j;
  while (end < s.size() && is_alpha(s[end])) ++end;
  if (end - j != 3) return std::nullopt;  // RFC 822 months are three letters
  f.month = month_from_name(s.substr(j, 3));
  if (f.month == 0) return std::nullopt;
  std::size_t k = skip_spaces(s, end, 2);
  if (k == end || !read_number(s, k, 4, 4, f.year)) return std::nullopt;
  std::size_t t = skip_spaces(s, k, 2);
  if (t != k) read_time(s, t, f);
  return f;
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

// "01-14", "1/14", "1月14日": month and day alone, not followed by more of a date or a number.
std::optional<Fields> read_month_day(std::string_view s, std::size_t i) {
  Fields f;
  if (!read_number(s, i, 1, 2, f.month) || i >= s.size()) return std::nullopt;
  if (s[i] == '-' || s[i] == '/') {
    ++i;
    if (!read_number(s, i, 2, 2, f.day)) return std::nullopt;
    const bool more = i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.' || s[i] == ':');
    if (more) return std::nullopt;  // "01-14-2020", "01/14/20", a time "10/12:30"
  } else if (!consume(s, i, "月") || !read_number(s, i, 1, 2, f.day) || !consume(s, i, "日")) {
    return std::nullopt;
  }
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31) return std::nullopt;
  return f;
}

}  // namespace fg::extract::date_scan
