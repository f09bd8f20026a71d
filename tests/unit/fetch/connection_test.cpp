// Fetcher beyond single HTTP exchanges: refused connections, file:// reads, connection reuse,
// concurrent callers.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "fetch/fetcher.hpp"
#include "support/http_server.hpp"
#include "support/source_paths.hpp"

namespace fg::fetch {
namespace {

using test::http_response;
using test::TestServer;

FetchOptions short_options() {
  FetchOptions o;
  o.timeout = std::chrono::milliseconds(5000);
  o.allow_private = true;  // the test server is on loopback
  o.min_gap = std::chrono::milliseconds(0);
  return o;
}

// A loopback port nobody listens on: bound, then released.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(FetcherConnection, RefusedConnectionIsNetworkError) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({url, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::network);
  EXPECT_EQ(r.error().where, url);
  EXPECT_FALSE(r.error().message.empty());
}

TEST(FetcherConnection, ReadsAFile) {
  const std::string url = std::string("file://") + FG_FIXTURES + "/fetch/plain_file.txt";
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({url, {}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "feedgate file fixture\n第一行\n");
  EXPECT_EQ(r->content_type, "");
}

TEST(FetcherConnection, MissingFileIsNotFound) {
  const std::string url = std::string("file://") + FG_FIXTURES + "/fetch/no_such_file.txt";
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({url, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_found);
  EXPECT_EQ(r.error().where, url);
}

TEST(FetcherConnection, FileLargerThanMaxBodyIsTooLarge) {
  const std::string url = std::string("file://") + FG_FIXTURES + "/fetch/plain_file.txt";
  FetchOptions o = short_options();
  o.max_body = 10;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({url, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
}

TEST(FetcherConnection, OtherSchemesAreUnsupported) {
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({"ftp://127.0.0.1/x", {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::unsupported);
}

TEST(FetcherConnection, KeepAliveConnectionIsReusedAcrossCalls) {
  TestServer server;
  server.on("/a", http_response(200, "", "first"));
  server.on("/b", http_response(200, "", "second"));
  Fetcher fetcher(short_options());
  auto a = fetcher.fetch({server.url("/a"), {}});
  auto b = fetcher.fetch({server.url("/b"), {}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->body, "first");
  EXPECT_EQ(b->body, "second");
  EXPECT_EQ(server.connection_count(), 1);
}

TEST(FetcherConnection, ConcurrentCallersEachGetTheirOwnResponse) {
  TestServer server;
  for (int i = 0; i < 4; ++i) {
    server.on("/p" + std::to_string(i), http_response(200, "", "page " + std::to_string(i)));
  }
  Fetcher fetcher(short_options());
  std::vector<std::string> bodies(4 * 5);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 5; ++k) {
        auto r = fetcher.fetch({server.url("/p" + std::to_string(t)), {}});
        bodies[t * 5 + k] = r.ok() ? r->body : r.error().describe();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    for (int k = 0; k < 5; ++k) EXPECT_EQ(bodies[t * 5 + k], "page " + std::to_string(t));
  }
  EXPECT_EQ(server.requests().size(), 20u);
}

}  // namespace
}  // namespace fg::fetch
