#pragma once
// Reading the parts of a date as portals write them, before any time zone is applied (used by
// dates.cpp; not a public interface). Readers take the text after normalize_width and the index of
// a first digit, and return nullopt when no date of their shape starts there.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fg::extract::date_scan {

// The parts of a date as written, before any time zone is applied.
struct Fields {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  std::optional<std::chrono::minutes> offset;  // set only when the text states its offset
  bool has_time = false;
  bool swappable = false;  // "7/5/2005": day and month could be read the other way round
};

// ASCII 0-9.
bool is_digit(char c);

// Full-width digits and punctuation become ASCII so that one grammar covers both spellings;
// U+3000 and U+00A0 become plain spaces.
std::string normalize_width(std::string_view s);

// Reads min..max digits at s[i]; fails when there are fewer, or when more digits follow.
bool read_number(std::string_view s, std::size_t& i, int min_digits, int max_digits, int& out);

// Moves i past `token` when s continues with it.
bool consume(std::string_view s, std::size_t& i, std::string_view token);

// The index after at most `max` spaces, tabs or line breaks from s[i].
std::size_t skip_spaces(std::string_view s, std::size_t i, std::size_t max);

// A time of day at s[i]: "01:17", "1:17:24", "01:17:24.123", "01时17分", "1点17分30秒", then an
// optional zone. Sets f's time and moves i past it; false (f untouched) when there is none.
bool read_time(std::string_view s, std::size_t& i, Fields& f);

// "AM"/"PM" after a 12-hour time read into f: 12 AM is midnight, 1 PM is 13:00.
void read_meridiem(std::string_view s, std::size_t i, Fields& f);

// "2020-01-29", "2020/1/29", "2020.01.29", "2020年1月29日", each with an optional time.
std::optional<Fields> read_numeric_date(std::string_view s, std::size_t i);

// RFC 822 / RFC 5322 "29 Jan 2020 01:17:24 +0800" (any weekday before it is ignored).
std::optional<Fields> read_rfc822_date(std::string_view s, std::size_t i);

// "7/5/2005 9:23:57 PM" (month first unless the first number cannot be a month) and
// "5.7.2005 14:05" (day first, as in German and Russian), each followed by a time.
std::optional<Fields> read_day_month_year(std::string_view s, std::size_t i);

// "September 10th, 2005 10:56 am", "Jan 29, 2020" (US style, the month named first): read from
// the day's first digit, with the month in the word before it.
std::optional<Fields> read_month_name_first(std::string_view s, std::size_t i);

// "01-14 17:58", "1/14 17:58", "1月14日 17:58": month, day and a time, no year.
std::optional<Fields> read_month_day_time(std::string_view s, std::size_t i);

// "01-14", "1/14", "1月14日": month and day alone, not followed by more of a date or a number.
std::optional<Fields> read_month_day(std::string_view s, std::size_t i);

}  // namespace fg::extract::date_scan
