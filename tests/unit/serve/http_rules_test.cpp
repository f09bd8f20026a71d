#include "serve/http_rules.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace fg::serve {
namespace {

using namespace std::chrono_literals;

// 2020-01-29 01:17:24 UTC.
constexpr Timestamp kModified{std::chrono::sys_days{std::chrono::year{2020} / 1 / 29} + 1h + 17min +
                              24s};

TEST(AcceptsGzip, PlainGzipAndAbsentHeader) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip, br"));
  EXPECT_TRUE(accepts_gzip("GZIP"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(std::nullopt));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("identity"));
}

TEST(AcceptsGzip, QValues) {
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.5"));
  EXPECT_TRUE(accepts_gzip("gzip;Q=1.0"));
  EXPECT_TRUE(accepts_gzip("gzip ; q=0.001"));
  // A malformed weight is taken as a refusal rather than a guess.
  EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
  EXPECT_FALSE(accepts_gzip("gzip;q=2"));
}

TEST(AcceptsGzip, StarCountsUnlessGzipIsNamed) {
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("*;q=0.5"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));
  EXPECT_TRUE(accepts_gzip("gzip, *;q=0"));
}

TEST(AcceptsGzip, ExplicitIdentityPreferenceWins) {
  EXPECT_FALSE(accepts_gzip("gzip;q=0.5, identity;q=1"));
  EXPECT_TRUE(accepts_gzip("gzip;q=1, identity;q=0.5"));
  EXPECT_TRUE(accepts_gzip("gzip, identity"));
  EXPECT_TRUE(accepts_gzip("identity;q=0, gzip"));
}

TEST(IfNoneMatch, SingleAndListedTags) {
  EXPECT_TRUE(if_none_match_matches("\"abc\"", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"abd\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"x\",\"y\" , \"abc\"", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"x\", \"y\"", "\"abc\""));
  // A comma is a legal character inside an entity tag.
  EXPECT_TRUE(if_none_match_matches("\"a,b\"", "\"a,b\""));
  EXPECT_FALSE(if_none_match_matches("\"a,b\"", "\"a\""));
}

TEST(IfNoneMatch, WeakTagsCompareWeakly) {
  EXPECT_TRUE(if_none_match_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"abc\"", "W/\"abc\""));
  EXPECT_TRUE(if_none_match_matches("\"q\", W/\"abc\"", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("W/\"abcd\"", "\"abc\""));
}

