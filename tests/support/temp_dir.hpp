#pragma once
// Scratch space for tests: a fresh folder under the system temp dir (config trees, body folders,
// databases), removed with everything in it when the test ends.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace fg::test {

class TempDir {
 public:
  // Under `base`: the system temp dir (TMPDIR) by default.
  explicit TempDir(const std::filesystem::path& base = std::filesystem::temp_directory_path()) {
    std::string pattern = (base / "feedgate-test-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `text` to `relative` (creating folders) and returns the full path.
  std::string write(const std::string& relative, const std::string& text) const {
    const auto full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << text;
    return full.string();
  }

 private:
  std::filesystem::path path_;
};

// A database path in a fresh temp folder.
class TempDb {
 public:
  // Inside a subdirectory that does not exist yet, so opening must create it.
  std::string path() const { return (dir_.path() / "nested" / "feedgate.db").string(); }

 private:
  TempDir dir_;
};

}  // namespace fg::test
