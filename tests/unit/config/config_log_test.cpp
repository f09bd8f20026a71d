// The `log:` section: level and access log, and its problems.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using ::testing::ElementsAre;

TEST(ConfigLog, DefaultsToInfoWithoutAccessLog) {
  const LoadResult r = parse_config("feeds: []\n", "t.yaml");
  ASSERT_TRUE(r.config) << testing::described(r).front();
  EXPECT_EQ(r.config->log.level, "info");
  EXPECT_FALSE(r.config->log.access_log);
}

TEST(ConfigLog, ReadsLevelAndAccessLog) {
  const LoadResult r = parse_config("log:\n  level: debug\n  access_log: true\n", "t.yaml");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->log.level, "debug");
  EXPECT_TRUE(r.config->log.access_log);
}

TEST(ConfigLog, BadValuesArePositioned) {
  const LoadResult r =
      parse_config("log:\n  level: loud\n  access_log: maybe\n  colour: no\n", "t.yaml");
  EXPECT_FALSE(r.config);
  EXPECT_THAT(
      testing::described(r),
      ElementsAre("t.yaml:2:10: level: expected error, warning, info or debug, got \"loud\"",
                  "t.yaml:3:15: access_log: expected true or false, got \"maybe\"",
                  "t.yaml:4:3: unknown key \"colour\" in log; expected one of: level, access_log"));
}

}  // namespace
}  // namespace fg::config
