// The status page's per-feed state kept in memory: the same page as reading the store each time.

#include "app/feed_state.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace fg::app {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1} + 8h;

render::PollSample sample(int minute, int took_ms, int new_items) {
  return {kT0 + std::chrono::minutes(minute), std::chrono::milliseconds(took_ms), new_items};
}

store::PollRecord record(int minute, bool ok, std::string error = {}, int new_items = 0) {
  store::PollRecord p;
  p.started = kT0 + std::chrono::minutes(minute);
  p.duration = std::chrono::milliseconds(100 + minute);
  p.ok = ok;
  p.http_status = ok ? 200 : 500;
  p.bytes = 1000 + static_cast<std::uint64_t>(minute);
  p.new_items = new_items;
  p.error = std::move(error);
  return p;
}

// (minute, new_items) of each sample, newest first.
std::vector<std::pair<int, int>> minutes_and_items(const std::vector<render::PollSample>& s) {
  std::vector<std::pair<int, int>> out;
  for (const auto& p : s) {
    out.emplace_back(static_cast<int>((p.started - kT0) / 1min), p.new_items);
  }
  return out;
}

TEST(PollHistory, KeepsTheLatestPollsAndOlderOnesWithItemsInTheWindow) {
  PollHistory history(/*window=*/5, /*detailed=*/2);
  history.add(sample(0, 10, 4));  // leaves the window when minute 5 is added
  history.add(sample(1, 11, 0));
  history.add(sample(2, 12, 3));
  history.add(sample(3, 13, 0));
  history.add(sample(4, 14, 0));
  history.add(sample(5, 15, 1));
  history.add(sample(6, 16, 0));
  // Window: minutes 2..6; detailed: 6 and 5; older with items: 2 (minute 0 fell out).
  const std::vector<std::pair<int, int>> expected{{6, 0}, {5, 1}, {2, 3}};
  EXPECT_EQ(minutes_and_items(history.samples()), expected);
  EXPECT_EQ(history.samples()[0].duration, 16ms);
}

TEST(PollHistory, FewerPollsThanDetailedAreAllKept) {
  PollHistory history(500, 50);
  history.add(sample(0, 10, 0));
  history.add(sample(1, 20, 0));
  const std::vector<std::pair<int, int>> expected{{1, 0}, {0, 0}};
  EXPECT_EQ(minutes_and_items(history.samples()), expected);
}

TEST(FeedState, ShowsTheLastPollAndAnEarlierFailureWithItsTime) {
  FeedState state;
  ASSERT_TRUE(state.polled(record(0, true, {}, 3), 3));
  ASSERT_TRUE(state.polled(record(1, false, "HTTP 500 from the portal"), std::nullopt));
  ASSERT_TRUE(state.polled(record(2, true), std::nullopt));
  const render::FeedStatus s = state.status();
  EXPECT_EQ(s.item_count, 3);
  EXPECT_EQ(s.last_poll, kT0 + 2min);
  EXPECT_EQ(s.last_http_status, 200);
  EXPECT_EQ(s.last_bytes, 1002u);
  EXPECT_EQ(s.last_duration, 102ms);
  EXPECT_EQ(s.last_success, kT0 + 2min);
  EXPECT_EQ(s.last_error, "HTTP 500 from the portal");
  EXPECT_EQ(s.last_error_at, kT0 + 1min);
  EXPECT_FALSE(state.failing());
  ASSERT_EQ(s.recent_polls.size(), 3u);
  EXPECT_EQ(s.recent_polls[2].new_items, 3);
}

TEST(FeedState, AWarningOnTheLastPollShowsAsItsError) {
  FeedState state;
  ASSERT_TRUE(state.polled(record(0, false, "cannot connect"), std::nullopt));
  EXPECT_TRUE(state.failing());
  ASSERT_TRUE(state.polled(record(5, true, "no publication date"), 1));
  const render::FeedStatus s = state.status();
  EXPECT_EQ(s.last_error, "no publication date");
  EXPECT_EQ(s.last_error_at, kT0 + 5min);
  EXPECT_EQ(s.item_count, 1);
  EXPECT_FALSE(state.failing());
}

TEST(FeedState, ThePollAlreadyKnownIsNotCountedTwice) {
  FeedState state;
  ASSERT_TRUE(state.polled(record(0, true, {}, 2), 2));
  EXPECT_FALSE(state.polled(record(0, true, {}, 2), 2));
  EXPECT_EQ(state.status().recent_polls.size(), 1u);
}

TEST(FeedState, LoadsWhatTheStoreHolds) {
  test::TempDb tmp;
  auto opened = store::open_sqlite_store(tmp.path());
  ASSERT_TRUE(opened.ok());
  auto& store = **opened;
  ASSERT_TRUE(store.record_poll("f", record(0, false, "timed out")).ok());
  ASSERT_TRUE(store.record_poll("f", record(1, true, {}, 2)).ok());
  ASSERT_TRUE(store.record_poll("f", record(2, true)).ok());
  ASSERT_TRUE(store.record_poll("g", record(3, false, "not this feed")).ok());
  Article a;
  a.url = "http://127.0.0.1/a.html";
  a.title = "A";
  ASSERT_TRUE(store.commit_items("f", {a}, 50, kT0).ok());

  FeedState state;
  state.load(store, "f");
  const render::FeedStatus s = state.status();
  EXPECT_EQ(s.item_count, 1);
  EXPECT_EQ(s.last_poll, kT0 + 2min);
  EXPECT_EQ(s.last_success, kT0 + 2min);
  EXPECT_EQ(s.last_error, "timed out");
  EXPECT_EQ(s.last_error_at, kT0);
  const std::vector<std::pair<int, int>> expected{{2, 0}, {1, 2}, {0, 0}};
  EXPECT_EQ(minutes_and_items(s.recent_polls), expected);
  // The next poll adds to what was loaded.
  ASSERT_TRUE(state.polled(record(3, true), std::nullopt));
  EXPECT_EQ(state.status().recent_polls.size(), 4u);
}

}  // namespace
}  // namespace fg::app
