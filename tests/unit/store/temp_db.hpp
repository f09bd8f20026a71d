#pragma once
// A database path in a fresh temporary directory, removed with everything in it afterwards.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <system_error>

namespace fg::store::testing {

class TempDb {
 public:
  TempDb() {
    static std::atomic<int> counter{0};
    auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
    dir_ = std::filesystem::temp_directory_path() /
           ("feedgate-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(ticks) +
            "-" + std::to_string(counter++));
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;

  // Inside a subdirectory that does not exist yet, so opening must create it.
  std::string path() const { return (dir_ / "nested" / "feedgate.db").string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace fg::store::testing
