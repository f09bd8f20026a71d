// Request framing over real sockets (RFC 9112): a Transfer-Encoding Beast reads as "no body",
// Host lines and the configured header limit. Each refusal is a 400/431 and a closed
// connection, so bytes smuggled after a misframed request are never answered.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "serve/prepare.hpp"
#include "serve/server.hpp"
#include "test_client.hpp"

namespace fg::serve {
namespace {

using namespace std::chrono_literals;
using namespace fg::serve::test;

class FramingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.max_header_bytes = 8 * 1024;
    server_ = std::make_unique<Server>(options);
    auto site = std::make_shared<Site>();
    site->resources["/feeds/a.rss"] =
        make_resource("application/rss+xml", "<rss/>", Timestamp{std::chrono::seconds{1}}, 60);
    server_->publish(site);
    ASSERT_TRUE(server_->start().ok());
  }

  // Sends `bytes` and returns the one status answered, checking that nothing else comes back
  // and the connection is closed; 0 when nothing was answered.
  int refused_with(const std::string& bytes) {
    Client client(server_->port());
    client.set_timeout(3s);
    client.send(bytes);
    auto r = client.read_response();
    if (!r) return 0;
    EXPECT_TRUE(client.closed_by_server()) << bytes.substr(0, 200);
    return r->status;
  }

  int status_of(const std::string& bytes) {
    Client client(server_->port());
    client.send(bytes);
    auto r = client.read_response();
    return r ? r->status : 0;
  }

  std::unique_ptr<Server> server_;
};

TEST_F(FramingTest, TransferEncodingNotEndingInChunkedIs400AndWhatFollowsIsNotAnswered) {
  for (const char* coding : {"xchunked", "gzip", "identity", "chunked, identity"}) {
    // The smuggled request would be answered as a second one if the first were read bodiless.
    const std::string request =
        "GET /feeds/a.rss HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + std::string(coding) +
        "\r\n\r\n" + get("/feeds/a.rss");
    EXPECT_EQ(refused_with(request), 400) << coding;
  }
  EXPECT_EQ(status_of(get("/feeds/a.rss")), 200);
}

TEST_F(FramingTest, TransferEncodingSplitOverTwoLinesIsOneList) {
  const std::string request =
      "GET /feeds/a.rss HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
      "Transfer-Encoding: identity\r\n\r\n" +
      get("/feeds/a.rss");
  EXPECT_EQ(refused_with(request), 400);
}

TEST_F(FramingTest, TransferEncodingInHttp10Is400) {
  EXPECT_EQ(
      refused_with("GET /feeds/a.rss HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
      400);
}

TEST_F(FramingTest, AnEmptyChunkedBodyIsAccepted) {
  EXPECT_EQ(status_of("GET /feeds/a.rss HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "0\r\n\r\n"),
            200);
}

TEST_F(FramingTest, MissingOrRepeatedHostIs400) {
  EXPECT_EQ(refused_with("GET /feeds/a.rss HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(refused_with("GET /feeds/a.rss HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(refused_with("GET /feeds/a.rss HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(refused_with("GET /feeds/a.rss HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
  EXPECT_EQ(status_of("GET /feeds/a.rss HTTP/1.0\r\n\r\n"), 200);  // HTTP/1.0 may omit it
}

TEST_F(FramingTest, TheConfiguredHeaderLimitIsTheLimit) {
  // request line + Host + filler + blank line = exactly `total` bytes.
  auto request_of = [](std::size_t total, std::size_t target_length) {
    std::string head = "GET /feeds/a.rss?" + std::string(target_length, 'q') + " HTTP/1.1\r\n";
    head += "Host: t\r\nX-Filler: ";
    const std::size_t rest = total - head.size() - 4;
    return head + std::string(rest, 'f') + "\r\n\r\n";
  };
  EXPECT_EQ(status_of(request_of(8 * 1024, 0)), 200);
  EXPECT_EQ(refused_with(request_of(8 * 1024 + 1, 0)), 431);
  // A long request line and fields just under the limit each: Beast alone let ~12 KB through.
  EXPECT_EQ(status_of(request_of(8 * 1024, 2000)), 200);
  EXPECT_EQ(refused_with(request_of(12 * 1000, 2000)), 431);
  EXPECT_EQ(refused_with(request_of(16 * 1000, 2000)), 431);
}

TEST_F(FramingTest, PipelinedRequestsAfterARefusalAreNotAnswered) {
  const std::string request =
      get("/feeds/a.rss") + "GET /feeds/a.rss HTTP/1.1\r\n\r\n" + get("/feeds/a.rss");
  Client client(server_->port());
  client.send(request);
  auto first = client.read_response();
  auto second = client.read_response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 400);
  EXPECT_TRUE(client.closed_by_server());
}

}  // namespace
}  // namespace fg::serve
