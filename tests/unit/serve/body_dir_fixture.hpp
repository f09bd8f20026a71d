#pragma once
// A scratch folder for body files, removed with everything in it at the end of a test.

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace fg::serve::test {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "feedgate-bodies-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? pattern : std::string{};
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace fg::serve::test
