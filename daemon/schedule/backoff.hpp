#pragma once
// How long a feed waits before its next poll: the interval after a success, doubling backoff
// after failures, Retry-After from the portal, and jitter so feeds never poll in lockstep.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace fg::schedule {

using std::chrono::milliseconds;

// Delay until the next poll after `failures` consecutive failures (0 = the last one succeeded):
// the interval, then doubling from the interval, capped at max_backoff (and never below the
// interval). Jitter is not included.
milliseconds next_delay(milliseconds interval, int failures, milliseconds max_backoff);

// The delay when the portal asked for `retry_after` (429/503 with Retry-After): never sooner than
// the portal asked, but at most a day (a portal cannot park a feed forever).
milliseconds honour_retry_after(milliseconds delay, std::optional<milliseconds> retry_after);

// `delay` moved by a uniform random amount within ±fraction of it, the swing capped at
// `max_swing` (0 = no cap); never negative.
milliseconds jittered(milliseconds delay, double fraction, milliseconds max_swing,
                      std::mt19937_64& rng);

}  // namespace fg::schedule
