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
  // When the page was read: relative dates ("3小时前", "昨天 14:30") are read against it. Unset:
  // they are not read (the clock is never looked at).
  std::optional<Timestamp> fetched;
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
// ambiguous); years outside 1990..2100 are skipped. Without any of these, and when the reading
// says when the page was read, a relative date (find_relative_date). nullopt when there is no
// date, or when a local time needs a zone the tz database does not know.
std::optional<PublishedTime> find_date(std::string_view text, const DateReading& reading);

// A date written without its year, with a time of day: "01-14 17:58", "1月14日 17:58". The year
// is the one that puts it closest to the reading's reference date; without one, the local year
// of `now` in the reading's zone (the previous year when that would be more than a day after
// `now`).
std::optional<PublishedTime> find_yearless_date(std::string_view text, const DateReading& reading,
                                                Timestamp now);

// The same without a time of day, as list pages write it beside a link: "01-14", "[01-14]",
// "1月14日" (TimePrecision::day). Too loose for an article's text; meant for a list row.
std::optional<PublishedTime> find_yearless_day(std::string_view text, const DateReading& reading,
                                               Timestamp now);

// A date written against the time the page was read (`fetched`), in the zone (IANA name), at the
// precision written: 刚刚 / "just now" and "N秒前" / "N seconds ago" to the second, "N分钟前",
// "半小时前" / "N minutes ago" to the minute, "N小时前" / "an hour ago" to the hour
// (TimePrecision::hour, at the top of that local hour), "N天前", "N周前" / "N days ago" and a bare
// 今天, 昨天, 前天, "today", "yesterday" to the day (local midnight), and those days with a time
// ("昨天 14:30", "yesterday at 2:30 pm") to the minute. Calendar days in the zone, so a clock
// change between then and now does not move them. Only in a line of at most 40 characters (a
// date line, not a sentence); never later than `fetched`. nullopt when there is none.
std::optional<PublishedTime> find_relative_date(std::string_view text, std::string_view zone,
                                                Timestamp fetched);

// `t`, or `fetched` (as a time, in t's offset) when t is later: a publication time is never in
// the future of the moment the page was read.
PublishedTime not_after(const PublishedTime& t, Timestamp fetched);

// The issue a reprinted article names: "——《北京之春》1998年3月号" gives March 1998
// (TimePrecision::month, at the 1st, local midnight).
std::optional<PublishedTime> find_issue_month(std::string_view text, std::string_view timezone);

}  // namespace fg::extract
