// The `preview:` section: the /preview page's switch, token, per-client rate and concurrency.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using ::testing::ElementsAre;

TEST(ConfigPreview, OffByDefault) {
  const LoadResult r = parse_config("feeds: []\n", "t.yaml");
  ASSERT_TRUE(r.config.has_value());
  EXPECT_FALSE(r.config->preview.enabled);
  EXPECT_EQ(r.config->preview.token, "");
  EXPECT_EQ(r.config->preview.rate_count, 6);
  EXPECT_EQ(r.config->preview.rate_period, std::chrono::minutes(1));
  EXPECT_EQ(r.config->preview.concurrency, 2);
}

TEST(ConfigPreview, EveryKeyIsRead) {
  const LoadResult r = parse_config(
      "preview:\n"
      "  enabled: true\n"
      "  token: 0123456789abcdef\n"
      "  rate: 100/h\n"
      "  concurrency: 4\n",
      "t.yaml");
  ASSERT_TRUE(r.config.has_value()) << testing::described(r).front();
  EXPECT_TRUE(r.config->preview.enabled);
  EXPECT_EQ(r.config->preview.token, "0123456789abcdef");
  EXPECT_EQ(r.config->preview.rate_count, 100);
  EXPECT_EQ(r.config->preview.rate_period, std::chrono::hours(1));
  EXPECT_EQ(r.config->preview.concurrency, 4);
}

TEST(ConfigPreview, RatePeriods) {
  for (const auto& [text, count, period] :
       {std::tuple{"1/s", 1, std::chrono::milliseconds(1000)},
        std::tuple{"6/min", 6, std::chrono::milliseconds(60'000)}}) {
    const LoadResult r = parse_config(std::string("preview: {rate: \"") + text + "\"}\n", "t.yaml");
    ASSERT_TRUE(r.config.has_value()) << text;
    EXPECT_EQ(r.config->preview.rate_count, count);
    EXPECT_EQ(r.config->preview.rate_period, period);
  }
}

TEST(ConfigPreview, ProblemsArePositioned) {
  const LoadResult r = parse_config(
      "preview:\n"
      "  enabled: maybe\n"
      "  token: short\n"
      "  rate: 6/day\n"
      "  concurrency: 0\n"
      "  tokn: x\n",
      "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(
      testing::described(r),
      ElementsAre(
          "t.yaml:2:12: enabled: expected true or false, got \"maybe\"",
          "t.yaml:3:10: token: use at least 12 characters (such as the output of `openssl rand "
          "-hex 16`), or leave it out to let anyone who reaches /preview use it",
          "t.yaml:4:9: rate: expected previews per client as N/s, N/min or N/h with N from 1 to "
          "100000 (such as \"6/min\"), got \"6/day\"",
          "t.yaml:5:16: concurrency must be between 1 and 64, got 0",
          "t.yaml:6:3: unknown key \"tokn\" in preview; did you mean \"token\"?"));
}

TEST(ConfigPreview, RateWithoutPeriodIsAProblem) {
  for (const char* text : {"6", "/min", "0/min", "x/min", "6/min/s"}) {
    const LoadResult r = parse_config(std::string("preview: {rate: \"") + text + "\"}\n", "t.yaml");
    EXPECT_FALSE(r.config.has_value()) << text;
  }
}

}  // namespace
}  // namespace fg::config
