// recent_polls: the history the status page draws its sparklines from.

#include <gtest/gtest.h>

#include "backends.hpp"
#include "store/store.hpp"

namespace fg::store {
namespace {

class StoreRecentPolls : public testing::StoreTest {};

using namespace std::chrono_literals;

const Timestamp kT0 = std::chrono::sys_days{std::chrono::year{2024} / 3 / 1} + 8h;

PollRecord poll_at(Timestamp started, std::chrono::milliseconds took, int new_items) {
  PollRecord p;
  p.started = started;
  p.duration = took;
  p.ok = true;
  p.http_status = 200;
  p.new_items = new_items;
  return p;
}

TEST_P(StoreRecentPolls, NewestFirstLimitedAndPerFeed) {
  auto opened = backend_->open();
  ASSERT_TRUE(opened.ok());
  auto& store = **opened;
  ASSERT_TRUE(store.record_poll("f", poll_at(kT0, 100ms, 1)).ok());
  ASSERT_TRUE(store.record_poll("f", poll_at(kT0 + 10min, 200ms, 2)).ok());
  ASSERT_TRUE(store.record_poll("f", poll_at(kT0 + 20min, 300ms, 3)).ok());
  ASSERT_TRUE(store.record_poll("g", poll_at(kT0 + 30min, 900ms, 9)).ok());

  auto two = store.recent_polls("f", 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].started, kT0 + 20min);
  EXPECT_EQ((*two)[0].duration, 300ms);
  EXPECT_EQ((*two)[0].new_items, 3);
  EXPECT_EQ((*two)[1].started, kT0 + 10min);

  auto none = store.recent_polls("nobody", 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

FG_STORE_BACKENDS(StoreRecentPolls);

}  // namespace
}  // namespace fg::store
