#pragma once
// A configured feed as the renderers describe it (title, source, self links, interval).

#include "config/config.hpp"
#include "render/render.hpp"

namespace fg::app {

render::FeedInfo feed_info(const config::FeedConfig& feed, const config::Config& config);

}  // namespace fg::app
