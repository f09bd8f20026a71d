#pragma once
// Where the checkout is, found at run time. A path compiled in (-DFG_FIXTURES="/abs/path") made
// every test object differ between checkouts, so ccache missed them all in a fresh clone.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace fg::test {

// $FG_SOURCE_DIR when set; otherwise the nearest folder above the test binary that holds
// tests/fixtures (build folders live inside the checkout). Empty when neither is found.
inline const std::string& source_dir() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("FG_SOURCE_DIR"); env && *env) return std::string(env);
    std::error_code ec;
    std::filesystem::path at = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return std::string();
    for (at = at.parent_path(); !at.empty() && at != at.root_path(); at = at.parent_path()) {
      std::error_code missing;  // set by every folder without tests/fixtures: not an error here
      if (std::filesystem::is_directory(at / "tests" / "fixtures", missing)) return at.string();
    }
    return std::string();
  }();
  return dir;
}

inline std::string fixtures_dir() {
  return source_dir() + "/tests/fixtures";
}

}  // namespace fg::test

#define FG_SOURCE_DIR (::fg::test::source_dir())
#define FG_FIXTURES (::fg::test::fixtures_dir())
