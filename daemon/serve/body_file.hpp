#pragma once
// Prepared bodies kept out of the heap, the way a static file server keeps its files: written
// once per change into one anonymous file in the data directory and sent with sendfile(2). The
// bytes then live in the kernel's page cache (shared, evictable, never copied to user space).
// All bodies share that one file, each in a region of its own, so the descriptors a daemon holds
// do not grow with its feed count (20,000 feeds: one body file, not one per document).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace fg::serve {

class BodySpace;  // the shared file and its free regions (body_file.cpp)

// One region of a BodyDir's file, holding one Resource's (or Archive's) bodies from offset()
// on. The region goes back to the file (its disk blocks freed) when the last Resource, or reply
// still being sent, that refers to it is gone, so replacing a feed never disturbs a request
// that is still sending the old bytes.
class BodyFile {
 public:
  BodyFile(std::shared_ptr<BodySpace> space, int fd, std::uint64_t offset, std::uint64_t length);
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  // The descriptor to pread/sendfile from; shared with every other region of the same BodyDir.
  int fd() const { return fd_; }
  // Where this region's first byte sits in fd().
  std::uint64_t offset() const { return offset_; }

 private:
  std::shared_ptr<BodySpace> space_;
  int fd_;
  std::uint64_t offset_, length_;
};

// Raises the soft RLIMIT_NOFILE to the hard limit: many idle keep-alive connections (or
// slowloris attempts) need more than the usual soft 1024.
void raise_descriptor_limit();

// The folder bodies are written to, and the one open file in it that holds them.
class BodyDir {
 public:
  // Creates `dir` (and parents) when missing, removes body files a killed run left behind and
  // opens the shared file. `max_bytes` (0: no limit) caps the bytes held at once; a write past
  // it fails like a full disk. Errc::io when the folder cannot be created or written; callers
  // then keep bodies in memory.
  static Result<std::shared_ptr<const BodyDir>> open(const std::string& dir,
                                                     std::uint64_t max_bytes = 0);

  // A new region holding `parts` one after another. Safe from any thread.
  Result<std::shared_ptr<const BodyFile>> write(const std::vector<std::string_view>& parts) const;

  // Shutting down: regions freed from now on keep their blocks, because the whole file goes at
  // once with its last region. Punching out every region one by one (80,000 fallocate calls at
  // 20,000 feeds) made SIGTERM take seconds.
  void closing() const;

  const std::string& path() const { return dir_; }
  // Bytes in regions still referred to (whole pages; for tests and diagnostics).
  std::uint64_t bytes_held() const;

 private:
  BodyDir(std::string dir, std::shared_ptr<BodySpace> space)
      : dir_(std::move(dir)), space_(std::move(space)) {}
  std::string dir_;
  std::shared_ptr<BodySpace> space_;
};

}  // namespace fg::serve
