// `websub:`: the hub's switch, caps and leases, and the problems each bad value gives.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

TEST(ConfigWebSub, DefaultsAreOffTenThousandAndTenDays) {
  const LoadResult r = parse_config("feeds: []\n", "t.yaml");
  ASSERT_TRUE(r.config.has_value());
  const WebSubOptions& w = r.config->websub;
  EXPECT_FALSE(w.enabled);
  EXPECT_EQ(w.max_subscriptions, 10'000);
  EXPECT_EQ(w.lease, 240h);
  EXPECT_EQ(w.max_lease, 720h);
  EXPECT_EQ(w.min_lease, 1h);
}

TEST(ConfigWebSub, EveryKeyIsRead) {
  const LoadResult r = parse_config(
      "websub:\n"
      "  enabled: true\n"
      "  max_subscriptions: 50\n"
      "  max_per_topic: 5\n"
      "  max_pending: 7\n"
      "  lease: 2h\n"
      "  max_lease: 3d\n"
      "  min_lease: 2s\n",
      "t.yaml");
  ASSERT_TRUE(r.config.has_value()) << testing::described(r).front();
  const WebSubOptions& w = r.config->websub;
  EXPECT_TRUE(w.enabled);
  EXPECT_EQ(w.max_subscriptions, 50);
  EXPECT_EQ(w.max_per_topic, 5);
  EXPECT_EQ(w.max_pending, 7);
  EXPECT_EQ(w.lease, 2h);
  EXPECT_EQ(w.max_lease, 72h);
  EXPECT_EQ(w.min_lease, 2s);
}

TEST(ConfigWebSub, BadValuesArePositioned) {
  const LoadResult r = parse_config(
      "websub:\n"
      "  enabled: maybe\n"
      "  max_subscriptions: 0\n"
      "  lease: 40d\n"
      "  leese: 1d\n",
      "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  const auto problems = testing::described(r);
  ASSERT_EQ(problems.size(), 4u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], ::testing::StartsWith("t.yaml:2:12: "));
  EXPECT_THAT(problems[1], ::testing::StartsWith("t.yaml:3:22: "));
  EXPECT_THAT(problems[2], ::testing::StartsWith("t.yaml:4:10: websub: lease (40d) must lie"));
  EXPECT_THAT(problems[3], ::testing::HasSubstr("did you mean"));
}

TEST(ConfigWebSub, MinLeaseAboveMaxLeaseIsAProblem) {
  const LoadResult r = parse_config("websub: {min_lease: 2d, max_lease: 1d}\n", "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(testing::described(r),
              ElementsAre(::testing::HasSubstr("min_lease (2d) is above max_lease (1d)")));
}

}  // namespace
}  // namespace fg::config
