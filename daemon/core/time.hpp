#pragma once
// Points in time as the pipeline carries them: UTC seconds plus the offset they were written in.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fg {

using Timestamp = std::chrono::sys_seconds;

// How much of a publication time the page stated: a time of day, only the day ("2005年1月2日",
// kept at local midnight), only the month ("《北京之春》1998年3月号", kept at the 1st), or only the
// hour ("3小时前", kept at the top of the local hour). The values are stored: append only.
enum class TimePrecision : std::uint8_t { time = 0, day = 1, month = 2, hour = 3 };

// True when `a` states more of the time than `b` (time > hour > day > month).
bool finer_than(TimePrecision a, TimePrecision b);

// A publication time: the instant, and the UTC offset of the place it was published in
// (kept so that feeds show "2020-01-29T01:17:24+08:00", as the portal did).
struct PublishedTime {
  Timestamp utc{};
  std::chrono::minutes offset{0};
  TimePrecision precision = TimePrecision::time;

  friend bool operator==(const PublishedTime&, const PublishedTime&) = default;
};

// The current time, truncated to seconds.
Timestamp now_seconds();

// "2020-01-29T01:17:24+08:00" ("Z" when the offset is zero and use_z is true).
std::string format_rfc3339(const PublishedTime& t, bool use_z = false);
std::string format_rfc3339(Timestamp utc);  // always "...Z"

// "time", "hour", "day" or "month".
std::string_view precision_name(TimePrecision p);

// "Wed, 29 Jan 2020 01:17:24 +0800" (RFC 822 / RFC 5322 date-time, used by RSS 2.0).
std::string format_rfc822(const PublishedTime& t);

// "Wed, 29 Jan 2020 01:17:24 GMT" (RFC 7231 IMF-fixdate, used in HTTP headers).
std::string format_http_date(Timestamp utc);

// Parses an RFC 3339 date-time with its offset ("2026-12-02T15:00:00+08:00", "...Z"; fractional
// seconds dropped); nullopt when malformed or without an offset.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// Parses an IMF-fixdate HTTP date ("Wed, 29 Jan 2020 01:17:24 GMT"); nullopt when malformed.
std::optional<Timestamp> parse_http_date(std::string_view text);

}  // namespace fg
