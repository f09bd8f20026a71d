// WebSub subscriptions: saved, renewed, removed, listed while their lease runs, expired on time,
// kept across a reopen.

#include <gtest/gtest.h>

#include "backends.hpp"
#include "store/store.hpp"

namespace fg::store {
namespace {

class StoreSubscriptions : public testing::StoreTest {};

using namespace std::chrono_literals;

const Timestamp kT0 = std::chrono::sys_days{std::chrono::year{2024} / 3 / 1} + 8h;

Subscription sub(std::string topic, std::string callback, Timestamp expires,
                 std::string secret = {}) {
  return Subscription{
      std::move(topic), std::move(callback), "demo", std::move(secret), expires, kT0};
}

TEST_P(StoreSubscriptions, SavedOnesAreListedByTopicThenCallback) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  const auto b = sub("http://h/feeds/demo.rss", "http://r.example/b", kT0 + 1h, "秘密");
  const auto a = sub("http://h/feeds/demo.atom?opencc=s2t", "http://r.example/a", kT0 + 2h);
  const auto c = sub("http://h/feeds/demo.rss", "http://r.example/a", kT0 + 3h);
  ASSERT_TRUE(store->save_subscription(b).ok());
  ASSERT_TRUE(store->save_subscription(a).ok());
  ASSERT_TRUE(store->save_subscription(c).ok());
  auto all = store->subscriptions(kT0);
  ASSERT_TRUE(all.ok()) << all.error().describe();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0], a);
  EXPECT_EQ((*all)[1], c);
  EXPECT_EQ((*all)[2], b);
}

TEST_P(StoreSubscriptions, RenewingReplacesSecretAndExpiryButKeepsCreated) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->save_subscription(sub("http://h/t", "http://r/c", kT0 + 1h, "old")).ok());
  Subscription renewed = sub("http://h/t", "http://r/c", kT0 + 5h, "new");
  renewed.created = kT0 + 1h;
  ASSERT_TRUE(store->save_subscription(renewed).ok());
  auto all = store->subscriptions(kT0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].secret, "new");
  EXPECT_EQ((*all)[0].expires, kT0 + 5h);
  EXPECT_EQ((*all)[0].created, kT0);
}

TEST_P(StoreSubscriptions, RemoveSaysWhetherThereWasOne) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->save_subscription(sub("http://h/t", "http://r/c", kT0 + 1h)).ok());
  auto removed = store->remove_subscription("http://h/t", "http://r/c");
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  removed = store->remove_subscription("http://h/t", "http://r/c");
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(*removed);
  EXPECT_TRUE(store->subscriptions(kT0)->empty());
}

TEST_P(StoreSubscriptions, LeasesEndExactlyAtTheirExpiry) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->save_subscription(sub("http://h/t", "http://r/1", kT0 + 10s)).ok());
  ASSERT_TRUE(store->save_subscription(sub("http://h/t", "http://r/2", kT0 + 20s)).ok());
  EXPECT_EQ(store->subscriptions(kT0 + 9s)->size(), 2u);
  EXPECT_EQ(store->subscriptions(kT0 + 10s)->size(), 1u);  // expired at its expiry
  auto expired = store->expire_subscriptions(kT0 + 10s);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 1);
  EXPECT_EQ(*store->expire_subscriptions(kT0 + 10s), 0);
  auto left = store->subscriptions(kT0);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].callback, "http://r/2");
}

TEST_P(StoreSubscriptions, SurviveAReopen) {
  {
    auto store = open_ok();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_subscription(sub("http://h/t", "http://r/c", kT0 + 1h, "k")).ok());
  }
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto all = store->subscriptions(kT0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0], sub("http://h/t", "http://r/c", kT0 + 1h, "k"));
}

FG_STORE_BACKENDS(StoreSubscriptions);

}  // namespace
}  // namespace fg::store
