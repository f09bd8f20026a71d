#pragma once
// Per-host circuit breaker: after `threshold` consecutive connection failures on a host, its
// feeds stop polling for a cool-down; then one feed probes (half-open) and its outcome closes
// the breaker or opens it again for twice as long. Pure logic: time is passed in.

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace fg::schedule {

struct BreakerOptions {
  int threshold = 5;                                 // consecutive connection failures that open it
  std::chrono::milliseconds cooldown{60'000};        // first open period; doubles per re-trip
  std::chrono::milliseconds max_cooldown{3600'000};  // cap of the open period
};

class CircuitBreakers {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  enum class Verdict { go, probe, wait };
  struct Decision {
    Verdict verdict = Verdict::go;
    TimePoint retry_at{};  // for wait: when to ask again
  };

  explicit CircuitBreakers(BreakerOptions options = {}) : options_(options) {}

  // Whether a poll of a feed on `host` may start now. An empty host (file:) always goes.
  Decision admit(const std::string& host, TimePoint now);
  // The outcome of a poll admitted earlier; `probe` when admit said probe.
  void record(const std::string& host, bool connection_failure, bool probe, TimePoint now);
  // When the host's breaker is open (or half-open), the time it opened until.
  std::optional<TimePoint> open_until(const std::string& host) const;

 private:
  enum class State { closed, open, half_open };
  struct Host {
    State state = State::closed;
    int failures = 0;  // consecutive connection failures
    int trips = 0;     // consecutive openings without a success between
    TimePoint open_until{};
  };
  std::chrono::milliseconds cooldown(int trips) const;
  void trip(Host& h, TimePoint now);

  BreakerOptions options_;
  std::map<std::string, Host, std::less<>> hosts_;
};

}  // namespace fg::schedule
