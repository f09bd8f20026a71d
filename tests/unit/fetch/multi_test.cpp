// The event-loop fetcher: concurrency and per-host limits seen by a loopback server, the async
// API, Retry-After pauses, the private-address refusal (loopback only) and shutdown.

#include <gtest/gtest.h>
#include <zlib.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fetch/fetcher.hpp"
#include "support/http_server.hpp"
#include "support/source_paths.hpp"

namespace fg::fetch {
namespace {

using std::chrono::milliseconds;
using test::http_response;
using test::ReceivedRequest;
using test::TestServer;

FetchOptions loopback_options() {
  FetchOptions o;
  o.timeout = milliseconds(5000);
  o.allow_private = true;
  o.min_gap = milliseconds(0);
  return o;
}

// Answers each request only once `expected` requests are being handled at the same time, or
// after a grace period; says which ("together"/"alone").
class Rendezvous {
 public:
  explicit Rendezvous(int expected) : expected_(expected) {}
  std::string operator()(const ReceivedRequest&) {
    std::unique_lock lock(mutex_);
    ++arrived_;
    cv_.notify_all();
    const bool together =
        cv_.wait_for(lock, std::chrono::seconds(2), [&] { return arrived_ >= expected_; });
    return http_response(200, "", together ? "together" : "alone");
  }

 private:
  int expected_;
  int arrived_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
};

std::vector<Result<Response>> fetch_all(Fetcher& fetcher, const std::vector<std::string>& urls) {
  std::vector<std::future<Result<Response>>> futures;
  for (const auto& url : urls) {
    auto promise = std::make_shared<std::promise<Result<Response>>>();
    futures.push_back(promise->get_future());
    fetcher.fetch_async({url, {}},
                        [promise](Result<Response> r) { promise->set_value(std::move(r)); });
  }
  std::vector<Result<Response>> out;
  for (auto& f : futures) out.push_back(f.get());
  return out;
}

TEST(FetcherMulti, RequestsToOneHostRunTogetherWithinPerHost) {
  TestServer server;
  auto meet = std::make_shared<Rendezvous>(2);
  server.on("/a", [meet](const ReceivedRequest& r) { return (*meet)(r); });
  server.on("/b", [meet](const ReceivedRequest& r) { return (*meet)(r); });
  FetchOptions o = loopback_options();
  o.per_host = 2;
  Fetcher fetcher(o);
  const auto results = fetch_all(fetcher, {server.url("/a"), server.url("/b")});
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(r->body, "together");
  }
}

TEST(FetcherMulti, PerHostOfOneNeverOverlaps) {
  TestServer server;
  auto meet = std::make_shared<Rendezvous>(2);
  server.on("/a", [meet](const ReceivedRequest& r) { return (*meet)(r); });
  server.on("/b", [meet](const ReceivedRequest& r) { return (*meet)(r); });
  FetchOptions o = loopback_options();
  o.per_host = 1;
  Fetcher fetcher(o);
  const auto results = fetch_all(fetcher, {server.url("/a"), server.url("/b")});
  ASSERT_TRUE(results[0].ok()) << results[0].error().describe();
  ASSERT_TRUE(results[1].ok()) << results[1].error().describe();
  // The first waited alone; the second arrived after it was answered.
  EXPECT_EQ(results[0]->body, "alone");
  EXPECT_EQ(results[1]->body, "together");
}

TEST(FetcherMulti, ManyAsyncFetchesAllComplete) {
  TestServer server;
  std::vector<std::string> urls;
  for (int i = 0; i < 40; ++i) {
    const std::string path = "/page" + std::to_string(i);
    server.on(path, http_response(200, "", "body of " + path));
    urls.push_back(server.url(path));
  }
  FetchOptions o = loopback_options();
  o.concurrency = 4;
  o.per_host = 4;
  Fetcher fetcher(o);
  const auto results = fetch_all(fetcher, urls);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error().describe();
    EXPECT_EQ(results[i]->body, "body of /page" + std::to_string(i));
  }
  EXPECT_LE(server.connection_count(), 4);  // keep-alive: connections were reused
}

TEST(FetcherMulti, RetryAfterPausesTheHost) {
  TestServer server;
  server.on("/busy", http_response(429, "Retry-After: 120\r\n", "slow down"));
  server.on("/other", http_response(200, "", "fine"));
  Fetcher fetcher(loopback_options());
  auto first = fetcher.fetch({server.url("/busy"), {}});
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(http_status_of(first.error()), 429);
  EXPECT_EQ(retry_after_of(first.error()), std::chrono::seconds(120));

  auto second = fetcher.fetch({server.url("/other"), {}});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::http_status);
  const auto wait = retry_after_of(second.error());
  ASSERT_TRUE(wait.has_value()) << second.error().message;
  EXPECT_GT(wait->count(), 0);
  EXPECT_LE(wait->count(), 120);
  EXPECT_EQ(server.requests().size(), 1u);  // the paused host was not asked again
}

