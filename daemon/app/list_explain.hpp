#pragma once
// `feedgate extract --list --explain`: how automatic list discovery saw a channel page.

#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/time.hpp"

namespace fg::app {

// Prints every link group with its score and verdict, then the links found with the date beside
// each (read against `fetched`); returns an exit code.
int print_list_explanation(std::string_view bytes, std::string_view content_type,
                           const std::string& url, const config::FeedConfig& feed,
                           Timestamp fetched);

}  // namespace fg::app
