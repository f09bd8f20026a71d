#include "serve/send_parts.hpp"

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace fg::serve {
namespace {

// sendfile(2) moves at most this much per call anyway.
constexpr std::size_t kMaxSendfile = 0x7ffff000;

bool memory_left(const Outgoing& out) {
  for (auto part : out.memory) {
    if (!part.empty()) return true;
  }
  return false;
}

bool file_left(const Outgoing& out) {
  return out.file[0].length > 0 || out.file[1].length > 0;
}

// Drops `n` sent bytes from the front of the memory parts.
void consume_memory(Outgoing& out, std::size_t n) {
  for (auto& part : out.memory) {
    const std::size_t take = n < part.size() ? n : part.size();
    part.remove_prefix(take);
    n -= take;
  }
}

SendState send_memory(int fd, Outgoing& out, int& error) {
  iovec iov[3];
  int count = 0;
  for (auto part : out.memory) {
    if (!part.empty()) iov[count++] = {const_cast<char*>(part.data()), part.size()};
  }
  msghdr message{};
  message.msg_iov = iov;
  message.msg_iovlen = static_cast<std::size_t>(count);
  // MSG_MORE: the head waits for the file bytes instead of leaving in a packet of its own.
  const int flags = MSG_NOSIGNAL | (file_left(out) ? MSG_MORE : 0);
  const ssize_t n = ::sendmsg(fd, &message, flags);
  if (n < 0) {
    if (errno == EINTR) return SendState::done;  // caller loops: nothing lost
    if (errno == EAGAIN || errno == EWOULDBLOCK) return SendState::would_block;
    error = errno;
    return SendState::failed;
  }
  consume_memory(out, static_cast<std::size_t>(n));
  out.sent += static_cast<std::size_t>(n);
  return SendState::done;
}

SendState send_file(int fd, Outgoing& out, int& error) {
  FileSlice& slice = out.file[0].length > 0 ? out.file[0] : out.file[1];
  off_t offset = static_cast<off_t>(slice.offset);
  const std::size_t want = slice.length < kMaxSendfile ? slice.length : kMaxSendfile;
  const ssize_t n = ::sendfile(fd, slice.fd, &offset, want);
  if (n < 0) {
    if (errno == EINTR) return SendState::done;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return SendState::would_block;
    error = errno;
    return SendState::failed;
  }
  if (n == 0) {  // the file is shorter than the slice: never expected, never loop on it
    error = EIO;
    return SendState::failed;
  }
  slice.offset += static_cast<std::size_t>(n);
  slice.length -= static_cast<std::size_t>(n);
  out.sent += static_cast<std::size_t>(n);
  return SendState::done;
}

}  // namespace

SendState send_some(int socket_fd, Outgoing& out, int& error) {
  while (memory_left(out) || file_left(out)) {
    const SendState state =
        memory_left(out) ? send_memory(socket_fd, out, error) : send_file(socket_fd, out, error);
    if (state != SendState::done) return state;
  }
  return SendState::done;
}

}  // namespace fg::serve
