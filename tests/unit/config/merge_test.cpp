// `merge: [id, ...]`: a feed that publishes other feeds' items.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using ::testing::ElementsAre;

constexpr char kTwoPortals[] =
    "feeds:\n"
    "  - id: hz\n"
    "    url: http://hz.test/\n"
    "  - id: rmw\n"
    "    url: http://rmw.test/\n";

TEST(ConfigMerge, MergedFeedNeedsNoUrl) {
  const LoadResult r = parse_config(std::string(kTwoPortals) +
                                        "  - id: all\n"
                                        "    merge: [hz, rmw]\n"
                                        "    max_items: 80\n",
                                    "t.yaml");
  ASSERT_TRUE(r.config.has_value()) << testing::described(r).front();
  ASSERT_EQ(r.config->feeds.size(), 3u);
  const FeedConfig& all = r.config->feeds[2];
  EXPECT_EQ(all.url, "");
  EXPECT_THAT(all.merge, ElementsAre("hz", "rmw"));
  EXPECT_EQ(all.max_items, 80);
  EXPECT_TRUE(r.config->feeds[0].merge.empty());
}

TEST(ConfigMerge, UnknownNestedAndDuplicateIdsAreProblems) {
  const LoadResult r = parse_config(std::string(kTwoPortals) +
                                        "  - id: all\n"
                                        "    merge: [hz, nope, hz]\n"
                                        "  - id: meta\n"
                                        "    merge: [all]\n",
                                    "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(
      testing::described(r),
      ElementsAre("t.yaml:6:5: merge: no feed has id \"nope\"; list ids of feeds defined here",
                  "t.yaml:6:5: merge: \"hz\" is listed twice",
                  "t.yaml:8:5: merge: \"all\" is itself a merged feed; list the feeds it "
                  "merges"));
}

TEST(ConfigMerge, UrlAndMergeTogetherOrNeither) {
  const LoadResult both = parse_config(std::string(kTwoPortals) +
                                           "  - id: x\n"
                                           "    url: http://x.test/\n"
                                           "    merge: [hz]\n",
                                       "t.yaml");
  EXPECT_THAT(testing::described(both),
              ElementsAre("t.yaml:6:5: feed has both \"url\" and \"merge\"; a merged feed polls "
                          "nothing itself"));
  const LoadResult empty = parse_config(std::string(kTwoPortals) +
                                            "  - id: x\n"
                                            "    merge: []\n",
                                        "t.yaml");
  EXPECT_THAT(testing::described(empty),
              ElementsAre("t.yaml:6:5: merge: list at least one feed id"));
}

}  // namespace
}  // namespace fg::config
