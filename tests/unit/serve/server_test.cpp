// The server over real sockets on 127.0.0.1, with a small blocking POSIX client.

#include "serve/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "serve/prepare.hpp"
#include "support/temp_dir.hpp"
#include "test_client.hpp"

namespace fg::serve {
namespace {

using namespace std::chrono_literals;
using namespace fg::serve::test;

// 2020-01-29 01:17:24 UTC.
constexpr Timestamp kModified{std::chrono::sys_days{std::chrono::year{2020} / 1 / 29} + 1h + 17min +
                              24s};

std::string atom_body() {
  std::string body = "<feed>";
  for (int i = 0; i < 50; ++i)
    body += "<entry><title>杭州新闻 " + std::to_string(i) + "</title></entry>";
  return body + "</feed>";
}

std::shared_ptr<const Site> site_with(std::string root_text, const BodyDir* bodies) {
  auto site = std::make_shared<Site>();
  site->resources["/feeds/demo.atom"] = make_resource("application/atom+xml; charset=utf-8",
                                                      atom_body(), kModified, 60, true, bodies);
  site->resources["/"] =
      make_resource("text/html; charset=utf-8", std::move(root_text), kModified, 5, true, bodies);
  return site;
}

// Every test runs twice: bodies in memory, and bodies in files sent with sendfile(2).
class ServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto opened = BodyDir::open(scratch_.path());
      ASSERT_TRUE(opened.ok()) << opened.error().describe();
      bodies_ = *opened;
    }
    start();
  }
  std::shared_ptr<const Site> site_with(std::string root_text) {
    return serve::site_with(std::move(root_text), bodies_.get());
  }

  void start(std::chrono::milliseconds idle = 5s) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.idle_timeout = idle;
    server_ = std::make_unique<Server>(options);
    server_->publish(site_with("home v1"));
    auto started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error().describe();
    ASSERT_NE(server_->port(), 0);
  }

  std::optional<HttpResponse> fetch(std::string_view request, bool no_body = false) {
    Client client(server_->port());
    client.send(request);
    return client.read_response(no_body);
  }

  fg::test::TempDir scratch_;
  std::shared_ptr<const BodyDir> bodies_;
  std::unique_ptr<Server> server_;
};

INSTANTIATE_TEST_SUITE_P(Bodies, ServerTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "InFiles" : "InMemory"; });

TEST_P(ServerTest, GetAnswersWithBodyAndCacheHeaders) {
  auto r = fetch(get("/feeds/demo.atom"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, atom_body());
  EXPECT_EQ(r->get("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(r->get("content-length"), std::to_string(atom_body().size()));
  EXPECT_EQ(r->get("last-modified"), "Wed, 29 Jan 2020 01:17:24 GMT");
  EXPECT_EQ(r->get("cache-control"), "public, max-age=60");
  EXPECT_EQ(r->get("vary"), "Accept-Encoding");
  EXPECT_EQ(r->get("server"), "feedgate");
  EXPECT_EQ(r->get("date").substr(r->get("date").size() - 4), " GMT");
  EXPECT_EQ(r->get("etag").size(), 18u);  // quoted 16 hex digits
  EXPECT_FALSE(r->has("content-encoding"));
}

TEST_P(ServerTest, GzipOnlyWhenAccepted) {
  auto zipped = fetch(get("/feeds/demo.atom", "Accept-Encoding: deflate, gzip;q=0.8\r\n"));
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->get("content-encoding"), "gzip");
  EXPECT_EQ(gunzip(zipped->body), atom_body());
  EXPECT_LT(zipped->body.size(), atom_body().size());

  auto plain = fetch(get("/feeds/demo.atom", "Accept-Encoding: gzip;q=0\r\n"));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->has("content-encoding"));
  EXPECT_EQ(plain->body, atom_body());
  EXPECT_NE(plain->get("etag"), zipped->get("etag"));
}

TEST_P(ServerTest, ConditionalGetsAnswer304AndKeepTheConnection) {
  const std::string etag = fetch(get("/feeds/demo.atom"))->get("etag");
  Client client(server_->port());
  client.send(get("/feeds/demo.atom", "If-None-Match: \"zzz\", " + etag + "\r\n"));
  auto r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->get("etag"), etag);
  EXPECT_EQ(r->get("cache-control"), "public, max-age=60");
  EXPECT_EQ(r->get("vary"), "Accept-Encoding");
  EXPECT_EQ(r->get("last-modified"), "Wed, 29 Jan 2020 01:17:24 GMT");

  client.send(get("/feeds/demo.atom", "If-Modified-Since: Wed, 29 Jan 2020 01:17:24 GMT\r\n"));
  r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 304);

  client.send(get("/feeds/demo.atom", "If-Modified-Since: Tue, 28 Jan 2020 01:17:24 GMT\r\n"));
  r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, atom_body());
}

