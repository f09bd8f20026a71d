#include "app/cluster_gate.hpp"

#include "core/log.hpp"

namespace fg::app {

Result<fetch::HostTurn> ClusterGate::take_turn(const std::string& host,
                                               std::chrono::milliseconds min_gap) {
  auto turn = book_.take_turn(host, min_gap, alive_within_);
  if (!turn) {
    log::warning("cluster_turn_failed" + log::kv("host", host) +
                 log::kv("error", turn.error().describe()) +
                 log::kv("then", "this instance spaces its own requests by min_gap"));
    return turn.error();
  }
  return fetch::HostTurn{turn->wait, turn->paused, turn->instances_alive};
}

Result<std::chrono::milliseconds> ClusterGate::paused_for(const std::string& host) {
  return book_.host_paused(host);
}

void ClusterGate::pause(const std::string& host, std::chrono::milliseconds wait) {
  if (auto r = book_.pause_host(host, wait); !r) {
    log::warning("cluster_pause_failed" + log::kv("host", host) +
                 log::kv("error", r.error().describe()) +
                 log::kv("then", "only this instance leaves the host alone"));
  }
}

}  // namespace fg::app
