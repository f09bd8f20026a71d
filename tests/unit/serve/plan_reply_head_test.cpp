// Replies to HEAD carry no content, whatever their status (found by fuzz_plan_reply: a HEAD with
// a target over kMaxTargetLength got its 414 with the error text as a body).
#include <gtest/gtest.h>

#include <string>

#include "serve/http_rules.hpp"

namespace fg::serve {
namespace {

TEST(PlanReplyHead, TargetTooLongHasNoBodyButItsLength) {
  const std::string target = "/feeds/" + std::string(kMaxTargetLength, 'a') + ".atom";
  const Site site;
  const Reply head = plan_reply({.method = "HEAD", .target = target}, site);
  EXPECT_EQ(head.status, 414);
  EXPECT_EQ(head.body_bytes(), 0u);
  EXPECT_TRUE(head.close);
  const Reply get = plan_reply({.method = "GET", .target = target}, site);
  EXPECT_EQ(get.status, 414);
  EXPECT_GT(get.body_bytes(), 0u);
  ASSERT_TRUE(head.content_length.has_value());
  EXPECT_EQ(*head.content_length, get.body_bytes());  // as GET would say
}

}  // namespace
}  // namespace fg::serve
