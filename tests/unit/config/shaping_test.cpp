// `filter:`, `opencc:` and `same_as:` on a feed, and `server.shaped_cache`.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using ::testing::ElementsAre;

constexpr char kPortal[] =
    "feeds:\n"
    "  - id: hz\n"
    "    url: http://hz.test/\n";

TEST(ConfigShaping, FilterAndOpenccAreRead) {
  const LoadResult r = parse_config(std::string(kPortal) +
                                        "    opencc: s2t\n"
                                        "    filter:\n"
                                        "      include: {title: \"杭州|亚运\", any: x}\n"
                                        "      exclude: {description: 广告, author: \"^$\"}\n"
                                        "      case_sensitive: false\n"
                                        "      max_age: 2d\n",
                                    "t.yaml");
  ASSERT_TRUE(r.config.has_value()) << testing::described(r).front();
  const FeedConfig& hz = r.config->feeds[0];
  EXPECT_EQ(hz.opencc, "s2t");
  EXPECT_EQ(hz.filter.include.title, "杭州|亚运");
  EXPECT_EQ(hz.filter.include.any, "x");
  EXPECT_EQ(hz.filter.exclude.description, "广告");
  EXPECT_EQ(hz.filter.exclude.author, "^$");
  EXPECT_FALSE(hz.filter.case_sensitive);
  EXPECT_EQ(hz.filter.max_age, std::chrono::hours(48));
  EXPECT_TRUE(hz.polls());
}

TEST(ConfigShaping, DefaultsChangeNothing) {
  const LoadResult r = parse_config(kPortal, "t.yaml");
  ASSERT_TRUE(r.config.has_value());
  EXPECT_EQ(r.config->feeds[0].filter, FeedFilter{});
  EXPECT_EQ(r.config->feeds[0].opencc, "");
  EXPECT_EQ(r.config->server.shaped_cache, 32u << 20);
}

TEST(ConfigShaping, BadRegexIsReportedAtItsPosition) {
  const LoadResult r = parse_config(std::string(kPortal) +
                                        "    filter:\n"
                                        "      include:\n"
                                        "        title: \"(unclosed\"\n"
                                        "      exclude: {author: \"(a)\\\\1\"}\n"
                                        "    opencc: s2x\n",
                                    "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(testing::described(r),
              ElementsAre("t.yaml:6:16: filter.include.title: invalid regular expression "
                          "\"(unclosed\": missing ): (unclosed (RE2 syntax: no backreferences "
                          "or lookaround)",
                          "t.yaml:7:25: filter.exclude.author: invalid regular expression "
                          "\"(a)\\1\": invalid escape sequence: \\1 (RE2 syntax: no "
                          "backreferences or lookaround)",
                          "t.yaml:8:13: opencc: unknown conversion \"s2x\"; use s2t, t2s, s2tw, "
                          "tw2s, s2hk, hk2s, s2twp or tw2sp"));
}

TEST(ConfigShaping, LongPatternAndUnknownFilterKey) {
  const LoadResult r = parse_config(std::string(kPortal) + "    filter:\n      include: {title: " +
                                        std::string(257, 'a') + "}\n      exclude: {titel: x}\n",
                                    "t.yaml");
  EXPECT_THAT(testing::described(r),
              ElementsAre("t.yaml:5:24: filter.include.title: pattern longer than 256 bytes",
                          "t.yaml:6:17: unknown key \"titel\" in filter.exclude; did you mean "
                          "\"title\"?"));
}

TEST(ConfigShaping, SameAsPublishesAnotherFeedPollingNothing) {
  const LoadResult r = parse_config(std::string(kPortal) +
                                        "  - id: hz-hant\n"
                                        "    same_as: hz\n"
                                        "    opencc: s2t\n"
                                        "server:\n"
                                        "  shaped_cache: 1MiB\n",
                                    "t.yaml");
  ASSERT_TRUE(r.config.has_value()) << testing::described(r).front();
  const FeedConfig& hant = r.config->feeds[1];
  EXPECT_EQ(hant.same_as, "hz");
  EXPECT_EQ(hant.url, "");
  EXPECT_FALSE(hant.polls());
  EXPECT_EQ(r.config->server.shaped_cache, 1u << 20);
}

TEST(ConfigShaping, SameAsProblems) {
  const LoadResult r = parse_config(std::string(kPortal) +
                                        "  - id: a\n"
                                        "    same_as: nope\n"
                                        "  - id: b\n"
                                        "    same_as: c\n"
                                        "  - id: c\n"
                                        "    same_as: hz\n"
                                        "    url: http://c.test/\n"
                                        "  - id: all\n"
                                        "    merge: [hz, c]\n",
                                    "t.yaml");
  EXPECT_THAT(
      testing::described(r),
      ElementsAre("t.yaml:5:14: same_as: no other feed has id \"nope\"",
                  "t.yaml:7:14: same_as: \"c\" is itself a same_as feed; write \"hz\"",
                  "t.yaml:8:5: feed has same_as and also url or merge; a same_as feed polls "
                  "nothing",
                  "t.yaml:11:5: merge: \"c\" is a same_as feed; list \"hz\" instead"));
}

}  // namespace
}  // namespace fg::config
