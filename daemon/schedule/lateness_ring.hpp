#pragma once
// Private to schedule: how late polls started, over the most recent ones, for percentiles.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "schedule/scheduler.hpp"

namespace fg::schedule {

// The most recent lateness samples, for percentiles.
class LatenessRing {
 public:
  void add(milliseconds m) {
    if (samples_.size() < kSize) {
      samples_.push_back(m);
    } else {
      samples_[next_] = m;
    }
    next_ = (next_ + 1) % kSize;
    ++count_;
  }
  LatenessStats stats() const {
    LatenessStats s;
    s.polls = count_;
    if (samples_.empty()) return s;
    std::vector<milliseconds> sorted = samples_;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) {
      return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * sorted.size()))];
    };
    s.p50 = at(0.5);
    s.p99 = at(0.99);
    s.max = sorted.back();
    return s;
  }

 private:
  static constexpr std::size_t kSize = 8192;
  std::vector<milliseconds> samples_;
  std::size_t next_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace fg::schedule
