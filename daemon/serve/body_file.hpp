#pragma once
// Prepared bodies kept out of the heap, the way a static file server keeps its files: written
// once per change into an anonymous file in the data directory and sent with sendfile(2). The
// bytes then live in the kernel's page cache (shared, evictable, never copied to user space).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace fg::serve {

// An open file with no name (unlinked at once), holding one Resource's bodies. It is closed when
// the last Resource (or reply still being sent) that refers to it is gone, so replacing a feed
// never disturbs a request that is still sending the old bytes.
class BodyFile {
 public:
  explicit BodyFile(int fd) : fd_(fd) {}
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Raises the soft RLIMIT_NOFILE to the hard limit: one descriptor per prepared resource, and many
// idle keep-alive connections (or slowloris attempts), need more than the usual soft 1024.
void raise_descriptor_limit();

// The folder bodies are written to.
class BodyDir {
 public:
  // Creates `dir` (and parents) when missing and removes body files a killed run left behind.
  // Errc::io when the folder cannot be created or written; callers then keep bodies in memory.
  static Result<std::shared_ptr<const BodyDir>> open(const std::string& dir);

  // A new anonymous file holding `parts` one after another.
  Result<std::shared_ptr<const BodyFile>> write(const std::vector<std::string_view>& parts) const;

  const std::string& path() const { return dir_; }

 private:
  explicit BodyDir(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace fg::serve
