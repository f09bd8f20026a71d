#pragma once
// Finding and parsing publication dates as portals write them.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace fg::extract {

// A time zone by IANA name ("Asia/Shanghai"), resolved against the system tz database.
// Errc::not_found when the name is unknown.
Result<void> check_timezone(std::string_view iana_name);

// Which number comes first in a slashed date such as "7/5/2005 9:23:57 PM".
enum class DayMonthOrder : std::uint8_t { month_first, day_first };

// How one page writes its dates: the zone of times without an offset, the page's habit for
// "7/5/2005", and a date the page is known to be close to (its URL's, another full date on it).
// Converts from a zone name, so find_date(text, "Asia/Shanghai") reads as before.
struct DateReading {
  DateReading(std::string_view zone_name) : zone(zone_name) {}    // NOLINT: implicit on purpose
  DateReading(const std::string& zone_name) : zone(zone_name) {}  // NOLINT
  DateReading(const char* zone_name) : zone(zone_name) {}         // NOLINT
  std::string_view zone;
  DayMonthOrder order = DayMonthOrder::month_first;
  bool unambiguous_only = false;  // skip dates whose day and month could swap
  // Called only for a date that needs it (an ambiguous "7/5/2005", a date without its year).
  std::function<std::optional<PublishedTime>()> reference;
};

// Finds the first date (with optional time) anywhere in `text` and returns it as an instant.
// Understands 2020-01-29 01:17:24, 2020-01-29 01:17, 2020/1/29 1:17, 2020年01月29日 01:17,
// 2020年1月29日, 2020.01.29, RFC 3339 (2020-01-29T01:17:24+08:00) and RFC 822
// (Wed, 29 Jan 2020 01:17:24 +0800), US style with the month named first ("September 10th, 2005
// 10:56 am", "Jun 7, 2023, 8:54 PM UTC"), and with a time month-day-year "7/5/2005 9:23:57 PM" (day
// first when the first number is over 12, or "5.7.2005"; when both could be the month, the reading
// closest to the reference date, else the page's order). Times without an offset are local to the
// reading's zone (IANA name), and the result carries that zone's offset at that instant. A date
// without a time has TimePrecision::day. Full-width digits count; "20200129" does not (too
// ambiguous); years outside 1990..2100 are skipped. nullopt when there is no date, or when a
// local time needs a zone the tz database does not know.
std::optional<PublishedTime> find_date(std::string_view text, const DateReading& reading);

// A date written without its year, with a time of day: "01-14 17:58", "1月14日 17:58". The year
// is the one that puts it closest to the reading's reference date; without one, the year of
// `now` (the previous year when that would be more than a day after `now`).
std::optional<PublishedTime> find_yearless_date(std::string_view text, const DateReading& reading,
                                                Timestamp now);

// The issue a reprinted article names: "——《北京之春》1998年3月号" gives March 1998
// (TimePrecision::month, at the 1st, local midnight).
std::optional<PublishedTime> find_issue_month(std::string_view text, std::string_view timezone);

}  // namespace fg::extract
