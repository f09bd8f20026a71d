// One instance's part in a cluster, on a real PostgreSQL: a notification lost on the way is made
// up for by the periodic check, an unreachable store shows on the status page and in /metrics
// until it answers again, and only the newest config writes the shared schedule.

#include "app/cluster_member.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>

#include "core/metrics.hpp"
#include "support/pg_server.hpp"

namespace fg::app {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// A listener that hears nothing: every notification is lost.
class DeafListener final : public store::ItemsListener {
 public:
  Result<std::vector<store::ItemsVersion>> wait(milliseconds timeout) override {
    std::this_thread::sleep_for(timeout);
    return std::vector<store::ItemsVersion>{};
  }
};

// The real ClusterBook of a store, but deaf, and failing as an unreachable database does while
// `down` is set.
class FlakyBook final : public store::ClusterBook {
 public:
  explicit FlakyBook(store::ClusterBook& real) : real_(real) {}
  std::atomic<bool> down{false};

  Result<void> announce(const store::InstanceInfo& self) override {
    if (down) return unreachable();
    return real_.announce(self);
  }
  Result<bool> heartbeat(const std::string& id) override {
    if (down) return unreachable();
    return real_.heartbeat(id);
  }
  Result<void> retire(const std::string& id) override { return real_.retire(id); }
  Result<std::vector<store::InstanceInfo>> instances(milliseconds alive_within) override {
    if (down) return unreachable();
    return real_.instances(alive_within);
  }
  Result<void> sync_feeds(const std::vector<store::ScheduledFeed>& feeds,
                          milliseconds spread) override {
    return real_.sync_feeds(feeds, spread);
  }
  Result<std::optional<store::InstanceInfo>> sync_feeds_if_newest(
      const std::string& id, const std::vector<store::ScheduledFeed>& feeds, milliseconds spread,
      milliseconds alive_within) override {
    if (down) return unreachable();
    return real_.sync_feeds_if_newest(id, feeds, spread, alive_within);
  }
  Result<std::vector<store::Claim>> claim_due(const std::string& id, int limit, milliseconds lease,
                                              milliseconds ahead) override {
    if (down) return unreachable();
    return real_.claim_due(id, limit, lease, ahead);
  }
  Result<std::vector<std::string>> renew(const std::string& id,
                                         const std::vector<std::string>& feed_ids,
                                         milliseconds lease) override {
    if (down) return unreachable();
    return real_.renew(id, feed_ids, lease);
  }
  Result<void> hand_back(const std::string& id, const std::vector<std::string>& feed_ids) override {
    if (down) return unreachable();
    return real_.hand_back(id, feed_ids);
  }
  Result<bool> release(const std::string& id, const std::string& feed_id,
                       const store::Release& outcome, const store::HostBreaker& breaker) override {
    if (down) return unreachable();
    return real_.release(id, feed_id, outcome, breaker);
  }
  Result<void> poll_now(const std::string& feed_id) override { return real_.poll_now(feed_id); }
  Result<std::vector<store::FeedLease>> leases() override {
    if (down) return unreachable();
    return real_.leases();
  }
  Result<milliseconds> reserve_request(const std::string& host, milliseconds min_gap) override {
    return real_.reserve_request(host, min_gap);
  }
  Result<store::RequestTurn> take_turn(const std::string& host, milliseconds min_gap,
                                       milliseconds alive_within) override {
    return real_.take_turn(host, min_gap, alive_within);
  }
  Result<milliseconds> host_paused(const std::string& host) override {
    return real_.host_paused(host);
  }
  Result<void> pause_host(const std::string& host, milliseconds wait) override {
    return real_.pause_host(host, wait);
  }
  Result<std::unique_ptr<store::ItemsListener>> listen_items() override {
    return std::unique_ptr<store::ItemsListener>(new DeafListener);
  }
  Result<std::vector<store::ItemsVersion>> item_versions() override {
    if (down) return unreachable();
    return real_.item_versions();
  }

 private:
  static Error unreachable() {
    return make_error(Errc::storage, "connection to server failed: Connection refused", "test");
  }
  store::ClusterBook& real_;
};

// What the member told its instance, for waiting on from the test.
struct Heard {
  std::mutex mutex;
  std::condition_variable changed;
  std::set<std::string> feeds;
  int status_changes = 0;

  // Waits (bounded: a failure, not a hang, when it never comes) until `done` holds.
  template <typename Done>
  bool wait_for(Done done) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return done(); });
  }
};

class Member : public test::PgDatabaseTest {
 protected:
  std::unique_ptr<store::Store> open() {
    auto store = store::open_postgres_store(url_);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().describe());
    return store.ok() ? std::move(*store) : nullptr;
  }

  static MemberOptions options() {
    MemberOptions o;
    o.lease = 1000ms;  // heartbeats every 250 ms
    o.address = "127.0.0.1:1";
    o.check_every = 100ms;
    return o;
  }

  static void start(ClusterMember& member, Heard& heard) {
    member.start(
        [&](const std::string& id) {
          std::lock_guard lock(heard.mutex);
          heard.feeds.insert(id);
          heard.changed.notify_all();
        },
        [] {},
        [&] {
          std::lock_guard lock(heard.mutex);
          ++heard.status_changes;
          heard.changed.notify_all();
        });
  }

  static Article item(const std::string& url) {
    Article a;
    a.url = url;
    a.title = "title of " + url;
    return a;
  }

  static std::vector<schedule::Job> jobs(std::vector<std::string> ids) {
    std::vector<schedule::Job> out;
    for (auto& id : ids) out.push_back({id, 60'000ms, "portal.test", 60'000ms});
    return out;
  }
};

