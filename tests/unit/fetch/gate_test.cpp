// The Fetcher with a HostGate (politeness shared with other processes), a fake one here: a turn
// is asked for each request when min_gap is set and its wait is kept, a paused host is not
// asked, a Retry-After is passed on, per_host is split among the sharers, and a gate that fails
// does not stop fetching.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "fetch/fetcher.hpp"
#include "support/http_server.hpp"

namespace fg::fetch {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using test::http_response;
using test::ReceivedRequest;
using test::TestServer;

class FakeGate final : public HostGate {
 public:
  Result<HostTurn> take_turn(const std::string& host, milliseconds min_gap) override {
    std::lock_guard lock(mutex_);
    asked_.push_back(host + " " + std::to_string(min_gap.count()));
    if (fail_) return make_error(Errc::storage, "database unreachable");
    return answer_;
  }
  Result<milliseconds> paused_for(const std::string& host) override {
    std::lock_guard lock(mutex_);
    asked_.push_back(host + " paused?");
    return later_pause_;
  }
  void pause(const std::string& host, milliseconds wait) override {
    std::lock_guard lock(mutex_);
    paused_.push_back(host + " " + std::to_string(wait.count()));
    told_.notify_all();
  }

  // What paused_for answers (a pause another process recorded while a turn was awaited).
  void pause_later(milliseconds paused) {
    std::lock_guard lock(mutex_);
    later_pause_ = paused;
  }
  void answer(HostTurn turn, bool fail = false) {
    std::lock_guard lock(mutex_);
    answer_ = turn;
    fail_ = fail;
  }
  std::vector<std::string> asked() const {
    std::lock_guard lock(mutex_);
    return asked_;
  }
  // The pauses passed on, once there is one (or after 5 s).
  std::vector<std::string> paused() {
    std::unique_lock lock(mutex_);
    told_.wait_for(lock, 5s, [&] { return !paused_.empty(); });
    return paused_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable told_;
  HostTurn answer_;
  bool fail_ = false;
  milliseconds later_pause_{0};
  std::vector<std::string> asked_;
  std::vector<std::string> paused_;
};

// A loopback server answering /x, the fake gate, and a fetcher using it.
class FetcherGate : public ::testing::Test {
 protected:
  FetcherGate() { server_.on("/x", http_response(200, "", "x")); }

  Fetcher& fetcher(milliseconds min_gap, int per_host = 2) {
    FetchOptions o;
    o.timeout = 5000ms;
    o.allow_private = true;
    o.min_gap = min_gap;
    o.per_host = per_host;
    fetcher_ = std::make_unique<Fetcher>(o);
    fetcher_->use_gate(gate_);
    return *fetcher_;
  }

  TestServer server_;
  std::shared_ptr<FakeGate> gate_ = std::make_shared<FakeGate>();
  std::unique_ptr<Fetcher> fetcher_;  // destroyed first
};

TEST_F(FetcherGate, EveryRequestTakesATurnAndWaitsForIt) {
  server_.on("/list", http_response(200, "", "list"));
  server_.on("/article", http_response(200, "", "article"));
  gate_->answer({400ms, 0ms, 1});
  Fetcher& fetcher = this->fetcher(250ms);
  const auto before = std::chrono::steady_clock::now();
  auto list = fetcher.fetch({server_.url("/list"), {}});
  ASSERT_TRUE(list.ok()) << list.error().describe();
  EXPECT_GE(std::chrono::steady_clock::now() - before, 400ms) << "started before its turn";
  ASSERT_TRUE(fetcher.fetch({server_.url("/article"), {}}).ok());
  // List and article page alike; each asks again, after its wait, whether it was paused.
  EXPECT_EQ(gate_->asked(), (std::vector<std::string>{"127.0.0.1 250", "127.0.0.1 paused?",
                                                      "127.0.0.1 250", "127.0.0.1 paused?"}));
}

TEST_F(FetcherGate, APauseRecordedWhileATurnWasAwaitedRefusesIt) {
  gate_->answer({200ms, 0ms, 1});
  gate_->pause_later(5'000ms);
  Fetcher& fetcher = this->fetcher(250ms);
  auto refused = fetcher.fetch({server_.url("/x"), {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(retry_after_of(refused.error()), std::chrono::seconds(5));
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(FetcherGate, APausedHostIsNotAskedAndStaysPausedHere) {
  gate_->answer({0ms, 30'000ms, 1});
  Fetcher& fetcher = this->fetcher(100ms);
  auto refused = fetcher.fetch({server_.url("/x"), {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::http_status);
  const auto wait = retry_after_of(refused.error());
  ASSERT_TRUE(wait.has_value()) << refused.error().message;
  EXPECT_EQ(wait->count(), 30);
  auto again = fetcher.fetch({server_.url("/x"), {}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(gate_->asked().size(), 1u) << "the pause is known here now";
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(FetcherGate, ARetryAfterIsPassedOnToTheOthers) {
  server_.on("/busy", http_response(503, "Retry-After: 7\r\n", "busy"));
  Fetcher& fetcher = this->fetcher(100ms);
  ASSERT_FALSE(fetcher.fetch({server_.url("/busy"), {}}).ok());
  EXPECT_EQ(gate_->paused(), std::vector<std::string>{"127.0.0.1 7000"});
}

TEST_F(FetcherGate, WithoutAGapNoTurnIsTaken) {
  Fetcher& fetcher = this->fetcher(0ms);
  ASSERT_TRUE(fetcher.fetch({server_.url("/x"), {}}).ok());
  EXPECT_TRUE(gate_->asked().empty());
}

TEST_F(FetcherGate, AGateThatFailsDoesNotStopFetching) {
  gate_->answer({}, true);
  Fetcher& fetcher = this->fetcher(50ms);
  auto r = fetcher.fetch({server_.url("/x"), {}});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  // Without an answer it waits one gap of its own, then asks about pauses before starting.
  EXPECT_EQ(gate_->asked(), (std::vector<std::string>{"127.0.0.1 50", "127.0.0.1 paused?"}));
}

// per_host 2 among 2 sharers: this process keeps one request in flight per host. The server
// holds each request 300 ms, so two allowed together would overlap.
TEST_F(FetcherGate, PerHostIsSplitAmongTheSharers) {
  std::atomic<int> now_in{0}, most{0};
  auto slow = [&](const ReceivedRequest&) {
    const int in = ++now_in;
    int seen = most.load();
    while (in > seen && !most.compare_exchange_weak(seen, in)) {
    }
    std::this_thread::sleep_for(300ms);
    --now_in;
    return http_response(200, "", "slow");
  };
  server_.on("/a", slow);
  server_.on("/b", slow);
  server_.on("/first", http_response(200, "", "first"));
  gate_->answer({0ms, 0ms, 2});
  Fetcher& fetcher = this->fetcher(1ms, 2);
  ASSERT_TRUE(fetcher.fetch({server_.url("/first"), {}}).ok());  // the share is learned here
  std::vector<std::future<Result<Response>>> both;
  for (const char* path : {"/a", "/b"}) {
    auto promise = std::make_shared<std::promise<Result<Response>>>();
    both.push_back(promise->get_future());
    fetcher.fetch_async({server_.url(path), {}},
                        [promise](Result<Response> r) { promise->set_value(std::move(r)); });
  }
  for (auto& f : both) ASSERT_TRUE(f.get().ok());
  EXPECT_EQ(most.load(), 1);
}

}  // namespace
}  // namespace fg::fetch
