// The server under awkward clients: slowloris, HTTP/1.0, brotli readers, metrics scrapers.

#include <brotli/decode.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "serve/prepare.hpp"
#include "serve/server.hpp"
#include "support/prom_text.hpp"
#include "test_client.hpp"

namespace fg::serve {
namespace {

using namespace std::chrono_literals;
using namespace fg::serve::test;

std::string feed_body() {
  std::string body = "<rss><channel>";
  for (int i = 0; i < 60; ++i)
    body += "<item><title>浙江 新闻 " + std::to_string(i) + "</title></item>";
  return body + "</channel></rss>";
}

std::string unbrotli(const std::string& packed) {
  std::string out(1 << 16, '\0');
  std::size_t size = out.size();
  const auto rc =
      BrotliDecoderDecompress(packed.size(), reinterpret_cast<const std::uint8_t*>(packed.data()),
                              &size, reinterpret_cast<std::uint8_t*>(out.data()));
  if (rc != BROTLI_DECODER_RESULT_SUCCESS) return {};
  out.resize(size);
  return out;
}

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.idle_timeout = 20s;
    options.request_timeout = 2s;
    server_ = std::make_unique<Server>(options);
    auto site = std::make_shared<Site>();
    site->resources["/feeds/zj.rss"] =
        make_resource("application/rss+xml", feed_body(), Timestamp{std::chrono::seconds{1}}, 600);
    server_->publish(site);
    ASSERT_TRUE(server_->start().ok());
  }

  std::optional<HttpResponse> fetch(std::string_view request) {
    Client client(server_->port());
    client.send(request);
    return client.read_response();
  }

  std::unique_ptr<Server> server_;
};

TEST_F(LoadTest, BrotliWhenPreferred) {
  auto r = fetch(get("/feeds/zj.rss", "Accept-Encoding: gzip, deflate, br\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get("content-encoding"), "br");
  EXPECT_EQ(unbrotli(r->body), feed_body());
  EXPECT_EQ(r->get("etag").substr(r->get("etag").size() - 4), "-br\"");
  EXPECT_EQ(r->get("cache-control"), "public, max-age=600");
}

TEST_F(LoadTest, Http10KeepAliveIsAnnouncedAndHonoured) {
  Client client(server_->port());
  client.send("GET /feeds/zj.rss HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto first = client.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->get("connection"), "keep-alive");
  client.send("HEAD /feeds/zj.rss HTTP/1.0\r\n\r\n");  // no keep-alive: closes after
  auto second = client.read_response(true);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->get("content-length"), std::to_string(feed_body().size()));
  EXPECT_TRUE(client.closed_by_server());  // and no body bytes came before the close
}

TEST_F(LoadTest, SlowlorisDoesNotStopOtherClients) {
  // 300 connections that send half a request and then trickle one byte at a time.
  std::vector<std::unique_ptr<Client>> slow;
  for (int i = 0; i < 300; ++i) {
    slow.push_back(std::make_unique<Client>(server_->port()));
    ASSERT_TRUE(slow.back()->connected());
    slow.back()->send("GET /feeds/zj.rss HTTP/1.1\r\nHost: t\r\nX-a: ");
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& c : slow) c->send("b");
    // Another client is served at once: its socket times out after a second, failing the test.
    Client client(server_->port());
    client.set_timeout(1s);
    client.send(get("/feeds/zj.rss"));
    auto r = client.read_response();
    ASSERT_TRUE(r) << "round " << round;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, feed_body());
  }
  // The request timeout (2 s) closes the tricklers even though they keep sending.
  std::this_thread::sleep_for(2500ms);
  for (auto& c : slow) c->send("b");
  EXPECT_TRUE(slow.front()->closed_by_server());
  EXPECT_TRUE(slow.back()->closed_by_server());
}

TEST_F(LoadTest, MetricsParseAsPrometheusText) {
  ASSERT_TRUE(fetch(get("/feeds/zj.rss")));
  auto tagged = fetch(get("/feeds/zj.rss"));
  ASSERT_TRUE(tagged);
  ASSERT_TRUE(fetch(get("/feeds/zj.rss", "If-None-Match: " + tagged->get("etag") + "\r\n")));
  ASSERT_TRUE(fetch(get("/nope")));
  // A request is counted once its reply has been written, which may finish on the other server
  // thread just after the client read it: read /metrics until the 404 shows (bounded).
  const std::string not_found = "feedgate_http_requests_total{route=\"other\",status=\"404\"}";
  std::optional<HttpResponse> r;
  for (int attempt = 0; attempt < 100; ++attempt) {
    r = fetch(get("/metrics"));
    ASSERT_TRUE(r);
    if (fg::testing::parse_prom_text(r->body).get(not_found).value_or(0) >= 1.0) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const auto text = fg::testing::parse_prom_text(r->body);
  ASSERT_EQ(text.error, "");
  for (const char* name :
       {"feedgate_http_requests_total{route=\"feed\",status=\"200\"}",
        "feedgate_http_requests_total{route=\"feed\",status=\"304\"}",
        "feedgate_http_response_bytes_total", "feedgate_http_not_modified_ratio"}) {
    ASSERT_TRUE(text.get(name).has_value()) << name;
  }
  ASSERT_TRUE(text.get(not_found).has_value());
  EXPECT_EQ(text.types.at("feedgate_http_requests_total"), "counter");
  // Counters are process-wide: other tests in this binary add to them, so compare from below.
  EXPECT_GE(*text.get("feedgate_http_requests_total{route=\"feed\",status=\"200\"}"), 2.0);
  EXPECT_GE(*text.get("feedgate_http_requests_total{route=\"feed\",status=\"304\"}"), 1.0);
  EXPECT_GE(*text.get("feedgate_http_requests_total{route=\"other\",status=\"404\"}"), 1.0);
  EXPECT_GT(*text.get("feedgate_http_response_bytes_total"), 2.0 * 200);
  const double ratio = *text.get("feedgate_http_not_modified_ratio");
  EXPECT_GT(ratio, 0.0);
  EXPECT_LT(ratio, 1.0);
}

}  // namespace
}  // namespace fg::serve
