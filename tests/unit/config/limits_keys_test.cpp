// The limits section (max_page_elements, parse_concurrency, max_article_size): defaults,
// accepted values and problems.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using testing::described;

TEST(ConfigLimitsKeys, Defaults) {
  const LoadResult r = parse_config("", "/x/f.yaml");
  ASSERT_TRUE(r.config.has_value());
  const LimitsOptions& l = r.config->limits;
  EXPECT_EQ(l.max_page_elements, 100'000u);
  EXPECT_EQ(l.parse_concurrency, 2);
  EXPECT_EQ(l.max_article_size, 256u << 10);
}

TEST(ConfigLimitsKeys, AcceptedValues) {
  const LoadResult r = parse_config(
      "limits:\n"
      "  max_page_elements: 5000\n"
      "  parse_concurrency: 4\n"
      "  max_article_size: 1MiB\n",
      "/x/f.yaml");
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  const LimitsOptions& l = r.config->limits;
  EXPECT_EQ(l.max_page_elements, 5000u);
  EXPECT_EQ(l.parse_concurrency, 4);
  EXPECT_EQ(l.max_article_size, 1u << 20);
}

TEST(ConfigLimitsKeys, Problems) {
  const LoadResult r = parse_config(
      "limits:\n"
      "  max_page_elements: 10\n"
      "  parse_concurrency: 0\n"
      "  max_article_size: 12\n"
      "  max_nodes: 5\n",
      "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  const auto problems = described(r);
  ASSERT_EQ(problems.size(), 4u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], ::testing::HasSubstr("t.yaml:2:22: max_page_elements"));
  EXPECT_THAT(problems[1], ::testing::HasSubstr("t.yaml:3:22: parse_concurrency"));
  EXPECT_THAT(problems[2], ::testing::HasSubstr("t.yaml:4:21: max_article_size"));
  EXPECT_THAT(problems[3], ::testing::HasSubstr("t.yaml:5:3: unknown key"));
}

}  // namespace
}  // namespace fg::config