TEST_P(ServerTest, HeadSendsHeadersOnly) {
  Client client(server_->port());
  client.send("HEAD /feeds/demo.atom HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = client.read_response(/*no_body=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->get("content-length"), std::to_string(atom_body().size()));
  EXPECT_EQ(head->get("content-type"), "application/atom+xml; charset=utf-8");
  // Had a body been sent, it would now be read in place of the next status line.
  client.send(get("/healthz"));
  auto next = client.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  EXPECT_EQ(next->body, "ok\n");
}

TEST_P(ServerTest, NotFoundMethodNotAllowedAndHealth) {
  EXPECT_EQ(fetch(get("/feeds/missing.atom"))->status, 404);
  auto post = fetch("POST /feeds/demo.atom HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get("allow"), "GET, HEAD");
  auto health = fetch(get("/healthz"));
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  EXPECT_EQ(health->get("content-type"), "text/plain; charset=utf-8");
}

TEST_P(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Client client(server_->port());
  client.send(get("/feeds/demo.atom") + get("/healthz") + get("/"));
  auto first = client.read_response();
  auto second = client.read_response();
  auto third = client.read_response();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body, atom_body());
  EXPECT_EQ(second->body, "ok\n");
  EXPECT_EQ(third->body, "home v1");
}

TEST_P(ServerTest, ConnectionCloseIsHonoured) {
  Client client(server_->port());
  client.send(get("/healthz", "Connection: close\r\n"));
  auto r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get("connection"), "close");
  EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, OversizeHeaderIs431) {
  Client client(server_->port());
  client.send(get("/healthz", "X-Filler: " + std::string(10'000, 'a') + "\r\n"));
  auto r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, BodyOnGetIs413) {
  Client client(server_->port());
  client.send(get("/healthz", "Content-Length: 5\r\n") + "hello");
  auto r = client.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(client.closed_by_server());
}

TEST_P(ServerTest, OverlongTargetIs414) {
  auto r = fetch(get("/" + std::string(3000, 'a')));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 414);
}

TEST_P(ServerTest, GarbageRequestIs400AndServerKeepsServing) {
  Client bad(server_->port());
  bad.send("\x01\x02 garbage \xff\r\n\r\n");
  auto r = bad.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(bad.closed_by_server());
  EXPECT_EQ(fetch(get("/healthz"))->status, 200);
}

TEST_P(ServerTest, MalformedRequestsGetAnErrorAndTheServerSurvives) {
  const std::pair<std::string, int> cases[] = {
      {"GET / HTTP/9.9\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400},
      {std::string("GET /\0 HTTP/1.1\r\n\r\n", 19), 400},
      {"GET / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
       413},
  };
  for (const auto& [request, status] : cases) {
    Client client(server_->port());
    client.send(request);
    auto r = client.read_response();
    ASSERT_TRUE(r) << request;
    EXPECT_EQ(r->status, status) << request;
    EXPECT_TRUE(client.closed_by_server()) << request;
  }
  EXPECT_EQ(fetch(get("/healthz"))->status, 200);
}

TEST_P(ServerTest, PublishedSiteIsSeenByTheNextRequest) {
  Client client(server_->port());
  client.send(get("/"));
  EXPECT_EQ(client.read_response()->body, "home v1");
  server_->publish(site_with("home v2"));
  client.send(get("/"));
  EXPECT_EQ(client.read_response()->body, "home v2");
}

TEST_P(ServerTest, StopReturnsPromptlyWithAnIdleConnectionOpen) {
  Client client(server_->port());
  client.send(get("/healthz"));
  ASSERT_TRUE(client.read_response());
  const auto before = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 4s);  // idle timeout is 5 s
  EXPECT_TRUE(client.closed_by_server());
  server_->stop();  // a second stop is harmless
}

TEST_P(ServerTest, IdleConnectionIsClosedAfterTimeout) {
  server_.reset();
  start(200ms);
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  EXPECT_TRUE(client.closed_by_server());  // the client waits up to 5 s
}

TEST_P(ServerTest, SecondServerOnSamePortReportsAddressInUse) {
  ServerOptions options;
  options.listen = "127.0.0.1:" + std::to_string(server_->port());
  Server second(options);
  auto started = second.start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, Errc::io);
  EXPECT_EQ(started.error().message, "cannot listen on " + options.listen +
                                         ": Address already in use; is another feedgate running? "
                                         "change server.listen");
}

TEST_P(ServerTest, LimitCutsTheFeedAfterNItems) {
  auto r = fetch(get("/feeds/demo.atom?limit=2"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body,
            "<feed><entry><title>杭州新闻 0</title></entry><entry><title>杭州新闻 1</title>"
            "</entry></feed>");
}

// A reader still receiving a body when the feed is replaced gets the old bytes whole: the reply
// holds the Resource (and so its file) until the last byte is sent.
TEST_P(ServerTest, AReplacedBodyStillReachesAReaderHalfwayThrough) {
  std::string big = "<feed>";
  while (big.size() < (12u << 20)) big += "<entry>" + std::to_string(big.size()) + "</entry>";
  big += "</feed>";
  auto site = std::make_shared<Site>();
  site->resources["/big.atom"] =
      make_resource("application/atom+xml", big, kModified, 60, false, bodies_.get());
  server_->publish(site);
  site.reset();

  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);  // before connect: a slow reader
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string request = get("/big.atom", "Connection: close\r\n");
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string received(1000, '\0');
  ASSERT_GT(::recv(fd, received.data(), received.size(), MSG_WAITALL), 0);
  server_->publish(site_with("home v2"));  // /big.atom is gone from what is served
  char chunk[65536];
  for (ssize_t n; (n = ::recv(fd, chunk, sizeof chunk, 0)) > 0;) received.append(chunk, n);
  ::close(fd);
  const auto body_at = received.find("\r\n\r\n");
  ASSERT_NE(body_at, std::string::npos);
  EXPECT_EQ(received.size() - body_at - 4, big.size());
  EXPECT_TRUE(received.substr(body_at + 4) == big);
  EXPECT_EQ(fetch(get("/big.atom"))->status, 404);
}

// sendfile(2) to a peer that hung up raises SIGPIPE, which would end the whole process.
TEST_P(ServerTest, AReaderHangingUpMidBodyLeavesTheServerServing) {
  std::string big(8u << 20, 'x');
  auto site = std::make_shared<Site>();
  site->resources["/big.atom"] =
      make_resource("application/atom+xml", big, kModified, 60, false, bodies_.get());
  server_->publish(site);
  for (int round = 0; round < 3; ++round) {
    Client client(server_->port());
    client.send(get("/big.atom"));
    ASSERT_TRUE(client.read_some(1000)) << round;
    client.reset();  // unread data pending: the close sends a reset
    std::this_thread::sleep_for(50ms);
  }
  auto after = fetch(get("/healthz"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST(ServerStart, RejectsAHostName) {
  Server server(ServerOptions{.listen = "example.org:80"});
  auto started = server.start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, Errc::config);
}

}  // namespace
}  // namespace fg::serve
