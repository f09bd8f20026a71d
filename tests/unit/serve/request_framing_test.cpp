// The framing checks Beast leaves to the server: Transfer-Encoding, Host and the header size.

#include "serve/request_framing.hpp"

#include <gtest/gtest.h>

namespace fg::serve {
namespace {

RequestHead head_with(std::vector<std::string_view> te, std::vector<std::string_view> host = {"t"},
                      unsigned version = 11) {
  RequestHead head;
  head.version = version;
  head.head_bytes = 100;
  head.transfer_encoding = std::move(te);
  head.host = std::move(host);
  return head;
}

TEST(TransferEncoding, OnlyALastSingleChunkedFramesABody) {
  EXPECT_TRUE(transfer_encoding_ends_chunked({"chunked"}));
  EXPECT_TRUE(transfer_encoding_ends_chunked({"CHUNKED"}));
  EXPECT_TRUE(transfer_encoding_ends_chunked({"gzip, chunked"}));
  EXPECT_TRUE(transfer_encoding_ends_chunked({"gzip", "chunked"}));  // two lines are one list
  EXPECT_TRUE(transfer_encoding_ends_chunked({" chunked ,"}));
  for (auto value : {"xchunked", "gzip", "identity", "chunked, identity", "chunkedx", "",
                     "chunked;q=1", "chunked, chunked", ","}) {
    EXPECT_FALSE(transfer_encoding_ends_chunked({value})) << value;
  }
  EXPECT_FALSE(transfer_encoding_ends_chunked({"chunked", "identity"}));
  EXPECT_FALSE(transfer_encoding_ends_chunked({"chunked", "chunked"}));
}

TEST(FramingError, TransferEncodingNotEndingInChunkedIs400) {
  for (auto value : {"xchunked", "gzip", "identity", "chunked, identity"}) {
    EXPECT_EQ(framing_error(head_with({value}), 8192), 400) << value;
  }
  EXPECT_EQ(framing_error(head_with({"chunked"}), 8192), 0);
  EXPECT_EQ(framing_error(head_with({}), 8192), 0);
}

TEST(FramingError, TransferEncodingInHttp10Is400) {
  EXPECT_EQ(framing_error(head_with({"chunked"}, {"t"}, 10), 8192), 400);
}

TEST(FramingError, Http11NeedsExactlyOneHost) {
  EXPECT_EQ(framing_error(head_with({}, {}), 8192), 400);
  EXPECT_EQ(framing_error(head_with({}, {"a", "b"}), 8192), 400);
  EXPECT_EQ(framing_error(head_with({}, {"a", "a"}), 8192), 400);  // even the same twice
  EXPECT_EQ(framing_error(head_with({}, {"feeds.example:8080"}), 8192), 0);
  EXPECT_EQ(framing_error(head_with({}, {""}), 8192), 0);  // empty is allowed (RFC 9112 §3.2)
}

TEST(FramingError, Http10MayOmitHostButNotRepeatIt) {
  EXPECT_EQ(framing_error(head_with({}, {}, 10), 8192), 0);
  EXPECT_EQ(framing_error(head_with({}, {"a", "b"}, 10), 8192), 400);
}

TEST(FramingError, InvalidHostIs400) {
  for (auto value : {"a b", "a/b", "user@host", "a?b", "a#b", "a\"b"}) {
    EXPECT_EQ(framing_error(head_with({}, {value}), 8192), 400) << value;
  }
  for (auto value : {"127.0.0.1:8080", "[::1]:80", "xn--fiqs8s.example", "a%20b"}) {
    EXPECT_EQ(framing_error(head_with({}, {value}), 8192), 0) << value;
  }
}

TEST(FramingError, HeadOverTheLimitIs431) {
  RequestHead head = head_with({});
  head.head_bytes = 8192;
  EXPECT_EQ(framing_error(head, 8192), 0);
  head.head_bytes = 8193;
  EXPECT_EQ(framing_error(head, 8192), 431);
}

}  // namespace
}  // namespace fg::serve
