// ?limit=N: item boundaries in prepared feed bodies, and the replies cut from them.

#include "serve/item_offsets.hpp"

#include <gtest/gtest.h>

#include "serve/http_rules.hpp"
#include "serve/prepare.hpp"

namespace fg::serve {
namespace {

std::string joined(const BodySlices& s) {
  return std::string(s.first) + std::string(s.second);
}

TEST(ItemEnds, RssItemsAndTail) {
  const std::string body =
      "<rss><channel><title>t</title><item>a</item>\n<item>b</item>\n"
      "<item>c &lt;/item&gt;</item>\n</channel></rss>\n";
  const auto ends = find_item_ends(body, "application/rss+xml; charset=utf-8");
  ASSERT_EQ(ends.size(), 3u);
  EXPECT_EQ(joined(limit_items(body, ends, 1)),
            "<rss><channel><title>t</title><item>a</item>\n</channel></rss>\n");
  EXPECT_EQ(joined(limit_items(body, ends, 2)),
            "<rss><channel><title>t</title><item>a</item>\n<item>b</item>\n</channel></rss>\n");
}

TEST(ItemEnds, AtomEntries) {
  const std::string body =
      "<feed><id>x</id><entry><id>1</id></entry><entry><id>2</id></entry></feed>";
  const auto ends = find_item_ends(body, "application/atom+xml");
  ASSERT_EQ(ends.size(), 2u);
  EXPECT_EQ(joined(limit_items(body, ends, 1)), "<feed><id>x</id><entry><id>1</id></entry></feed>");
}

TEST(ItemEnds, JsonFeedItemsWithTrickyStrings) {
  const std::string body = R"({"title":"items","items":[{"id":"a","t":"}],\""},)"
                           R"({"id":"b","tags":["x"]},{"id":"c"}],"x":1})";
  const auto ends = find_item_ends(body, "application/feed+json");
  ASSERT_EQ(ends.size(), 3u);
  EXPECT_EQ(joined(limit_items(body, ends, 1)),
            R"({"title":"items","items":[{"id":"a","t":"}],\""}],"x":1})");
  EXPECT_EQ(joined(limit_items(body, ends, 2)),
            R"({"title":"items","items":[{"id":"a","t":"}],\""},{"id":"b","tags":["x"]}],"x":1})");
}

TEST(ItemEnds, OtherTypesAndBrokenJson) {
  EXPECT_TRUE(find_item_ends("<item></item>", "text/html").empty());
  EXPECT_TRUE(find_item_ends(R"({"items":[{"id":"a"})", "application/feed+json").empty());
}

TEST(LimitParameter, ParsesOnlyASaneN) {
  EXPECT_EQ(limit_parameter("/feeds/a.rss?limit=5"), 5u);
  EXPECT_EQ(limit_parameter("/feeds/a.rss?utm=x&limit=12#top"), 12u);
  EXPECT_EQ(limit_parameter("/feeds/a.rss"), std::nullopt);
  EXPECT_EQ(limit_parameter("/feeds/a.rss?limit=0"), std::nullopt);
  EXPECT_EQ(limit_parameter("/feeds/a.rss?limit=-1"), std::nullopt);
  EXPECT_EQ(limit_parameter("/feeds/a.rss?limit=9999999"), std::nullopt);
  EXPECT_EQ(limit_parameter("/feeds/a.rss?nolimit=3"), std::nullopt);
}

TEST(PlanReplyLimit, CutsTheIdentityBodyWithItsOwnTag) {
  Site site;
  const std::string body = "<feed><entry>1</entry><entry>2</entry><entry>3</entry></feed>";
  site.resources["/feeds/a.atom"] = make_resource("application/atom+xml", body, Timestamp{}, 60);
  const auto& full = *site.resources["/feeds/a.atom"];
  RequestInfo request{
      .method = "GET", .target = "/feeds/a.atom?limit=2", .accept_encoding = "gzip"};
  Reply reply = plan_reply(request, site);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(std::string(reply.body) + std::string(reply.body_tail),
            "<feed><entry>1</entry><entry>2</entry></feed>");
  EXPECT_EQ(reply.content_length, 45u);
  const std::string tag = full.etag.substr(0, 17) + "-l2\"";
  bool tagged = false;
  for (const auto& [name, value] : reply.headers) tagged |= name == "ETag" && value == tag;
  EXPECT_TRUE(tagged);

  request.if_none_match = tag;
  EXPECT_EQ(plan_reply(request, site).status, 304);
  // A limit at or above the item count is the full feed, with its usual representations.
  request = {.method = "GET", .target = "/feeds/a.atom?limit=3"};
  EXPECT_EQ(plan_reply(request, site).body, body);
}

}  // namespace
}  // namespace fg::serve
