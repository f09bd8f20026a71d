// The hub's pure parts: reading subscription requests, topics, leases, URLs of verification
// and denial, the delivery signature and the retry backoff.

#include "app/websub_request.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/url.hpp"

namespace fg::app::websub {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr char kBase[] = "http://feeds.example:8080";

std::string form(std::string_view extra = {}) {
  return "hub.mode=subscribe&hub.topic=http%3A%2F%2Ffeeds.example%3A8080%2Ffeeds%2Fdemo.atom"
         "&hub.callback=https%3A%2F%2Freader.example%2Fcb%3Fid%3D7" +
         std::string(extra);
}

TEST(HubRequest, ReadsEveryParameter) {
  auto r = parse_hub_request(form("&hub.lease_seconds=86400&hub.secret=a+b%21"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->mode, Mode::subscribe);
  EXPECT_EQ(r->topic, "http://feeds.example:8080/feeds/demo.atom");
  EXPECT_EQ(r->callback, "https://reader.example/cb?id=7");
  EXPECT_EQ(r->lease_seconds, 86400);
  EXPECT_EQ(r->secret, "a b!");
}

TEST(HubRequest, SaysWhatIsWrong) {
  const std::pair<std::string, std::string> cases[] = {
      {"hub.topic=x", "hub.mode: missing"},
      {"hub.mode=publish", "hub.mode: \"publish\""},
      {"hub.mode=subscribe&hub.callback=https%3A%2F%2Fr.example%2F", "hub.topic: missing"},
      {form("&hub.mode=unsubscribe"), "hub.mode: given more than once"},
      {"hub.mode=subscribe&hub.topic=http%3A%2F%2Fh%2Ft&hub.callback=file%3A%2F%2F%2Fetc%2Fpasswd",
       "hub.callback: \"file:///etc/passwd\" is not an http:// or https:// URL"},
      {"hub.mode=subscribe&hub.topic=http%3A%2F%2Fh%2Ft&hub.callback=http%3A%2F%2Fr%2F%23x",
       "hub.callback: a URL with a #fragment"},
      {form("&hub.lease_seconds=-5"), "hub.lease_seconds: \"-5\" is not a positive whole number"},
      {form("&hub.lease_seconds=1e9"), "hub.lease_seconds"},
      {form("&hub.secret=" + std::string(201, 'k')), "hub.secret: 201 bytes; at most 200"},
      {form("&hub.secret=%zz"), "malformed %-escape"},
      {form("&hub.secret=%4"), "malformed %-escape"},
  };
  for (const auto& [text, says] : cases) {
    auto r = parse_hub_request(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_THAT(r.error().message, HasSubstr(says)) << text;
  }
  EXPECT_TRUE(parse_hub_request(form("&hub.secret=" + std::string(200, 'k'))).ok());
}

TEST(HubRequest, CallbackLongerThanTheLimitIsRefused) {
  const std::string callback = "https%3A%2F%2Fr.example%2F" + std::string(kMaxUrlBytes, 'a');
  auto r =
      parse_hub_request("hub.mode=subscribe&hub.topic=http%3A%2F%2Fh%2Ft&hub.callback=" + callback);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("hub.callback: 2066 bytes; at most 2048"));
}

TEST(TopicTarget, FeedsOfThisServerOnly) {
  auto plain = topic_target("http://feeds.example:8080/feeds/hz-news.rss", kBase);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->path, "/feeds/hz-news.rss");
  EXPECT_EQ(plain->feed_id, "hz-news");
  EXPECT_EQ(plain->query, "");
  auto shaped = topic_target("http://feeds.example:8080/feeds/demo.json?opencc=s2t&limit=5", kBase);
  ASSERT_TRUE(shaped.ok());
  EXPECT_EQ(shaped->path, "/feeds/demo.json");
  EXPECT_EQ(shaped->query, "opencc=s2t&limit=5");
  for (std::string_view other : {"http://evil.example/feeds/demo.atom",
                                 "http://feeds.example:8080.evil.example/feeds/demo.atom",
                                 "http://feeds.example:8080/feeds.opml",
                                 "http://feeds.example:8080/feeds/demo/archive/1.atom",
                                 "http://feeds.example:8080/feeds/demo.html"}) {
    auto r = topic_target(other, kBase);
    ASSERT_FALSE(r.ok()) << other;
    EXPECT_THAT(r.error().message, HasSubstr("hub.topic: ")) << other;
  }
}

TEST(Lease, DefaultAndBounds) {
  config::WebSubOptions options;  // 10 days, 1 hour .. 30 days
  EXPECT_EQ(granted_lease(std::nullopt, options), 240h);
  EXPECT_EQ(granted_lease(60, options), 1h);
  EXPECT_EQ(granted_lease(7200, options), 2h);
  EXPECT_EQ(granted_lease(365LL * 86400, options), 720h);
}

TEST(HubUrls, VerificationAndDenialKeepTheCallbacksQuery) {
  EXPECT_EQ(verification_url("https://r.example/cb?id=7", Mode::subscribe,
                             "http://h/feeds/a.atom?opencc=s2t", "c0ffee", 3600s),
            "https://r.example/cb?id=7&hub.mode=subscribe"
            "&hub.topic=http%3A%2F%2Fh%2Ffeeds%2Fa.atom%3Fopencc%3Ds2t&hub.challenge=c0ffee"
            "&hub.lease_seconds=3600");
  EXPECT_EQ(verification_url("https://r.example/cb", Mode::unsubscribe, "t", "c", 3600s),
            "https://r.example/cb?hub.mode=unsubscribe&hub.topic=t&hub.challenge=c");
  EXPECT_EQ(denial_url("https://r.example/cb", "http://h/feeds/x.atom", "no such feed"),
            "https://r.example/cb?hub.mode=denied&hub.topic=http%3A%2F%2Fh%2Ffeeds%2Fx.atom"
            "&hub.reason=no%20such%20feed");
  EXPECT_EQ(form_decode_strict(percent_encode("订阅 a+b&c=%")), "订阅 a+b&c=%");
}

TEST(Signature, IsHmacSha256InHex) {
  // RFC 4231, test case 2.
  EXPECT_EQ(hub_signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_NE(hub_signature("Jefe", "what do ya want for nothing!"),
            hub_signature("Jefe", "what do ya want for nothing?"));
}

TEST(Challenge, IsFreshEachTime) {
  const std::string a = new_challenge(), b = new_challenge();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
}

TEST(Backoff, DoublesFromFiveSecondsToAnHourThenGivesUpAfterADay) {
  EXPECT_EQ(retry_delay(1, 0s), 5s);
  EXPECT_EQ(retry_delay(2, 5s), 10s);
  EXPECT_EQ(retry_delay(3, 15s), 20s);
  EXPECT_EQ(retry_delay(11, 2h), 3600s);
  EXPECT_EQ(retry_delay(40, 10h), 3600s);
  EXPECT_EQ(retry_delay(40, 23h + 59min), 60s);  // the last try falls at the day's end
  EXPECT_EQ(retry_delay(41, 24h), std::nullopt);
  // Every failure of a callback that never answers: about 30 tries, then dropped.
  std::chrono::seconds failing{0};
  int tries = 1;
  while (auto delay = retry_delay(tries, failing)) {
    failing += *delay;
    ++tries;
  }
  EXPECT_EQ(failing, 24h);
  EXPECT_GT(tries, 25);
  EXPECT_LT(tries, 40);
}

}  // namespace
}  // namespace fg::app::websub
