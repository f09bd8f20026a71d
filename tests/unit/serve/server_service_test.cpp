// What running as a service needs from the server: an inherited listening socket (systemd socket
// activation), a periodic tick on the event loop (watchdog pings) and a per-request hook (access
// log).

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "serve/prepare.hpp"
#include "serve/server.hpp"

namespace fg::serve {
namespace {

using namespace std::chrono_literals;

// A listening IPv4 socket on 127.0.0.1 with a free port, as systemd would hand it over.
int listening_socket(unsigned short& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    ::close(fd);
    return -1;
  }
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  port = ntohs(addr.sin_port);
  return fd;
}

// One GET over a fresh connection; returns the raw response ("" when nothing came back).
std::string fetch(unsigned short port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buffer[4096];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
  }
  ::close(fd);
  return response;
}

std::shared_ptr<const Site> site_with_root(const std::string& text) {
  auto site = std::make_shared<Site>();
  site->resources["/"] = make_resource("text/plain", text, Timestamp{}, 0, false);
  return site;
}

TEST(ServerService, AcceptsOnAnAdoptedListeningSocket) {
  unsigned short port = 0;
  const int fd = listening_socket(port);
  ASSERT_GE(fd, 0);
  ServerOptions options;
  options.listen = "127.0.0.1:1";  // ignored: the adopted socket is used instead
  options.adopt_fd = fd;
  Server server(options);
  ASSERT_TRUE(server.start());
  EXPECT_EQ(server.port(), port);
  server.publish(site_with_root("adopted"));
  const std::string response = fetch(port, "/");
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  EXPECT_NE(response.find("adopted"), std::string::npos);
  server.stop();
}

TEST(ServerService, AdoptingSomethingThatIsNoSocketFails) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  ServerOptions options;
  options.adopt_fd = pipe_fds[0];
  Server server(options);
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("not a socket"), std::string::npos);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

TEST(ServerService, EveryTicksRepeatedly) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  Server server(options);
  ASSERT_TRUE(server.start());
  std::mutex mutex;
  std::condition_variable changed;
  int ticks = 0;
  server.every(5ms, [&] {
    std::lock_guard lock(mutex);
    ++ticks;
    changed.notify_all();
  });
  {
    std::unique_lock lock(mutex);
    // Bounded wait so a broken timer fails instead of hanging; not a speed assertion.
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return ticks >= 3; }));
  }
  server.stop();
  std::lock_guard lock(mutex);
  const int after_stop = ticks;
  EXPECT_GE(after_stop, 3);
}

TEST(ServerService, OnRequestSeesMethodTargetStatusAndSize) {
  std::mutex mutex;
  std::vector<std::string> seen;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.on_request = [&](std::string_view method, std::string_view target, int status,
                           std::size_t bytes) {
    std::lock_guard lock(mutex);
    seen.push_back(std::string(method) + " " + std::string(target) + " " + std::to_string(status) +
                   " " + std::to_string(bytes));
  };
  Server server(options);
  ASSERT_TRUE(server.start());
  server.publish(site_with_root("hello"));
  fetch(server.port(), "/");
  fetch(server.port(), "/missing");
  server.stop();
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "GET / 200 5");
  EXPECT_EQ(seen[1].rfind("GET /missing 404 ", 0), 0u) << seen[1];
}

}  // namespace
}  // namespace fg::serve
