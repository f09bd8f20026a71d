#include "schedule/circuit_breaker.hpp"

#include <algorithm>

namespace fg::schedule {

std::chrono::milliseconds CircuitBreakers::cooldown(int trips) const {
  std::chrono::milliseconds d = options_.cooldown;
  for (int i = 1; i < trips && d < options_.max_cooldown; ++i) d *= 2;
  return std::min(d, options_.max_cooldown);
}

void CircuitBreakers::trip(Host& h, TimePoint now) {
  ++h.trips;
  h.state = State::open;
  h.open_until = now + cooldown(h.trips);
}

CircuitBreakers::Decision CircuitBreakers::admit(const std::string& host, TimePoint now) {
  if (host.empty()) return {};
  auto it = hosts_.find(host);
  if (it == hosts_.end()) return {};
  Host& h = it->second;
  switch (h.state) {
    case State::closed:
      return {};
    case State::open:
      if (now < h.open_until) return {Verdict::wait, h.open_until};
      h.state = State::half_open;  // this caller is the one probe
      return {Verdict::probe, {}};
    case State::half_open:
      // A probe is in flight; ask again after one more cool-down step at the latest.
      return {Verdict::wait, now + cooldown(1)};
  }
  return {};
}

void CircuitBreakers::record(const std::string& host, bool connection_failure, bool probe,
                             TimePoint now) {
  if (host.empty()) return;
  if (!connection_failure) {
    hosts_.erase(host);  // any answer from the host proves it reachable
    return;
  }
  Host& h = hosts_[host];
  ++h.failures;
  if (probe || (h.state == State::closed && h.failures >= options_.threshold)) trip(h, now);
}

std::optional<CircuitBreakers::TimePoint> CircuitBreakers::open_until(
    const std::string& host) const {
  auto it = hosts_.find(host);
  if (it == hosts_.end() || it->second.state == State::closed) return std::nullopt;
  return it->second.open_until;
}

}  // namespace fg::schedule
