#pragma once
// The fetcher's HostGate on the ClusterBook: with several instances on one PostgreSQL, request
// turns (min_gap), Retry-After pauses and the share of per_host are the cluster's, not one
// process's.

#include <chrono>
#include <string>

#include "fetch/fetcher.hpp"
#include "store/store.hpp"

namespace fg::app {

class ClusterGate final : public fetch::HostGate {
 public:
  // `alive_within`: an instance whose heartbeat is older no longer shares per_host.
  ClusterGate(store::ClusterBook& book, std::chrono::milliseconds alive_within)
      : book_(book), alive_within_(alive_within) {}

  Result<fetch::HostTurn> take_turn(const std::string& host,
                                    std::chrono::milliseconds min_gap) override;
  Result<std::chrono::milliseconds> paused_for(const std::string& host) override;
  void pause(const std::string& host, std::chrono::milliseconds wait) override;

 private:
  store::ClusterBook& book_;
  std::chrono::milliseconds alive_within_;
};

}  // namespace fg::app
