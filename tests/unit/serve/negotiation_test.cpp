// Content coding choice with q-values, brotli, and the pre-serialized header blocks.

#include <gtest/gtest.h>

#include <chrono>

#include "serve/http_metrics.hpp"
#include "serve/http_rules.hpp"
#include "serve/prepare.hpp"

namespace fg::serve {
namespace {

using namespace std::chrono_literals;

TEST(ChooseCoding, HighestQValueWinsAndTiesGoToTheSmaller) {
  EXPECT_EQ(choose_coding("gzip, br", true, true), Coding::br);
  EXPECT_EQ(choose_coding("br;q=0.5, gzip", true, true), Coding::gzip);
  EXPECT_EQ(choose_coding("br;q=0.8, gzip;q=0.9", true, true), Coding::gzip);
  EXPECT_EQ(choose_coding("br;q=0.9, gzip;q=0.9", true, true), Coding::br);
  EXPECT_EQ(choose_coding("gzip;q=0.2, identity;q=0.5", true, true), Coding::identity);
}

TEST(ChooseCoding, OnlyCodingsTheResourceHas) {
  EXPECT_EQ(choose_coding("br", true, false), Coding::identity);
  EXPECT_EQ(choose_coding("br, gzip;q=0.1", true, false), Coding::gzip);
  EXPECT_EQ(choose_coding("gzip", false, true), Coding::identity);
}

TEST(ChooseCoding, StarCoversUnnamedCodings) {
  EXPECT_EQ(choose_coding("*", true, true), Coding::br);
  EXPECT_EQ(choose_coding("br;q=0, *", true, true), Coding::gzip);
  EXPECT_EQ(choose_coding("*;q=0, gzip", true, true), Coding::gzip);
  EXPECT_EQ(choose_coding("*;q=0", true, true), Coding::identity);  // nothing better to send
}

TEST(ChooseCoding, AbsentEmptyAndMalformed) {
  EXPECT_EQ(choose_coding(std::nullopt, true, true), Coding::identity);
  EXPECT_EQ(choose_coding("", true, true), Coding::identity);
  EXPECT_EQ(choose_coding("gzip;q=2", true, true), Coding::identity);  // q > 1 counts as refusal
  EXPECT_EQ(choose_coding("gzip;q=abc, br;q=0.001", true, true), Coding::br);
  EXPECT_EQ(choose_coding(" GZIP ; Q=0.7 ", true, false), Coding::gzip);
}

TEST(IfNoneMatch, StarListsAndWeakClientTags) {
  EXPECT_TRUE(if_none_match_matches("*", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"x\", \"abc-gz\" ,\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("W/\"abc\"", "\"abc\""));  // weak comparison for GET
  EXPECT_FALSE(if_none_match_matches("\"abc\"", "\"abc-gz\""));
  EXPECT_FALSE(if_none_match_matches("abc", "\"abc\""));  // unquoted: malformed
}

std::string big_body() {
  std::string body = "<feed>";
  for (int i = 0; i < 40; ++i)
    body += "<entry><title>人民网 新闻 " + std::to_string(i) + "</title></entry>";
  return body + "</feed>";
}

// 2020-01-29 01:17:24 UTC.
constexpr Timestamp kModified{std::chrono::sys_days{std::chrono::year{2020} / 1 / 29} + 1h + 17min +
                              24s};

TEST(SerializedHeads, TwoHundredBlockHasRepresentationMetadata) {
  const auto r = make_resource("application/atom+xml; charset=utf-8", big_body(), kModified, 300);
  ASSERT_FALSE(r->body_br.empty());
  const std::string expected =
      "Content-Type: application/atom+xml; charset=utf-8\r\n"
      "Content-Encoding: br\r\n"
      "Content-Length: " +
      std::to_string(r->body_br.size()) +
      "\r\n"
      "ETag: " +
      r->etag_br +
      "\r\n"
      "Last-Modified: Wed, 29 Jan 2020 01:17:24 GMT\r\n"
      "Cache-Control: public, max-age=300\r\n"
      "Vary: Accept-Encoding\r\n";
  EXPECT_EQ(r->head_200[static_cast<int>(Coding::br)], expected);
  EXPECT_EQ(r->head_200[0].find("Content-Encoding"), std::string::npos);
}

TEST(SerializedHeads, NotModifiedBlockHasValidatorsOnly) {
  const auto r = make_resource("application/rss+xml", big_body(), kModified, 60);
  EXPECT_EQ(r->head_304(Coding::gzip),
            "ETag: " + r->etag_gzip +
                "\r\nLast-Modified: Wed, 29 Jan 2020 01:17:24 GMT\r\n"
                "Cache-Control: public, max-age=60\r\nVary: Accept-Encoding\r\n");
}

TEST(PlanReplyHeads, ConditionalOnTheChosenRepresentation) {
  Site site;
  site.resources["/feeds/a.atom"] =
      make_resource("application/atom+xml", big_body(), kModified, 60);
  const auto& r = *site.resources["/feeds/a.atom"];
  RequestInfo request{.method = "GET",
                      .target = "/feeds/a.atom?utm=x",
                      .accept_encoding = "gzip, br",
                      .if_none_match = r.etag_br};
  Reply reply = plan_reply(request, site);
  EXPECT_EQ(reply.status, 304);
  EXPECT_EQ(reply.head, r.head_304(Coding::br));
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(reply.route, "feed");

  request.accept_encoding = "gzip";  // the br tag does not validate the gzip body
  reply = plan_reply(request, site);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, r.body_gzip);

  request.method = "HEAD";
  reply = plan_reply(request, site);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(reply.head, r.head_200[static_cast<int>(Coding::gzip)]);
}

TEST(RouteLabel, KnownRoutes) {
  EXPECT_EQ(route_label("/feeds/x.rss"), "feed");
  EXPECT_EQ(route_label("/"), "status");
  EXPECT_EQ(route_label("/metrics"), "metrics");
  EXPECT_EQ(route_label("/feeds.opml"), "opml");
  EXPECT_EQ(route_label("/wp-admin"), "other");
}

}  // namespace
}  // namespace fg::serve
