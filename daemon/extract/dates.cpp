#include "extract/dates.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <functional>
#include <map>
#include <mutex>
#include <utility>

#include "extract/date_scan.hpp"
#include "extract/lexicon.hpp"
#include "extract/zone_time.hpp"

namespace fg::extract {

namespace {

using date_scan::consume;
using date_scan::Fields;
using date_scan::is_digit;
using date_scan::normalize_width;
using date_scan::read_day_month_year;
using date_scan::read_month_day_time;
using date_scan::read_month_name_first;
using date_scan::read_number;
using date_scan::read_numeric_date;
using date_scan::read_rfc822_date;
using date_scan::skip_spaces;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

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
  if (f.year < lexicon::kMinYear || f.year > lexicon::kMaxYear) return std::nullopt;
  const date::year_month_day ymd{date::year{f.year}, date::month{static_cast<unsigned>(f.month)},
                                 date::day{static_cast<unsigned>(f.day)}};
  if (!ymd.ok()) return std::nullopt;
  const auto local = date::local_days{ymd} + hours{f.hour} + minutes{f.minute} + seconds{f.second};
  const TimePrecision precision = f.has_time ? TimePrecision::time : TimePrecision::day;
  if (f.offset) {
    const Timestamp utc{local.time_since_epoch() - *f.offset};
    return PublishedTime{utc, *f.offset, precision};
  }
  return zone_time::at_local(timezone, local.time_since_epoch(), precision);
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
  // The year on the wall clock where the page was read: at 00:10 on New Year's Day in Shanghai,
  // UTC still says last year.
  const auto local_now = zone_time::local_of(reading.zone, now);
  if (!local_now) return std::nullopt;
  f.year = local_year(PublishedTime{Timestamp{*local_now}, {}});
  best = to_published(f, reading.zone);
  if (best && best->utc > now + std::chrono::hours(24)) {
    --f.year;
    best = to_published(f, reading.zone);
  }
  return best;
}

}  // namespace

namespace zone_time {

std::optional<PublishedTime> at_local(std::string_view zone_name, std::chrono::seconds local,
                                      TimePrecision precision) {
  const date::time_zone* zone = locate_cached(zone_name);
  if (zone == nullptr) return std::nullopt;
  try {
    const Timestamp utc = zone->to_sys(date::local_seconds{local}, date::choose::earliest);
    const auto info = zone->get_info(utc);
    return PublishedTime{utc, std::chrono::duration_cast<minutes>(info.offset), precision};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::chrono::seconds> local_of(std::string_view zone_name, Timestamp utc) {
  const date::time_zone* zone = locate_cached(zone_name);
  if (zone == nullptr) return std::nullopt;
  try {
    return zone->to_local(utc).time_since_epoch();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace zone_time

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
  if (reading.fetched) return find_relative_date(text, reading.zone, *reading.fetched);
  return std::nullopt;
}

namespace {

// The first month-day `read` finds (from a digit not inside a number or a date), with its year.
std::optional<PublishedTime> first_yearless(std::string_view text, const DateReading& reading,
                                            Timestamp now,
                                            std::optional<Fields> (*read)(std::string_view,
                                                                          std::size_t)) {
  const std::string s = normalize_width(text);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool bounded =
        i == 0 || !(is_digit(s[i - 1]) || s[i - 1] == '-' || s[i - 1] == '/' || s[i - 1] == '.');
    if (!is_digit(s[i]) || !bounded) continue;
    if (std::optional<Fields> f = read(s, i)) return with_year(*f, reading, now);
  }
  return std::nullopt;
}

}  // namespace

std::optional<PublishedTime> find_yearless_date(std::string_view text, const DateReading& reading,
                                                Timestamp now) {
  return first_yearless(text, reading, now, read_month_day_time);
}

std::optional<PublishedTime> find_yearless_day(std::string_view text, const DateReading& reading,
                                               Timestamp now) {
  return first_yearless(text, reading, now, date_scan::read_month_day);
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
