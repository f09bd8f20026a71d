#pragma once
// Helpers shared by the config tests: problem listings (and the shared scratch directory).

#include <string>
#include <vector>

#include "config/config.hpp"
#include "support/temp_dir.hpp"

namespace fg::config::testing {

using fg::test::TempDir;

// Every problem as "FILE:LINE:COL: message", in the order reported.
inline std::vector<std::string> described(const LoadResult& result) {
  std::vector<std::string> out;
  for (const Problem& p : result.problems) out.push_back(p.describe());
  return out;
}

}  // namespace fg::config::testing
