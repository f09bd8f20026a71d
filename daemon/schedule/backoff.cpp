#include "schedule/backoff.hpp"

#include <algorithm>

namespace fg::schedule {

milliseconds next_delay(milliseconds interval, int failures, milliseconds max_backoff) {
  if (failures <= 0) return interval;
  milliseconds delay = interval;
  for (int i = 0; i < failures && delay < max_backoff; ++i) delay *= 2;
  return std::max(interval, std::min(delay, max_backoff));
}

milliseconds honour_retry_after(milliseconds delay, std::optional<milliseconds> retry_after) {
  constexpr milliseconds kMostOneDay{24 * 3600'000};
  if (!retry_after) return delay;
  return std::max(delay, std::min(*retry_after, kMostOneDay));
}

milliseconds jittered(milliseconds delay, double fraction, milliseconds max_swing,
                      std::mt19937_64& rng) {
  auto swing = static_cast<std::int64_t>(static_cast<double>(delay.count()) * fraction);
  if (max_swing.count() > 0) swing = std::min<std::int64_t>(swing, max_swing.count());
  if (swing <= 0) return delay;
  std::uniform_int_distribution<std::int64_t> dist(-swing, swing);
  return std::max(milliseconds{0}, delay + milliseconds{dist(rng)});
}

}  // namespace fg::schedule
