#include <gtest/gtest.h>

#include "shape/shape.hpp"

namespace fg::shape {
namespace {

ShapeSpec parsed(std::string_view query) {
  auto spec = parse_query(query);
  EXPECT_TRUE(spec) << spec.error().describe();
  return spec ? *spec : ShapeSpec{};
}

std::string error_of(std::string_view query) {
  auto spec = parse_query(query);
  EXPECT_FALSE(spec) << query;
  return spec ? std::string{} : spec.error().message;
}

TEST(ShapeQuery, EveryPatternParameterNamesItsFieldAndDirection) {
  const ShapeSpec spec = parsed(
      "filter=a&filter_title=b&filter_description=c&filter_author=d&filterout=e&"
      "filterout_title=f&filterout_description=g&filterout_author=h");
  const std::vector<Pattern> expected = {
      {Field::title_or_description, false, "a"}, {Field::title, false, "b"},
      {Field::description, false, "c"},          {Field::author, false, "d"},
      {Field::title_or_description, true, "e"},  {Field::title, true, "f"},
      {Field::description, true, "g"},           {Field::author, true, "h"}};
  EXPECT_EQ(spec.patterns, expected);
}

TEST(ShapeQuery, ValuesArePercentAndPlusDecoded) {
  const ShapeSpec spec = parsed("filter_title=%E6%9D%AD%E5%B7%9E+%7C+news%2");
  ASSERT_EQ(spec.patterns.size(), 1u);
  EXPECT_EQ(spec.patterns[0].regex, "杭州 | news%2");
}

TEST(ShapeQuery, DefaultsAsInRsshub) {
  const ShapeSpec spec = parsed("");
  EXPECT_TRUE(spec.empty());
  EXPECT_TRUE(spec.case_sensitive);
  EXPECT_FALSE(parsed("filter_case_sensitive=false").case_sensitive);
  EXPECT_TRUE(parsed("filter_case_sensitive=true").case_sensitive);
}

TEST(ShapeQuery, UnknownParametersAndEmptyPatternsAreIgnored) {
  EXPECT_TRUE(parsed("utm_source=x&mode=fulltext&format=atom&filter_title=").empty());
}

TEST(ShapeQuery, NumbersAndNames) {
  const ShapeSpec spec = parsed("filter_time=3600&limit=5&brief=120&opencc=s2tw");
  EXPECT_EQ(spec.max_age, std::chrono::seconds(3600));
  EXPECT_EQ(spec.limit, 5u);
  EXPECT_EQ(spec.brief, 120u);
  EXPECT_EQ(spec.opencc, "s2tw");
  for (const char* name : {"s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp"}) {
    EXPECT_EQ(parsed(std::string("opencc=") + name).opencc, name);
  }
}

TEST(ShapeQuery, ValuesItCannotTakeNameTheParameter) {
  EXPECT_EQ(error_of("brief=99").rfind("brief: ", 0), 0u);
  EXPECT_EQ(error_of("limit=0").rfind("limit: ", 0), 0u);
  EXPECT_EQ(error_of("limit=-3").rfind("limit: ", 0), 0u);
  EXPECT_EQ(error_of("filter_time=soon").rfind("filter_time: ", 0), 0u);
  EXPECT_EQ(error_of("opencc=s2j").rfind("opencc: ", 0), 0u);
  EXPECT_EQ(error_of("filter_case_sensitive=maybe").rfind("filter_case_sensitive: ", 0), 0u);
}

TEST(ShapeQuery, PatternLongerThanTheLimitIsRefused) {
  const std::string at_limit(kMaxPatternBytes, 'a');
  EXPECT_EQ(parsed("filterout_author=" + at_limit).patterns.size(), 1u);
  const std::string message = error_of("filterout_author=" + at_limit + "a");
  EXPECT_EQ(message.rfind("filterout_author: pattern longer than 256 bytes", 0), 0u) << message;
}

TEST(ShapeQuery, TheFirstOfRepeatedParametersCounts) {
  const ShapeSpec spec = parsed("limit=3&limit=9&filter_title=a&filter_title=b");
  EXPECT_EQ(spec.limit, 3u);
  ASSERT_EQ(spec.patterns.size(), 1u);
  EXPECT_EQ(spec.patterns[0].regex, "a");
}

TEST(ShapeQuery, NormalizedIgnoresOrderAndSpelling) {
  const std::string a = parsed("opencc=s2t&filter_title=%E6%9D%AD&limit=3").normalized();
  const std::string b = parsed("limit=3&x=1&filter_title=杭&opencc=s2t").normalized();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, "filter_title=%E6%9D%AD&limit=3&opencc=s2t");
  EXPECT_NE(a, parsed("filter_title=%E6%9D%AD&limit=3").normalized());
  // Case sensitivity only counts where there is a pattern.
  EXPECT_EQ(parsed("filter_case_sensitive=false&limit=2").normalized(), "limit=2");
  EXPECT_EQ(parsed("filter_case_sensitive=false&filter=x").normalized(),
            "filter=x&filter_case_sensitive=false");
  // A value holding "&" or "=" cannot collide with another spec.
  EXPECT_NE(parsed("filter=a%26limit%3D2").normalized(), parsed("filter=a&limit=2").normalized());
}

}  // namespace
}  // namespace fg::shape
