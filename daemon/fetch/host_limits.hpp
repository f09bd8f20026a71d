#pragma once
// Politeness bookkeeping of the fetcher, kept pure (time is passed in) so it is tested without
// clocks: a global limit on transfers in flight, per-host slots, a minimum gap between the
// starts of two requests to one host, and pauses asked for by Retry-After.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fg::fetch {

class HostLimits {
 public:
  using Clock = std::chrono::steady_clock;
  using TimePoint = Clock::time_point;

  // concurrency and per_host below 1 count as 1; min_gap below 0 as 0.
  HostLimits(int concurrency, int per_host, std::chrono::milliseconds min_gap);

  enum class Verdict {
    start,       // may start now
    wait_slot,   // every global or per-host slot is taken: retry when a transfer ends
    wait_until,  // the host's minimum gap has not passed: retry at Decision::at
    paused,      // the host asked to be left alone (Retry-After) until Decision::at
  };
  struct Decision {
    Verdict verdict = Verdict::start;
    TimePoint at{};
  };

  // What a request to `host` may do at `now`. An empty host (file://) has no per-host limits.
  Decision check(const std::string& host, TimePoint now) const;
  // A request to `host` started at `now` / finished.
  void started(const std::string& host, TimePoint now);
  void finished(const std::string& host);
  // Requests to `host` are refused until `until` (a later pause wins over an earlier one).
  void pause(const std::string& host, TimePoint until);

  int in_flight() const { return in_flight_; }
  // Changed while running: per_host to this process's share of a cluster's (below 1 counts as
  // 1); min_gap to 0 when a HostGate spaces the starts instead.
  void set_per_host(int per_host);
  void set_min_gap(std::chrono::milliseconds min_gap);

 private:
  struct Host {
    int in_flight = 0;
    TimePoint next_start{};
    TimePoint paused_until{};
  };

  int concurrency_;
  int per_host_;
  std::chrono::milliseconds min_gap_;
  int in_flight_ = 0;
  std::map<std::string, Host> hosts_;  // one entry per host ever fetched (bounded by the config)
};

// The wait a Retry-After header asks for: delta-seconds ("120") or an HTTP-date, relative to
// now_unix; a date in the past is 0 s. Waits are capped at one day; nullopt when unreadable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix);

}  // namespace fg::fetch