TEST(FetcherMulti, ServiceUnavailableWithoutRetryAfterDoesNotPause) {
  TestServer server;
  server.on("/down", http_response(503, "", ""));
  server.on("/up", http_response(200, "", "up"));
  Fetcher fetcher(loopback_options());
  auto down = fetcher.fetch({server.url("/down"), {}});
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(retry_after_of(down.error()), std::nullopt);
  auto up = fetcher.fetch({server.url("/up"), {}});
  ASSERT_TRUE(up.ok()) << up.error().describe();
}

TEST(FetcherMulti, LoopbackRefusedUnlessAllowPrivate) {
  TestServer server;
  server.on("/x", http_response(200, "", "secret"));
  FetchOptions o = loopback_options();
  o.allow_private = false;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/x"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::network);
  EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("loopback"), std::string::npos);
  EXPECT_NE(r.error().message.find("allow_private"), std::string::npos);
  EXPECT_EQ(server.connection_count(), 0);
}

TEST(FetcherMulti, RedirectToLoopbackRefused) {
  TestServer portal;  // stands for a public portal: trusted as a peer, by port
  TestServer internal;
  internal.on("/admin", http_response(200, "", "internal"));
  portal.on("/news", http_response(302, "Location: " + internal.url("/admin") + "\r\n", ""));
  FetchOptions o = loopback_options();
  o.allow_private = false;
  o.trusted_peers = {"127.0.0.1:" + std::to_string(portal.port())};
  Fetcher fetcher(o);
  auto r = fetcher.fetch({portal.url("/news"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("allow_private"), std::string::npos) << r.error().message;
  EXPECT_EQ(portal.requests().size(), 1u);
  EXPECT_EQ(internal.connection_count(), 0);
}

TEST(FetcherMulti, FileUrlsWorkWithoutAllowPrivate) {
  FetchOptions o = loopback_options();
  o.allow_private = false;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({std::string("file://") + FG_FIXTURES + "/fetch/plain_file.txt", {}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->body, "feedgate file fixture\n第一行\n");
}

// 64 MiB of zeros gzip to about 64 KiB: the transfer must stop at max_body, not inflate it all.
TEST(FetcherMulti, GzipBombStopsAtMaxBody) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  const std::string zeros(1 << 20, '\0');
  std::string bomb(1 << 20, '\0');
  z.next_out = reinterpret_cast<Bytef*>(bomb.data());
  z.avail_out = static_cast<uInt>(bomb.size());
  for (int i = 0; i < 64; ++i) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(zeros.size());
    ASSERT_EQ(deflate(&z, i == 63 ? Z_FINISH : Z_NO_FLUSH), i == 63 ? Z_STREAM_END : Z_OK);
  }
  bomb.resize(z.total_out);
  deflateEnd(&z);
  ASSERT_LT(bomb.size(), 1u << 20);

  TestServer server;
  server.on("/bomb", http_response(200, "Content-Encoding: gzip\r\n", bomb));
  FetchOptions o = loopback_options();
  o.max_body = 1 << 20;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/bomb"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
}

TEST(FetcherMulti, DestroyingTheFetcherFailsRequestsInFlight) {
  TestServer server;
  server.on("/hang", test::kHang);
  std::future<Result<Response>> outcome;
  {
    FetchOptions o = loopback_options();
    o.timeout = milliseconds(60'000);
    Fetcher fetcher(o);
    auto promise = std::make_shared<std::promise<Result<Response>>>();
    outcome = promise->get_future();
    fetcher.fetch_async({server.url("/hang"), {}},
                        [promise](Result<Response> r) { promise->set_value(std::move(r)); });
  }
  auto r = outcome.get();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("fetcher stopped"), std::string::npos) << r.error().message;
}

// Shutting down with polls in flight: a blocked fetch() returns, later requests fail at once.
TEST(FetcherMulti, StopFailsRequestsInFlightAndEveryLaterOne) {
  TestServer server;
  server.on("/hang", test::kHang);
  FetchOptions o = loopback_options();
  o.timeout = milliseconds(60'000);
  Fetcher fetcher(o);
  EXPECT_FALSE(fetcher.stopped());
  std::future<Result<Response>> blocked = std::async(std::launch::async, [&] {
    return fetcher.fetch({server.url("/hang"), {}});
  });
  while (server.requests().empty()) std::this_thread::sleep_for(milliseconds(5));
  fetcher.stop();
  EXPECT_TRUE(fetcher.stopped());
  auto r = blocked.get();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("fetcher stopped"), std::string::npos) << r.error().message;
  auto later = fetcher.fetch({server.url("/hang"), {}});
  ASSERT_FALSE(later.ok());
  EXPECT_NE(later.error().message.find("fetcher stopped"), std::string::npos);
  fetcher.stop();  // idempotent
}

}  // namespace
}  // namespace fg::fetch
