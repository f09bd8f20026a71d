// Poll history and HTTP validators.

#include <gtest/gtest.h>

#include "backends.hpp"
#include "store/store.hpp"

namespace fg::store {
namespace {

class StorePolls : public testing::StoreTest {};
class StoreValidators : public testing::StoreTest {};

using namespace std::chrono_literals;

const Timestamp kT0 = std::chrono::sys_days{std::chrono::year{2024} / 3 / 1} + 8h;

PollRecord poll(Timestamp started, bool ok, int status, std::string error = {}) {
  PollRecord p;
  p.started = started;
  p.duration = 1234ms;
  p.ok = ok;
  p.http_status = status;
  p.new_items = ok ? 3 : 0;
  p.articles_fetched = ok ? 4 : 0;
  p.bytes = ok ? 51'200 : 0;
  p.error = std::move(error);
  return p;
}

TEST_P(StorePolls, NoPollsGiveNothing) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto last = store->last_poll("f");
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->has_value());
  EXPECT_FALSE(store->last_failure("f")->has_value());
  EXPECT_FALSE(store->last_success("f")->has_value());
}

TEST_P(StorePolls, LastPollFailureAndSuccessAreTrackedSeparately) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->record_poll("f", poll(kT0, true, 200)).ok());
  ASSERT_TRUE(store->record_poll("f", poll(kT0 + 10min, false, 503, "列表页返回 503")).ok());
  ASSERT_TRUE(store->record_poll("f", poll(kT0 + 20min, true, 304)).ok());
  ASSERT_TRUE(store->record_poll("other", poll(kT0 + 30min, false, 0, "timeout")).ok());

  auto last = store->last_poll("f");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->started, kT0 + 20min);
  EXPECT_EQ((*last)->http_status, 304);
  EXPECT_TRUE((*last)->ok);

  auto failure = store->last_failure("f");
  ASSERT_TRUE(failure.ok() && failure->has_value());
  const PollRecord& f = **failure;
  EXPECT_EQ(f.started, kT0 + 10min);
  EXPECT_EQ(f.duration, 1234ms);
  EXPECT_FALSE(f.ok);
  EXPECT_EQ(f.http_status, 503);
  EXPECT_EQ(f.new_items, 0);
  EXPECT_EQ(f.error, "列表页返回 503");

  auto success = store->last_success("f");
  ASSERT_TRUE(success.ok() && success->has_value());
  EXPECT_EQ((*success)->started, kT0 + 20min);
  EXPECT_EQ((*success)->new_items, 3);
  EXPECT_EQ((*success)->articles_fetched, 4);
  EXPECT_EQ((*success)->bytes, 51'200u);
  EXPECT_EQ((*success)->error, "");
}

TEST_P(StorePolls, OnlyTheLast500PollsOfAFeedAreKept) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  // The single failure is the oldest poll; 500 successes after it push it out.
  ASSERT_TRUE(store->record_poll("f", poll(kT0, false, 500, "old")).ok());
  ASSERT_TRUE(store->record_poll("g", poll(kT0, false, 500, "other feed")).ok());
  for (int i = 1; i <= 499; ++i) {
    ASSERT_TRUE(store->record_poll("f", poll(kT0 + std::chrono::minutes{i}, true, 200)).ok());
  }
  EXPECT_TRUE(store->last_failure("f")->has_value());  // 500 polls: still there
  ASSERT_TRUE(store->record_poll("f", poll(kT0 + 500min, true, 200)).ok());
  EXPECT_FALSE(store->last_failure("f")->has_value());
  EXPECT_TRUE(store->last_failure("g")->has_value());  // other feeds untouched
}

TEST_P(StorePolls, PollsSurviveReopen) {
  {
    auto store = open_ok();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->record_poll("f", poll(kT0, false, 404, "not found")).ok());
  }
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto failure = store->last_failure("f");
  ASSERT_TRUE(failure.ok() && failure->has_value());
  EXPECT_EQ((*failure)->http_status, 404);
  EXPECT_EQ((*failure)->error, "not found");
}

TEST_P(StoreValidators, UnknownUrlHasNone) {
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto v = store->validators("https://www.hangzhou.com.cn/");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
}

TEST_P(StoreValidators, SaveReplacesThePreviousValuesAndSurvivesReopen) {
  const std::string url = "https://www.hangzhou.com.cn/";
  {
    auto store = open_ok();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_validators(url, {"\"abc\"", "Wed, 29 Jan 2020 01:17:24 GMT"}).ok());
    ASSERT_TRUE(store->save_validators(url, {"W/\"def\"", ""}).ok());
    ASSERT_TRUE(store->save_validators("https://other/", {"\"x\"", ""}).ok());
  }
  auto store = open_ok();
  ASSERT_TRUE(store);
  auto v = store->validators(url);
  ASSERT_TRUE(v.ok() && v->has_value());
  EXPECT_EQ((*v)->etag, "W/\"def\"");
  EXPECT_EQ((*v)->last_modified, "");
  auto other = store->validators("https://other/");
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->etag, "\"x\"");
}

FG_STORE_BACKENDS(StorePolls);
FG_STORE_BACKENDS(StoreValidators);

}  // namespace
}  // namespace fg::store
