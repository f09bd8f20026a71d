#include "serve/body_file.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <utility>

namespace fg::serve {
namespace {

// Files that exist by name only between mkstemp() and unlink(); a crash in between leaves one.
constexpr std::string_view kPrefix = "body-";
// Regions are whole pages: freeing one then frees its disk blocks and page cache exactly, and
// two bodies never share a page.
constexpr std::uint64_t kPage = 4096;

Error io_error(const std::string& what, const std::string& dir, int err) {
  return make_error(Errc::io,
                    what + " in " + dir + ": " + std::strerror(err) +
                        "; check that the data directory is writable and not full",
                    "serve.bodies");
}

// O_TMPFILE gives a file that never has a name; filesystems without it get mkstemp + unlink.
int open_anonymous(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  std::string name = dir + "/" + std::string(kPrefix) + "XXXXXX";
  const int named = ::mkostemp(name.data(), O_CLOEXEC);
  if (named >= 0) ::unlink(name.c_str());
  return named;
}

bool write_all(int fd, std::string_view bytes, std::uint64_t at) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
    at += static_cast<std::uint64_t>(n);
  }
  return true;
}

}  // namespace

// The shared file and which of its regions are free: best fit from the free regions, else the
// file grows. Freed regions are merged with free neighbours, and a free tail shrinks the file's
// end, so the file stays about as large as the bodies it holds.
class BodySpace {
 public:
  BodySpace(int fd, std::uint64_t max_bytes) : fd_(fd), max_bytes_(max_bytes) {}
  ~BodySpace() { ::close(fd_); }
  int fd() const { return fd_; }

  // The offset of a free region of `length` bytes (a multiple of kPage); false when over max.
  bool take(std::uint64_t length, std::uint64_t& offset) {
    std::lock_guard lock(mutex_);
    if (max_bytes_ != 0 && held_ + length > max_bytes_) return false;
    held_ += length;
    auto fit = by_size_.lower_bound({length, 0});
    if (fit == by_size_.end()) {
      offset = end_;
      end_ += length;
      return true;
    }
    const auto [size, at] = *fit;
    offset = at;
    by_size_.erase(fit);
    by_offset_.erase(offset);
    if (size > length) insert_free(offset + length, size - length);
    return true;
  }

  // Frees the region's blocks first: once it is in the free lists another body may be written
  // there, and the punch must not land on those bytes.
  void give_back(std::uint64_t offset, std::uint64_t length) {
    if (!closing_) {
      ::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                  static_cast<off_t>(length));
    }
    std::lock_guard lock(mutex_);
    held_ -= length;
    if (auto next = by_offset_.find(offset + length); next != by_offset_.end()) {
      length += next->second;
      erase_free(next);
    }
    if (auto next = by_offset_.lower_bound(offset); next != by_offset_.begin()) {
      auto before = std::prev(next);
      if (before->first + before->second == offset) {
        offset = before->first;
        length += before->second;
        erase_free(before);
      }
    }
    if (offset + length == end_) {
      end_ = offset;  // a free tail is no region at all
    } else {
      insert_free(offset, length);
    }
  }

  void closing() { closing_ = true; }

  std::uint64_t held() {
    std::lock_guard lock(mutex_);
    return held_;
  }

 private:
  void insert_free(std::uint64_t offset, std::uint64_t length) {
    by_offset_.emplace(offset, length);
    by_size_.emplace(length, offset);  // a pair: regions of one size (most are) stay O(log n)
  }
  void erase_free(std::map<std::uint64_t, std::uint64_t>::iterator at) {
    by_size_.erase({at->second, at->first});
    by_offset_.erase(at);
  }

  const int fd_;
  const std::uint64_t max_bytes_;
  std::mutex mutex_;
  std::map<std::uint64_t, std::uint64_t> by_offset_;           // free regions: offset -> length
  std::set<std::pair<std::uint64_t, std::uint64_t>> by_size_;  // the same: (length, offset)
  std::uint64_t end_ = 0;                                      // past the last region in use
  std::uint64_t held_ = 0;
  std::atomic<bool> closing_{false};
};

void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

BodyFile::BodyFile(std::shared_ptr<BodySpace> space, int fd, std::uint64_t offset,
                   std::uint64_t length)
    : space_(std::move(space)), fd_(fd), offset_(offset), length_(length) {}

BodyFile::~BodyFile() {
  if (space_) space_->give_back(offset_, length_);
}

Result<std::shared_ptr<const BodyDir>> BodyDir::open(const std::string& dir,
                                                     std::uint64_t max_bytes) {
  raise_descriptor_limit();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return make_error(Errc::io, "cannot create " + dir + ": " + ec.message(), "serve.bodies");
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().starts_with(kPrefix)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
  const int fd = open_anonymous(dir);
  if (fd < 0) return io_error("cannot create the body file", dir, errno);
  std::shared_ptr<const BodyDir> opened(
      new BodyDir(dir, std::make_shared<BodySpace>(fd, max_bytes)));
  // Proves now, once, that the file takes bytes, rather than on the first publish.
  if (auto probe = opened->write({"probe"}); !probe) return probe.error();
  return opened;
}

Result<std::shared_ptr<const BodyFile>> BodyDir::write(
    const std::vector<std::string_view>& parts) const {
  std::uint64_t size = 0;
  for (std::string_view part : parts) size += part.size();
  // At least a page: every region, even of an empty body, has an offset of its own.
  const std::uint64_t length = size == 0 ? kPage : (size + kPage - 1) / kPage * kPage;
  std::uint64_t offset = 0;
  if (!space_->take(length, offset)) {
    return io_error("the body file is at its size limit", dir_, ENOSPC);
  }
  // Made first so that a failed write gives the region back too.
  auto file = std::make_shared<const BodyFile>(space_, space_->fd(), offset, length);
  std::uint64_t at = offset;
  for (std::string_view part : parts) {
    if (!write_all(space_->fd(), part, at))
      return io_error("cannot write the body file", dir_, errno ? errno : EIO);
    at += part.size();
  }
  return file;
}

void BodyDir::closing() const {
  space_->closing();
}

std::uint64_t BodyDir::bytes_held() const {
  return space_->held();
}

}  // namespace fg::serve
