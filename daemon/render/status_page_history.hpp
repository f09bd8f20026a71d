#pragma once
// Internal to the status page: the series its sparklines draw, and the SVG for one.

#include <chrono>
#include <string>
#include <vector>

#include "render/render.hpp"

namespace fg::render::detail {

// New items per UTC day for the `days` days ending with now's day, oldest first.
std::vector<long long> items_per_day(const std::vector<PollSample>& polls, Timestamp now, int days);
// Durations in milliseconds of at most the `count` latest polls, oldest first.
std::vector<long long> poll_durations(const std::vector<PollSample>& polls, std::size_t count);
// "340 ms", "2.5 s"; for the average poll time.
std::string format_millis(long long ms);
// An inline SVG polyline of `values` (left: oldest), scaled to its maximum, labelled for screen
// readers with `label`. Empty when there are no values.
std::string sparkline_svg(const std::vector<long long>& values, const std::string& label);

}  // namespace fg::render::detail
