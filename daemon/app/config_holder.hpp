#pragma once
// The config in force; swapped whole on reload, read by polls on worker threads. Feeds are
// indexed by id, so a poll finds its feed in O(1) however many there are.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "config/config.hpp"

namespace fg::app {

class ConfigHolder {
 public:
  explicit ConfigHolder(std::shared_ptr<const config::Config> c) { set(std::move(c)); }
  std::shared_ptr<const config::Config> get() const {
    std::lock_guard lock(mutex_);
    return config_;
  }
  void set(std::shared_ptr<const config::Config> c) {
    std::unordered_map<std::string, const config::FeedConfig*> index;
    for (const auto& feed : c->feeds) index.emplace(feed.id, &feed);
    std::lock_guard lock(mutex_);
    config_ = std::move(c);
    index_ = std::move(index);
  }
  // The feed with this id and the config that owns it; a null feed when a reload removed it.
  std::pair<std::shared_ptr<const config::Config>, const config::FeedConfig*> feed(
      const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = index_.find(id);
    return {config_, it == index_.end() ? nullptr : it->second};
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const config::Config> config_;
  std::unordered_map<std::string, const config::FeedConfig*> index_;  // into *config_
};

}  // namespace fg::app
