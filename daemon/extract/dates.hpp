#pragma once
// Finding and parsing publication dates as portals write them.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace fg::extract {

// A time zone by IANA name ("Asia/Shanghai"), resolved against the system tz database.
// Errc::not_found when the name is unknown.
Result<void> check_timezone(std::string_view iana_name);

// Finds the first date (with optional time) anywhere in `text` and returns it as an instant.
// Understands 2020-01-29 01:17:24, 2020-01-29 01:17, 2020/1/29 1:17, 2020年01月29日 01:17,
// 2020年1月29日, 2020.01.29, RFC 3339 (2020-01-29T01:17:24+08:00) and RFC 822
// (Wed, 29 Jan 2020 01:17:24 +0800). Times without an offset are local to `timezone`
// (IANA name), and the result carries that zone's offset at that instant. Full-width digits
// count; "20200129" does not (too ambiguous); years outside 1990..2100 are skipped. nullopt when
// there is no date, or when a local time needs a zone the tz database does not know.
std::optional<PublishedTime> find_date(std::string_view text, std::string_view timezone);

}  // namespace fg::extract
