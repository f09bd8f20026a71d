#pragma once
// `feedgate extract --list --explain`: how automatic list discovery saw a channel page.

#include <string>
#include <string_view>

#include "config/config.hpp"

namespace fg::app {

// Prints every link group with its score and verdict, then the links found; returns an exit code.
int print_list_explanation(std::string_view bytes, std::string_view content_type,
                           const std::string& url, const config::FeedConfig& feed);

}  // namespace fg::app
