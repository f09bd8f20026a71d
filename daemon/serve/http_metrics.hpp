#pragma once
// The server's own metrics: requests by route and status, bytes sent, and the share of
// conditional requests answered 304. Counting is a few relaxed atomic increments, no lock.

#include <cstddef>
#include <string>
#include <string_view>

namespace fg::serve {

// The route label of a path: "feed", "status", "opml", "metrics", "healthz" or "other".
std::string_view route_label(std::string_view path);

// Counts one answered request.
void count_request(std::string_view route, int status, std::size_t bytes_out);

// The registry in Prometheus text, with derived gauges (304 ratio) brought up to date.
std::string metrics_text();

}  // namespace fg::serve
