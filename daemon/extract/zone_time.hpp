#pragma once
// Local wall-clock time in a zone named by IANA, without the tz library in the header: local
// times are seconds since 1970-01-01T00:00 on the wall clock. Internal to the extract module.

#include <chrono>
#include <optional>
#include <string_view>

#include "core/time.hpp"

namespace fg::extract::zone_time {

// The instant a wall-clock time stands for in the zone (the earlier one when a clock change
// repeats it), with the zone's offset then; nullopt when the tz database does not know the zone.
std::optional<PublishedTime> at_local(std::string_view zone, std::chrono::seconds local,
                                      TimePrecision precision);

// The wall-clock time of an instant in the zone; nullopt for an unknown zone.
std::optional<std::chrono::seconds> local_of(std::string_view zone, Timestamp utc);

}  // namespace fg::extract::zone_time
