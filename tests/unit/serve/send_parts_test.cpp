// send_some() over a socketpair: memory parts first, then file slices, nothing lost when the
// socket is full and the send resumes.

#include "serve/send_parts.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "serve/body_file.hpp"
#include "support/temp_dir.hpp"

namespace fg::serve {
namespace {

struct SocketPair {
  int sender = -1, receiver = -1;
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0) {
      sender = fds[0];
      receiver = fds[1];
      ::fcntl(sender, F_SETFL, O_NONBLOCK);
    }
  }
  ~SocketPair() {
    ::close(sender);
    ::close(receiver);
  }
  std::string receive_available() {
    std::string out;
    char chunk[65536];
    ::fcntl(receiver, F_SETFL, O_NONBLOCK);
    for (ssize_t n; (n = ::read(receiver, chunk, sizeof chunk)) > 0;) out.append(chunk, n);
    return out;
  }
};

TEST(SendSome, MemoryThenFileSlicesInOrder) {
  fg::test::TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  ASSERT_TRUE(dir.ok());
  auto file = (*dir)->write({"0123456789"});
  ASSERT_TRUE(file.ok());
  SocketPair pair;
  Outgoing out;
  out.memory = {"HEAD\r\n", "", "|"};
  const std::uint64_t at = (*file)->offset();
  out.file = {FileSlice{(*file)->fd(), at + 2, 3}, FileSlice{(*file)->fd(), at + 8, 2}};
  int error = 0;
  EXPECT_EQ(send_some(pair.sender, out, error), SendState::done);
  EXPECT_EQ(out.sent, 12u);
  EXPECT_EQ(pair.receive_available(), "HEAD\r\n|23489");
}

TEST(SendSome, AFullSocketResumesWhereItStopped) {
  fg::test::TempDir scratch;
  auto dir = BodyDir::open(scratch.path());
  std::string big;
  for (int i = 0; big.size() < (4u << 20); ++i) big += std::to_string(i) + ",";
  auto file = (*dir)->write({big});
  ASSERT_TRUE(file.ok());
  SocketPair pair;
  Outgoing out;
  out.memory = {"head:", "", ""};
  out.file[0] = {(*file)->fd(), (*file)->offset(), big.size()};
  int error = 0;
  std::string received;
  int rounds = 0;
  SendState state;
  while ((state = send_some(pair.sender, out, error)) == SendState::would_block) {
    received += pair.receive_available();
    ++rounds;
  }
  EXPECT_EQ(state, SendState::done);
  received += pair.receive_available();
  EXPECT_GT(rounds, 0);  // 4 MiB does not fit a socketpair's buffer at once
  EXPECT_EQ(received, "head:" + big);
  EXPECT_EQ(out.sent, big.size() + 5);
}

TEST(SendSome, APeerThatClosedIsAFailureWithErrno) {
  SocketPair pair;
  ::close(pair.receiver);
  pair.receiver = ::open("/dev/null", O_RDONLY);
  Outgoing out;
  out.memory = {"anything", "", ""};
  int error = 0;
  EXPECT_EQ(send_some(pair.sender, out, error), SendState::failed);
  EXPECT_EQ(error, EPIPE);
}

}  // namespace
}  // namespace fg::serve
