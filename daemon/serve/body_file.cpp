#include "serve/body_file.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fg::serve {
namespace {

// Files that exist by name only between mkstemp() and unlink(); a crash in between leaves one.
constexpr std::string_view kPrefix = "body-";

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

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

BodyFile::~BodyFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::shared_ptr<const BodyDir>> BodyDir::open(const std::string& dir) {
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
  std::shared_ptr<const BodyDir> opened(new BodyDir(dir));
  // Proves now, once, that the folder takes files, rather than on the first publish.
  if (auto probe = opened->write({"probe"}); !probe) return probe.error();
  return opened;
}

Result<std::shared_ptr<const BodyFile>> BodyDir::write(
    const std::vector<std::string_view>& parts) const {
  const int fd = open_anonymous(dir_);
  if (fd < 0) return io_error("cannot create a body file", dir_, errno);
  auto file = std::make_shared<const BodyFile>(fd);
  for (std::string_view part : parts) {
    if (!write_all(fd, part))
      return io_error("cannot write a body file", dir_, errno ? errno : EIO);
  }
  return file;
}

}  // namespace fg::serve
