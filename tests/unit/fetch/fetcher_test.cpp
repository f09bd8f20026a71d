// Fetcher against a local test server: statuses, validators, encodings, limits, redirects.

#include "fetch/fetcher.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "support/http_server.hpp"

namespace fg::fetch {
namespace {

using test::http_response;
using test::ReceivedRequest;
using test::TestServer;

FetchOptions short_options() {
  FetchOptions o;
  o.user_agent = "feedgate-test/1";
  o.timeout = std::chrono::milliseconds(5000);
  o.allow_private = true;  // the test server is on loopback
  o.min_gap = std::chrono::milliseconds(0);
  return o;
}

std::string gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // +16: gzip
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(Fetcher, OkWithBodyContentTypeAndValidators) {
  TestServer server;
  server.on("/news", http_response(200,
                                   "Content-Type: text/html; charset=gbk\r\n"
                                   "ETag: \"v1\"\r\n"
                                   "Last-Modified: Wed, 29 Jan 2020 01:17:24 GMT\r\n",
                                   "<p>hello</p>"));
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({server.url("/news"), {}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "<p>hello</p>");
  EXPECT_EQ(r->content_type, "text/html; charset=gbk");
  EXPECT_EQ(r->validators.etag, "\"v1\"");
  EXPECT_EQ(r->validators.last_modified, "Wed, 29 Jan 2020 01:17:24 GMT");
  EXPECT_EQ(r->final_url, server.url("/news"));
  EXPECT_FALSE(r->not_modified());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].header("user-agent"), "feedgate-test/1");
  EXPECT_EQ(server.requests()[0].header("if-none-match"), "");
}

TEST(Fetcher, NotModifiedWhenTheEtagMatches) {
  TestServer server;
  server.on("/feed", [](const ReceivedRequest& req) {
    if (req.header("if-none-match") == "\"v7\"") return http_response(304, "", "");
    return http_response(200, "ETag: \"v7\"\r\n", "full body");
  });
  Fetcher fetcher(short_options());
  Validators v{"\"v7\"", "Wed, 29 Jan 2020 01:17:24 GMT"};
  auto r = fetcher.fetch({server.url("/feed"), v});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_TRUE(r->not_modified());
  EXPECT_EQ(r->body, "");
  // The 304 repeated nothing: the validators sent still stand.
  EXPECT_EQ(r->validators.etag, "\"v7\"");
  EXPECT_EQ(r->validators.last_modified, "Wed, 29 Jan 2020 01:17:24 GMT");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("if-none-match"), "\"v7\"");
  EXPECT_EQ(reqs[0].header("if-modified-since"), "Wed, 29 Jan 2020 01:17:24 GMT");
}

TEST(Fetcher, GzipBodyIsDecompressed) {
  const std::string text = "<p>" + std::string(2000, 'z') + "杭州网</p>";
  TestServer server;
  server.on("/gz", http_response(200, "Content-Encoding: gzip\r\n", gzip(text)));
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({server.url("/gz"), {}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->body, text);
  EXPECT_NE(server.requests()[0].header("accept-encoding").find("gzip"), std::string::npos);
}

TEST(Fetcher, ServerErrorIsHttpStatus) {
  TestServer server;
  server.on("/broken", http_response(500, "", "oops"));
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({server.url("/broken"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::http_status);
  EXPECT_EQ(r.error().message.rfind("HTTP 500", 0), 0u) << r.error().message;
  EXPECT_EQ(r.error().where, server.url("/broken"));
  EXPECT_EQ(http_status_of(r.error()), 500);
}

TEST(Fetcher, HttpStatusOfOtherErrorsIsZero) {
  EXPECT_EQ(http_status_of(make_error(Errc::network, "HTTP 500 lookalike")), 0);
  EXPECT_EQ(http_status_of(make_error(Errc::http_status, "HTTP 404 from x")), 404);
}

TEST(Fetcher, RedirectIsFollowedAndOnlyTheFinalHeadersCount) {
  TestServer server;
  server.on("/old", http_response(302,
                                  "Location: /new\r\nETag: \"redirect\"\r\n"
                                  "Content-Type: text/plain\r\n",
                                  "moved"));
  server.on("/new", http_response(200, "Content-Type: text/html\r\n", "arrived"));
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({server.url("/old"), {}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "arrived");
  EXPECT_EQ(r->final_url, server.url("/new"));
  EXPECT_EQ(r->content_type, "text/html");
  EXPECT_EQ(r->validators.etag, "");
}

TEST(Fetcher, RedirectToFileIsRefused) {
  TestServer server;
  server.on("/evil", http_response(302, "Location: file:///etc/passwd\r\n", ""));
  Fetcher fetcher(short_options());
  auto r = fetcher.fetch({server.url("/evil"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::unsupported);
  EXPECT_NE(r.error().message.find("redirect to a non-http(s) URL refused"), std::string::npos)
      << r.error().message;
}

TEST(Fetcher, RedirectLoopStopsAtMaxRedirects) {
  TestServer server;
  server.on("/loop", http_response(301, "Location: /loop\r\n", ""));
  FetchOptions o = short_options();
  o.max_redirects = 3;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/loop"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::network);
  EXPECT_NE(r.error().message.find("redirects"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 4u);  // the first request and three redirects
}

TEST(Fetcher, DeclaredOversizeBodyIsTooLarge) {
  TestServer server;
  server.on("/big", http_response(200, "", std::string(1000, 'x')));
  FetchOptions o = short_options();
  o.max_body = 100;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/big"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
  EXPECT_NE(r.error().message.find("max_body (100 bytes)"), std::string::npos);
}

TEST(Fetcher, UndeclaredOversizeBodyIsTooLarge) {
  TestServer server;
  server.on("/stream", http_response(200, "", std::string(1000, 'x'), /*length=*/false));
  FetchOptions o = short_options();
  o.max_body = 100;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/stream"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
}

TEST(Fetcher, LimitAppliesToDecompressedBytes) {
  TestServer server;
  server.on("/bomb",
            http_response(200, "Content-Encoding: gzip\r\n", gzip(std::string(5000, 'a'))));
  FetchOptions o = short_options();
  o.max_body = 1000;  // the compressed body is far smaller than this
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/bomb"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
}

TEST(Fetcher, BodyAtExactlyMaxBodyIsAccepted) {
  TestServer server;
  server.on("/exact", http_response(200, "", std::string(100, 'x')));
  FetchOptions o = short_options();
  o.max_body = 100;
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/exact"), {}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->body.size(), 100u);
}

TEST(Fetcher, HangingServerTimesOut) {
  TestServer server;
  server.on("/hang", test::kHang);
  FetchOptions o = short_options();
  o.timeout = std::chrono::milliseconds(300);
  Fetcher fetcher(o);
  auto r = fetcher.fetch({server.url("/hang"), {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::timeout);
}

}  // namespace
}  // namespace fg::fetch
