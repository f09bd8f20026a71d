// The store is shared by the poller threads and the server: calls from several threads at once
// must all land (SQLite serializes them on one connection, PostgreSQL spreads them over its pool).

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "backends.hpp"
#include "store/store.hpp"

namespace fg::store {
namespace {

class StoreThreads : public testing::StoreTest {};

using namespace std::chrono_literals;

TEST_P(StoreThreads, ConcurrentWritersAndReadersAllSucceed) {
  auto opened = backend_->open();
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  Store& store = **opened;
  const Timestamp t0 = std::chrono::sys_days{std::chrono::year{2024} / 3 / 1};
  constexpr int kThreads = 4;
  constexpr int kCommits = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string feed = "feed" + std::to_string(t);
      for (int i = 0; i < kCommits; ++i) {
        Article a;
        a.url = "https://a/" + std::to_string(i);
        a.title = "标题";
        if (!store.commit_items(feed, {a}, 100, t0 + std::chrono::seconds{i}).ok()) ++failures;
        PollRecord p;
        p.started = t0 + std::chrono::seconds{i};
        p.ok = true;
        if (!store.record_poll(feed, p).ok()) ++failures;
        if (!store.items(feed, 5).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(*store.count_items("feed" + std::to_string(t)), kCommits);
  }
}

FG_STORE_BACKENDS(StoreThreads);

}  // namespace
}  // namespace fg::store