TEST_F(Member, AFeedWhoseNotificationWasLostIsReRenderedByThePeriodicCheck) {
  auto other = open(), mine = open();
  ASSERT_TRUE(other && mine);
  ASSERT_TRUE(other->commit_items("before", {item("https://portal.test/0")}, 10, now_seconds()));
  FlakyBook book(*mine->cluster());
  ClusterMember member(book, options());
  Heard heard;
  start(member, heard);
  // This instance's own commit is rendered by the poll that made it; another's is not.
  ASSERT_TRUE(mine->commit_items("own", {item("https://portal.test/1")}, 10, now_seconds()));
  ASSERT_TRUE(other->commit_items("city", {item("https://portal.test/2")}, 10, now_seconds()));
  ASSERT_TRUE(heard.wait_for([&] { return heard.feeds.contains("city"); }));
  std::lock_guard lock(heard.mutex);
  EXPECT_EQ(heard.feeds, std::set<std::string>{"city"});  // "before": rendered at start
  EXPECT_GE(metrics::registry().counter("feedgate_cluster_missed_notifications_total", "").value(),
            1u);
}

TEST_F(Member, AnUnreachableStoreShowsOnThePageUntilItAnswersAgain) {
  auto store = open();
  ASSERT_TRUE(store);
  FlakyBook book(*store->cluster());
  ClusterMember member(book, options());
  member.sync(jobs({"due", "later"}), "hash", Timestamp{});
  ASSERT_TRUE(store->cluster()->poll_now("due"));
  Heard heard;
  start(member, heard);
  auto& polls = metrics::registry().counter("feedgate_cluster_polls_store_unavailable_total", "");
  auto& available = metrics::registry().gauge("feedgate_cluster_store_available", "");
  const auto polls_before = polls.value();
  // The schedule as of a heartbeat: "due" is due; "later" comes due within 60 ms of the sync.
  while (!member.next_due("due") || !member.next_due("later")) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(1100ms);  // a second later: both due (times are in seconds)

  EXPECT_EQ(available.value(), 1);
  book.down = true;
  EXPECT_FALSE(member.claim(4, 0ms));
  EXPECT_FALSE(member.claim(4, 0ms));  // a feed counts once per outage
  EXPECT_EQ(polls.value() - polls_before, 2u);
  EXPECT_EQ(available.value(), 0);
  std::vector<render::FeedStatus> feeds(3);
  feeds[0].info.id = "due";
  feeds[1].info.id = "later";
  feeds[2].info.id = "unscheduled";
  auto seen = member.view(feeds);
  ASSERT_TRUE(seen.store_unavailable_since);
  EXPECT_NE(seen.store_error.find("Connection refused"), std::string::npos);
  EXPECT_EQ(feeds[0].last_error, "store unavailable");
  EXPECT_EQ(feeds[0].last_error_at, seen.store_unavailable_since);
  EXPECT_EQ(feeds[1].last_error, "store unavailable");
  EXPECT_EQ(feeds[2].last_error, "");
  {
    std::lock_guard lock(heard.mutex);
    EXPECT_GE(heard.status_changes, 1);  // the page is rebuilt to show it
  }

  book.down = false;
  ASSERT_TRUE(member.claim(4, 0ms));
  EXPECT_EQ(available.value(), 1);
  std::vector<render::FeedStatus> after(1);
  after[0].info.id = "due";
  seen = member.view(after);
  EXPECT_FALSE(seen.store_unavailable_since);
  EXPECT_EQ(after[0].last_error, "");
}

std::vector<std::string> scheduled(store::ClusterBook& book) {
  std::vector<std::string> ids;
  auto leases = book.leases();
  if (!leases) return ids;
  for (const auto& l : *leases) ids.push_back(l.feed_id);
  return ids;
}

TEST_F(Member, AnOlderConfigLeavesTheScheduleToTheNewerUntilItLeaves) {
  auto a = open(), b = open();
  ASSERT_TRUE(a && b);
  ClusterMember newer(*a->cluster(), options());
  newer.sync(jobs({"f1", "f2", "f3"}), "new-config", Timestamp{std::chrono::seconds{2'000}});
  Heard heard_newer, heard_older;
  start(newer, heard_newer);
  auto older = std::make_unique<ClusterMember>(*b->cluster(), options());
  older->sync(jobs({"f1"}), "old-config", Timestamp{std::chrono::seconds{1'000}});
  start(*older, heard_older);
  EXPECT_EQ(scheduled(*a->cluster()), (std::vector<std::string>{"f1", "f2", "f3"}));
  std::vector<render::FeedStatus> none;
  EXPECT_EQ(older->view(none).newer_config, newer.id());
  EXPECT_EQ(newer.view(none).newer_config, "");

  // The newer one leaves: at its next heartbeat the older one writes its schedule.
  newer.stop();
  for (int i = 0; i < 200 && scheduled(*b->cluster()).size() != 1; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(scheduled(*b->cluster()), std::vector<std::string>{"f1"});
  EXPECT_EQ(older->view(none).newer_config, "");
}

}  // namespace
}  // namespace fg::app
