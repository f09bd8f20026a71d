// feeds[].byline_in_content: on by default, layered like every feed-level key, a boolean only.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using testing::described;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(BylineInContent, OnUnlessTurnedOffInDefaultsOrOnTheFeed) {
  const LoadResult on =
      parse_config("feeds:\n  - { id: a, url: \"http://a.test/\" }\n", "/x/f.yaml");
  ASSERT_TRUE(on.config.has_value()) << ::testing::PrintToString(described(on));
  EXPECT_TRUE(on.config->feeds.at(0).byline_in_content);

  const LoadResult layered = parse_config(
      "defaults: { byline_in_content: false }\n"
      "feeds:\n"
      "  - { id: a, url: \"http://a.test/\" }\n"
      "  - { id: b, url: \"http://a.test/\", byline_in_content: true }\n",
      "/x/f.yaml");
  ASSERT_TRUE(layered.config.has_value()) << ::testing::PrintToString(described(layered));
  EXPECT_FALSE(layered.config->feeds.at(0).byline_in_content);
  EXPECT_TRUE(layered.config->feeds.at(1).byline_in_content);
}

TEST(BylineInContent, NotABooleanIsAProblemAtItsValue) {
  const LoadResult r = parse_config(
      "feeds:\n"
      "  - id: a\n"
      "    url: http://a.test/\n"
      "    byline_in_content: sometimes\n",
      "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(described(r), ElementsAre(HasSubstr("t.yaml:4:24:")));
}

}  // namespace
}  // namespace fg::config
