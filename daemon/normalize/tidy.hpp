#pragma once
// Module-private: whitespace and empty-markup tidying after sanitizing.

#include "parse/dom.hpp"

namespace fg::normalize {

// Collapses whitespace in text (outside <pre>), trims the edges of blocks (including the
// full-width indentation Chinese portals use), caps <br> runs at two, and drops empty
// wrappers, repeating until nothing changes.
void tidy_tree(parse::Node& root);

}  // namespace fg::normalize
