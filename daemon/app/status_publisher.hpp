#pragma once
// The operator's side of what is published: the status page ("/"), the OPML list of feeds and
// the per-feed gauges of /metrics. Feed bodies are the Publisher's (publisher.hpp).

#include <functional>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "core/time.hpp"
#include "serve/server.hpp"
#include "store/store.hpp"

namespace fg::app {

class StatusPublisher {
 public:
  using NextPoll = std::function<std::optional<Timestamp>(const std::string& feed_id)>;

  StatusPublisher(store::Store& store, NextPoll next_poll);

  // Adds "/" and "/feeds.opml" for `config` to `site`, and sets every feed's gauges.
  void add_to(const config::Config& config, serve::Site& site);

 private:
  store::Store& store_;
  NextPoll next_poll_;
};

}  // namespace fg::app
