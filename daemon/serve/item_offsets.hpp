#pragma once
// Where each item of a rendered feed ends, so that `?limit=N` can be answered with two slices
// of the prepared body (head and first N items, then the closing tail): no rendering, no copy.

#include <cstddef>
#include <string_view>
#include <vector>

namespace fg::serve {

// Offsets just past each item ("</item>", "</entry>", or a JSON Feed item's "}"), in order.
// Empty for other content types or when the body does not look like a feed.
std::vector<std::size_t> find_item_ends(std::string_view body, std::string_view content_type);

// The first `limit` items of a feed body: [0, first) and [second, end) to send one after the
// other. `ends` from find_item_ends; limit must be ≥ 1 and < ends.size().
struct BodySlices {
  std::string_view first, second;
};
BodySlices limit_items(std::string_view body, const std::vector<std::size_t>& ends,
                       std::size_t limit);

}  // namespace fg::serve