TEST(IfNoneMatch, StarAndMalformed) {
  EXPECT_TRUE(if_none_match_matches("*", "\"abc\""));
  EXPECT_TRUE(if_none_match_matches(" * ", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("abc", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"abc", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("", "\"abc\""));
  EXPECT_FALSE(if_none_match_matches("\"\"", ""));
}

TEST(IfModifiedSince, EqualOlderNewerGarbage) {
  EXPECT_TRUE(not_modified_since("Wed, 29 Jan 2020 01:17:24 GMT", kModified));
  EXPECT_TRUE(not_modified_since("Thu, 30 Jan 2020 00:00:00 GMT", kModified));
  EXPECT_FALSE(not_modified_since("Wed, 29 Jan 2020 01:17:23 GMT", kModified));
  EXPECT_FALSE(not_modified_since("yesterday", kModified));
  EXPECT_FALSE(not_modified_since("", kModified));
}

TEST(RoutePath, DropsQueryFragmentAndAbsoluteForm) {
  EXPECT_EQ(route_path("/feeds/demo.atom"), "/feeds/demo.atom");
  EXPECT_EQ(route_path("/feeds/demo.atom?x=1&y=2"), "/feeds/demo.atom");
  EXPECT_EQ(route_path("/feeds.opml#top"), "/feeds.opml");
  EXPECT_EQ(route_path("http://example.org/feeds.opml?a"), "/feeds.opml");
  EXPECT_EQ(route_path("HTTP://example.org"), "/");
  EXPECT_EQ(route_path("/?q"), "/");
}

Site demo_site() {
  Site site;
  auto atom = std::make_shared<Resource>();
  atom->content_type = "application/atom+xml; charset=utf-8";
  atom->body = "<feed/>";
  atom->body_gzip = "GZ";
  atom->etag = "\"id\"";
  atom->etag_gzip = "\"id-gz\"";
  atom->last_modified = kModified;
  atom->max_age = 120;
  site.resources["/feeds/demo.atom"] = atom;
  return site;
}

// A header of the reply, from its list or from its pre-serialized block.
std::optional<std::string> header(const Reply& reply, std::string_view name) {
  for (const auto& [key, value] : reply.headers) {
    if (key == name) return value;
  }
  const std::string prefix = std::string(name) + ": ";
  for (std::string_view rest = reply.head; !rest.empty();) {
    const auto eol = rest.find("\r\n");
    const std::string_view line = rest.substr(0, eol);
    if (line.starts_with(prefix)) return std::string(line.substr(prefix.size()));
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 2);
  }
  return std::nullopt;
}

TEST(PlanReply, GetOfResourceCarriesItsHeaders) {
  const Site site = demo_site();
  const Reply reply = plan_reply({.method = "GET", .target = "/feeds/demo.atom?utm=1"}, site);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "<feed/>");
  EXPECT_EQ(reply.content_length, 7u);
  EXPECT_EQ(header(reply, "Content-Type"), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(header(reply, "ETag"), "\"id\"");
  EXPECT_EQ(header(reply, "Last-Modified"), "Wed, 29 Jan 2020 01:17:24 GMT");
  EXPECT_EQ(header(reply, "Cache-Control"), "public, max-age=120");
  EXPECT_EQ(header(reply, "Vary"), "Accept-Encoding");
  EXPECT_EQ(header(reply, "Content-Encoding"), std::nullopt);
  EXPECT_FALSE(reply.close);
}

TEST(PlanReply, GzipVariantHasItsOwnTag) {
  const Site site = demo_site();
  const Reply reply =
      plan_reply({.method = "GET", .target = "/feeds/demo.atom", .accept_encoding = "gzip"}, site);
  EXPECT_EQ(reply.body, "GZ");
  EXPECT_EQ(header(reply, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(reply, "ETag"), "\"id-gz\"");
}

TEST(PlanReply, HeadAnnouncesLengthWithoutBody) {
  const Site site = demo_site();
  const Reply reply = plan_reply({.method = "HEAD", .target = "/feeds/demo.atom"}, site);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(reply.content_length, 7u);
}

TEST(PlanReply, ConditionalRequests) {
  const Site site = demo_site();
  RequestInfo request{.method = "GET", .target = "/feeds/demo.atom", .if_none_match = "\"id\""};
  Reply reply = plan_reply(request, site);
  EXPECT_EQ(reply.status, 304);
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(reply.content_length, std::nullopt);
  EXPECT_EQ(header(reply, "ETag"), "\"id\"");
  EXPECT_EQ(header(reply, "Content-Type"), std::nullopt);

  // The identity tag does not validate the gzip representation.
  request.accept_encoding = "gzip";
  EXPECT_EQ(plan_reply(request, site).status, 200);

  // If-None-Match, when present, overrides If-Modified-Since.
  request = {.method = "GET",
             .target = "/feeds/demo.atom",
             .if_none_match = "\"other\"",
             .if_modified_since = "Thu, 30 Jan 2020 00:00:00 GMT"};
  EXPECT_EQ(plan_reply(request, site).status, 200);
  request.if_none_match.reset();
  EXPECT_EQ(plan_reply(request, site).status, 304);
}

TEST(PlanReply, HealthNotFoundAndMethods) {
  const Site site = demo_site();
  Reply reply = plan_reply({.method = "GET", .target = "/healthz"}, site);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "ok\n");
  EXPECT_EQ(header(reply, "Content-Type"), "text/plain; charset=utf-8");

  EXPECT_EQ(plan_reply({.method = "GET", .target = "/nope"}, site).status, 404);
  EXPECT_EQ(plan_reply({.method = "POST", .target = "/nope"}, site).status, 404);

  reply = plan_reply({.method = "POST", .target = "/feeds/demo.atom"}, site);
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(header(reply, "Allow"), "GET, HEAD");
  EXPECT_EQ(plan_reply({.method = "BREW", .target = "/nope"}, site).status, 405);
  EXPECT_EQ(plan_reply({.method = "DELETE", .target = "/healthz"}, site).status, 405);
}

// At start-up a path not published yet may be a feed still rendering: never a 404 then.
TEST(PlanReply, WhileStartingUnknownPathsAre503WithRetryAfterAndHealthSaysStarting) {
  Site site = demo_site();
  site.starting = true;
  Reply reply = plan_reply({.method = "GET", .target = "/feeds/later.atom"}, site);
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(header(reply, "Retry-After"), "1");
  EXPECT_EQ(header(reply, "Cache-Control"), "no-store");
  EXPECT_FALSE(reply.close);
  reply = plan_reply({.method = "GET", .target = "/healthz"}, site);
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.body, "starting\n");
  EXPECT_EQ(header(reply, "Retry-After"), "1");
  EXPECT_EQ(plan_reply({.method = "HEAD", .target = "/healthz"}, site).body, "");
  // What is published already is served; methods are judged as ever.
  EXPECT_EQ(plan_reply({.method = "GET", .target = "/feeds/demo.atom"}, site).status, 200);
  EXPECT_EQ(plan_reply({.method = "POST", .target = "/nope"}, site).status, 404);
  EXPECT_EQ(plan_reply({.method = "POST", .target = "/healthz"}, site).status, 405);
  site.starting = false;
  EXPECT_EQ(plan_reply({.method = "GET", .target = "/feeds/later.atom"}, site).status, 404);
  EXPECT_EQ(plan_reply({.method = "GET", .target = "/healthz"}, site).status, 200);
}

TEST(PlanReply, OverlongTargetIs414AndCloses) {
  const Site site = demo_site();
  const std::string target = "/" + std::string(2048, 'a');
  const Reply reply = plan_reply({.method = "GET", .target = target}, site);
  EXPECT_EQ(reply.status, 414);
  EXPECT_TRUE(reply.close);
}

TEST(PlanError, TextBodyAndClose) {
  const Reply reply = plan_error(431);
  EXPECT_EQ(reply.status, 431);
  EXPECT_EQ(reply.body, "request header fields too large\n");
  EXPECT_EQ(reply.content_length, 32u);
  EXPECT_TRUE(reply.close);
}

}  // namespace
}  // namespace fg::serve
