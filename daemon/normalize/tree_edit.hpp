#pragma once
// Module-private edits on a parent's child list by index, so callers iterating the list can keep
// their position (Node::detach searches; these don't).

#include <cstddef>

#include "parse/dom.hpp"

namespace fg::normalize {

// Removes parent.children[i] (with its subtree).
void remove_child(parse::Node& parent, std::size_t i);

// Replaces parent.children[i] by its own children; returns how many took its place.
std::size_t unwrap_child(parse::Node& parent, std::size_t i);

// Deeper than the parser ever builds (it caps nesting at 512); a bound for recursive passes.
inline constexpr int kMaxDepth = 1000;

}  // namespace fg::normalize
