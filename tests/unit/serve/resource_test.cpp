#include <gtest/gtest.h>
#include <zlib.h>

#include "serve/prepare.hpp"
#include "serve/server.hpp"

namespace fg::serve {
namespace {

std::string gunzip(const std::string& packed) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  std::string out(1 << 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  zs.avail_in = static_cast<uInt>(packed.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(MakeResource, StrongEtagIsQuotedFnv1a) {
  // Published FNV-1a 64 test vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c.
  EXPECT_EQ(make_resource("text/plain", "", Timestamp{}, 60)->etag, "\"cbf29ce484222325\"");
  auto r = make_resource("text/plain", "a", Timestamp{std::chrono::seconds{5}}, 30);
  EXPECT_EQ(r->etag, "\"af63dc4c8601ec8c\"");
  EXPECT_EQ(r->content_type, "text/plain");
  EXPECT_EQ(r->body, "a");
  EXPECT_EQ(r->last_modified.time_since_epoch().count(), 5);
  EXPECT_EQ(r->max_age, 30);
}

TEST(MakeResource, SmallBodiesHaveNoGzipVariant) {
  auto r = make_resource("text/plain", std::string(255, 'x'), Timestamp{}, 60);
  EXPECT_TRUE(r->body_gzip.empty());
  EXPECT_TRUE(r->etag_gzip.empty());
}

TEST(MakeResource, LargeBodiesGetGzipThatRoundTrips) {
  std::string body;
  for (int i = 0; i < 100; ++i)
    body += "<entry><title>新闻 " + std::to_string(i) + "</title></entry>\n";
  auto r = make_resource("application/atom+xml", body, Timestamp{}, 60);
  ASSERT_FALSE(r->body_gzip.empty());
  EXPECT_LT(r->body_gzip.size(), body.size());
  EXPECT_EQ(gunzip(r->body_gzip), body);
  EXPECT_EQ(r->etag_gzip, r->etag.substr(0, r->etag.size() - 1) + "-gz\"");
  EXPECT_NE(r->etag, make_resource("a", body + " ", Timestamp{}, 60)->etag);
}

TEST(MakeResource, CompressFalseSkipsGzip) {
  auto r = make_resource("text/plain", std::string(4000, 'x'), Timestamp{}, 60, false);
  EXPECT_TRUE(r->body_gzip.empty());
  EXPECT_TRUE(r->etag_gzip.empty());
}

}  // namespace
}  // namespace fg::serve
