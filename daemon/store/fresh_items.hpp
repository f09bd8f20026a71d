#pragma once
// Private to the store: the order in which one commit's new items receive their seq numbers.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/article.hpp"
#include "core/time.hpp"

namespace fg::store::detail {

// New items with their content hashes, in list order (a list page names the newest first).
using FreshItems = std::vector<std::pair<const Article*, std::string>>;

// Oldest first, so that seq follows age within a commit too: by published time, an undated item
// counting as published `now`, ties kept in reverse list order.
inline void order_oldest_first(FreshItems& fresh, Timestamp now) {
  std::reverse(fresh.begin(), fresh.end());
  std::stable_sort(fresh.begin(), fresh.end(), [&](const auto& x, const auto& y) {
    const Timestamp tx = x.first->published ? x.first->published->utc : now;
    const Timestamp ty = y.first->published ? y.first->published->utc : now;
    return tx < ty;
  });
}

}  // namespace fg::store::detail
