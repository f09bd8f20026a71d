// The config module's internal helpers: edit distance, suggestions, listen addresses, feed ids.

#include <gtest/gtest.h>

#include "config/config_paths.hpp"
#include "config/yaml_reader.hpp"

namespace fg::config::detail {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndTranspositions) {
  EXPECT_EQ(edit_distance("interval", "interval"), 0u);
  EXPECT_EQ(edit_distance("intervl", "interval"), 1u);    // one deletion
  EXPECT_EQ(edit_distance("intervall", "interval"), 1u);  // one insertion
  EXPECT_EQ(edit_distance("intarval", "interval"), 1u);   // one substitution
  EXPECT_EQ(edit_distance("per_hsot", "per_host"), 1u);   // one transposition
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(ClosestMatch, PicksTheNearestWithinTwoEdits) {
  constexpr std::string_view keys[] = {"title", "timezone", "links", "link_pattern"};
  EXPECT_EQ(closest_match("titel", keys), "title");
  EXPECT_EQ(closest_match("link", keys), "links");
  EXPECT_EQ(closest_match("timezon", keys), "timezone");
  EXPECT_EQ(closest_match("linkpatern", keys), "link_pattern");
  EXPECT_EQ(closest_match("colour", keys), "");  // nothing within 2 edits
}

TEST(SplitListen, AcceptsHostColonPort) {
  using Parts = std::pair<std::string, std::string>;
  EXPECT_EQ(split_listen("127.0.0.1:8080"), (Parts{"127.0.0.1", "8080"}));
  EXPECT_EQ(split_listen("[::1]:443"), (Parts{"[::1]", "443"}));
  EXPECT_EQ(split_listen("example.org:65535"), (Parts{"example.org", "65535"}));
  EXPECT_FALSE(split_listen("example.org"));
  EXPECT_FALSE(split_listen("example.org:0"));
  EXPECT_FALSE(split_listen("example.org:65536"));
  EXPECT_FALSE(split_listen("::1:80"));  // IPv6 needs brackets
  EXPECT_FALSE(split_listen("[]:80"));
  EXPECT_FALSE(split_listen("host:80:81"));
}

TEST(ValidFeedId, LowerCaseLettersDigitsAndDashes) {
  EXPECT_TRUE(valid_feed_id("hz-guonei"));
  EXPECT_TRUE(valid_feed_id("a"));
  EXPECT_TRUE(valid_feed_id(std::string(64, 'x')));
  EXPECT_FALSE(valid_feed_id(std::string(65, 'x')));
  EXPECT_FALSE(valid_feed_id(""));
  EXPECT_FALSE(valid_feed_id("Hz"));
  EXPECT_FALSE(valid_feed_id("a_b"));
  EXPECT_FALSE(valid_feed_id("a/b"));
}

}  // namespace
}  // namespace fg::config::detail
