#include <gtest/gtest.h>

#include "core/url.hpp"

namespace fg {
namespace {

TEST(UrlQuery, PairsDecodedInOrder) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(query_parameters("q=%E6%9D%AD+x&page=2&flag&=v&q=again"),
            (Pairs{{"q", "杭 x"}, {"page", "2"}, {"flag", ""}, {"", "v"}, {"q", "again"}}));
  EXPECT_TRUE(query_parameters("").empty());
  EXPECT_EQ(form_decode("100%+sure%2"), "100% sure%2");  // a stray "%" stays
}

TEST(UrlQuery, StrictFormDecodeRefusesAMalformedEscape) {
  EXPECT_EQ(form_decode_strict("%E6%9D%AD+x%2b"), "杭 x+");
  EXPECT_EQ(form_decode_strict("100%+sure"), std::nullopt);
  EXPECT_EQ(form_decode_strict("ends%2"), std::nullopt);
  EXPECT_EQ(form_decode_strict("%zz"), std::nullopt);
}

TEST(UrlQuery, PercentEncodeLeavesOnlyUnreserved) {
  EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(percent_encode("杭 &=/?#"), "%E6%9D%AD%20%26%3D%2F%3F%23");
  EXPECT_EQ(form_decode(percent_encode("杭 &=/?#")), "杭 &=/?#");
}

}  // namespace
}  // namespace fg
