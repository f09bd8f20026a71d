#include "app/feed_info.hpp"

namespace fg::app {

render::FeedInfo feed_info(const config::FeedConfig& feed, const config::Config& config) {
  render::FeedInfo info;
  info.id = feed.id;
  info.title = feed.title.empty() ? feed.id : feed.title;
  info.source_url = feed.url;
  info.self_base = config.server.base_url;
  info.interval = feed.interval;
  return info;
}

}  // namespace fg::app
