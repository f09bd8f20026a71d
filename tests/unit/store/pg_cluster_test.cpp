// The ClusterBook on a real PostgreSQL: instances (separate stores, separate pools) racing to
// claim the same due feeds, leases that expire and are taken over, the shared breaker and
// request slots, and new items announced to the other instances.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "support/pg_server.hpp"
#include "support/temp_dir.hpp"

namespace fg::store {
namespace {

using namespace std::chrono_literals;

class PgCluster : public test::PgDatabaseTest {
 protected:
  // One more instance's store on the test's database.
  std::unique_ptr<Store> instance() {
    auto store = open_postgres_store(url_);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().describe());
    if (!store.ok()) return nullptr;
    EXPECT_NE((*store)->cluster(), nullptr);
    return std::move(*store);
  }

  // `n` feeds named f00.., on `host`, due at once.
  static std::vector<ScheduledFeed> feeds(int n, const std::string& host = "portal.test") {
    std::vector<ScheduledFeed> out;
    for (int i = 0; i < n; ++i) {
      out.push_back({(i < 10 ? "f0" : "f") + std::to_string(i), host, 60'000ms});
    }
    return out;
  }
};

std::vector<std::string> ids_of(const std::vector<Claim>& claims) {
  std::vector<std::string> ids;
  for (const auto& c : claims) ids.push_back(c.feed_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(SqliteCluster, TheEmbeddedStoreHasNoClusterBook) {
  test::TempDb db;
  auto store = open_sqlite_store(db.path());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ((*store)->cluster(), nullptr);
}

TEST_F(PgCluster, InstancesRacingForTheSameDueFeedsClaimEachOnce) {
  constexpr int kFeeds = 60, kInstances = 3, kThreadsEach = 2;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kInstances; ++i) stores.push_back(instance());
  ASSERT_TRUE(stores[0]->cluster()->sync_feeds(feeds(kFeeds), 0ms).ok());

  std::mutex mutex;
  std::map<std::string, std::vector<std::string>> claimed_by;  // feed -> claimers
  std::vector<std::string> errors;
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    for (int t = 0; t < kThreadsEach; ++t) {
      threads.emplace_back([&, i] {
        const std::string me = "instance-" + std::to_string(i);
        for (;;) {
          auto got =
              stores[static_cast<std::size_t>(i)]->cluster()->claim_due(me, 3, 60'000ms, 0ms);
          std::lock_guard lock(mutex);
          if (!got) {
            errors.push_back(got.error().describe());
            return;
          }
          if (got->empty()) return;
          for (const auto& c : *got) claimed_by[c.feed_id].push_back(me);
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(claimed_by.size(), static_cast<std::size_t>(kFeeds));
  for (const auto& [feed, by] : claimed_by) {
    EXPECT_EQ(by.size(), 1u) << feed << " claimed by " << by.size() << " instances";
  }
  // Nothing is due any more: every lease is held.
  auto again = stores[0]->cluster()->claim_due("late", 100, 60'000ms, 0ms);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_TRUE(again->empty());
}

TEST_F(PgCluster, AnExpiredLeaseIsTakenOverAndItsOldHolderCannotRelease) {
  auto a = instance(), b = instance();
  ASSERT_TRUE(a->cluster()->sync_feeds(feeds(1), 0ms).ok());
  auto first = a->cluster()->claim_due("a", 10, 300ms, 0ms);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_EQ(ids_of(*first), std::vector<std::string>{"f00"});
  EXPECT_EQ(first->front().taken_from, "");

  auto held = b->cluster()->claim_due("b", 10, 60'000ms, 0ms);
  ASSERT_TRUE(held.ok());
  EXPECT_TRUE(held->empty()) << "claimed while a's lease runs";

  std::this_thread::sleep_for(400ms);  // a "dies": its lease runs out
  auto taken = b->cluster()->claim_due("b", 10, 60'000ms, 0ms);
  ASSERT_TRUE(taken.ok()) << taken.error().describe();
  ASSERT_EQ(ids_of(*taken), std::vector<std::string>{"f00"});
  EXPECT_EQ(taken->front().taken_from, "a");
  EXPECT_GE(taken->front().late.count(), 300);

  auto late_release = a->cluster()->release("a", "f00", Release{60'000ms, 0, false}, {});
  ASSERT_TRUE(late_release.ok()) << late_release.error().describe();
  EXPECT_FALSE(*late_release);
  auto release = b->cluster()->release("b", "f00", Release{60'000ms, 0, false}, {});
  ASSERT_TRUE(release.ok()) << release.error().describe();
  EXPECT_TRUE(*release);

  auto leases = a->cluster()->leases();
  ASSERT_TRUE(leases.ok()) << leases.error().describe();
  ASSERT_EQ(leases->size(), 1u);
  EXPECT_EQ(leases->front().last_polled_by, "b");
  EXPECT_EQ(leases->front().holder, "");
  ASSERT_TRUE(leases->front().next_due.has_value());
  EXPECT_GT(*leases->front().next_due, now_seconds() + 50s);
}

TEST_F(PgCluster, ARenewedLeaseOutlivesItsFirstTerm) {
  auto a = instance(), b = instance();
  ASSERT_TRUE(a->cluster()->sync_feeds(feeds(2), 0ms).ok());
  auto claimed = a->cluster()->claim_due("a", 10, 300ms, 0ms);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2u);
  auto renewed = a->cluster()->renew("a", {"f00", "f01", "never-claimed"}, 60'000ms);
  ASSERT_TRUE(renewed.ok()) << renewed.error().describe();
  EXPECT_EQ(renewed->size(), 2u);
  auto not_mine = b->cluster()->renew("b", {"f00"}, 60'000ms);
  ASSERT_TRUE(not_mine.ok());
  EXPECT_TRUE(not_mine->empty());

  std::this_thread::sleep_for(400ms);
  auto taken = b->cluster()->claim_due("b", 10, 60'000ms, 0ms);
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->empty()) << "a renewed; b must not take its polls";
}

TEST_F(PgCluster, ClaimingAheadTakesTheFeedsDueWithinTheWindowOnly) {
  auto a = instance(), b = instance();
  ASSERT_TRUE(a->cluster()->sync_feeds(feeds(3), 0ms).ok());
  ASSERT_EQ(a->cluster()->claim_due("a", 10, 60'000ms, 0ms)->size(), 3u);
  ASSERT_TRUE(*a->cluster()->release("a", "f00", Release{500ms, 0, false}, {}));
  ASSERT_TRUE(*a->cluster()->release("a", "f01", Release{5'000ms, 0, false}, {}));
  ASSERT_TRUE(*a->cluster()->release("a", "f02", Release{60'000ms, 0, false}, {}));

  auto none = a->cluster()->claim_due("a", 10, 60'000ms, 0ms);
  ASSERT_TRUE(none.ok()) << none.error().describe();
  EXPECT_TRUE(none->empty()) << "nothing is due yet";
  auto soon = a->cluster()->claim_due("a", 10, 60'000ms, 2'000ms);
  ASSERT_TRUE(soon.ok()) << soon.error().describe();
  ASSERT_EQ(ids_of(*soon), std::vector<std::string>{"f00"});
  EXPECT_LT(soon->front().late.count(), 0) << "claimed ahead: due in -late";
  EXPECT_GE(soon->front().late.count(), -500);
  // Held by a from now on, though not due yet: b's wider window gets f01 only.
  auto wider = b->cluster()->claim_due("b", 10, 60'000ms, 10'000ms);
  ASSERT_TRUE(wider.ok()) << wider.error().describe();
  ASSERT_EQ(ids_of(*wider), std::vector<std::string>{"f01"});
  EXPECT_LT(wider->front().late.count(), -4'000);
}

TEST_F(PgCluster, AFeedHandedBackIsFreeAtOnceAndDueWhenItWas) {
  auto a = instance(), b = instance();
  ASSERT_TRUE(a->cluster()->sync_feeds(feeds(2), 0ms).ok());
  ASSERT_EQ(a->cluster()->claim_due("a", 10, 60'000ms, 0ms)->size(), 2u);
  ASSERT_TRUE(*a->cluster()->release("a", "f00", Release{5'000ms, 2, false}, {}));
  ASSERT_TRUE(*a->cluster()->release("a", "f01", Release{5'000ms, 0, false}, {}));
  ASSERT_EQ(a->cluster()->claim_due("a", 10, 60'000ms, 10'000ms)->size(), 2u);

  // b's hand_back of a's feed changes nothing; a's frees f00 (a still holds f01).
  ASSERT_TRUE(b->cluster()->hand_back("b", {"f00"}).ok());
  auto held = b->cluster()->claim_due("b", 10, 60'000ms, 10'000ms);
  ASSERT_TRUE(held.ok());
  EXPECT_TRUE(held->empty()) << "a's claims were handed back by b";
  ASSERT_TRUE(a->cluster()->hand_back("a", {"f00", "never-claimed"}).ok());
  auto taken = b->cluster()->claim_due("b", 10, 60'000ms, 10'000ms);
  ASSERT_TRUE(taken.ok()) << taken.error().describe();
  ASSERT_EQ(ids_of(*taken), std::vector<std::string>{"f00"});
  EXPECT_EQ(taken->front().failures, 2);
  EXPECT_EQ(taken->front().taken_from, "") << "handed back, not taken over";
  EXPECT_LT(taken->front().late.count(), -3'000) << "still due when it was";

  auto leases = a->cluster()->leases();
  ASSERT_TRUE(leases.ok());
  ASSERT_EQ(leases->size(), 2u);
  EXPECT_EQ(leases->at(0).holder, "b");
  EXPECT_EQ(leases->at(1).holder, "a");
}

TEST_F(PgCluster, ReleasedFeedsKeepTheirFailuresAndComeDueAgain) {
  auto a = instance();
  ASSERT_TRUE(a->cluster()->sync_feeds(feeds(1), 0ms).ok());
  ASSERT_EQ(a->cluster()->claim_due("a", 1, 60'000ms, 0ms)->size(), 1u);
  ASSERT_TRUE(*a->cluster()->release("a", "f00", Release{0ms, 3, false}, {}));
  auto again = a->cluster()->claim_due("a", 1, 60'000ms, 0ms);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->front().failures, 3);
}

TEST_F(PgCluster, ConnectionFailuresFromAnyInstanceOpenTheHostsBreaker) {
  auto a = instance(), b = instance();
  std::vector<ScheduledFeed> all = feeds(3, "down.test");
  all.push_back({"other", "up.test", 60'000ms});
  ASSERT_TRUE(a->cluster()->sync_feeds(all, 0ms).ok());
  const HostBreaker breaker{2, 60'000ms, 3'600'000ms};
  ASSERT_TRUE(a->cluster()->claim_due("a", 1, 60'000ms, 0ms).ok());  // f00
  ASSERT_TRUE(b->cluster()->claim_due("b", 1, 60'000ms, 0ms).ok());  // f01
  ASSERT_TRUE(*a->cluster()->release("a", "f00", Release{0ms, 1, true}, breaker));
  ASSERT_TRUE(*b->cluster()->release("b", "f01", Release{0ms, 1, true}, breaker));

  // Two failures, one from each instance: down.test's feeds wait; up.test's does not.
  auto due = a->cluster()->claim_due("a", 10, 60'000ms, 0ms);
  ASSERT_TRUE(due.ok()) << due.error().describe();
  EXPECT_EQ(ids_of(*due), std::vector<std::string>{"other"});
}

TEST_F(PgCluster, RequestSlotsToOneHostAreSpacedAcrossInstances) {
  auto a = instance(), b = instance();
  auto first = a->cluster()->reserve_request("portal.test", 1000ms);
  auto second = b->cluster()->reserve_request("portal.test", 1000ms);
  auto third = a->cluster()->reserve_request("portal.test", 1000ms);
  auto elsewhere = b->cluster()->reserve_request("other.test", 1000ms);
  ASSERT_TRUE(first.ok() && second.ok() && third.ok() && elsewhere.ok());
  EXPECT_EQ(first->count(), 0);
  EXPECT_GT(second->count(), 800);
  EXPECT_LE(second->count(), 1000);
  EXPECT_GT(third->count(), 1800);
  EXPECT_LE(third->count(), 2000);
  EXPECT_EQ(elsewhere->count(), 0);
}

TEST_F(PgCluster, InstancesAnnounceThemselvesAndARetiredOneFreesItsLeases) {
  auto a = instance(), b = instance();
  ASSERT_TRUE(a->cluster()->sync_feeds(feeds(2), 0ms).ok());
  const Timestamp started = now_seconds();
  ASSERT_TRUE(a->cluster()->announce({"a", "10.0.0.1:8080", "1.0", "hash-1", started}).ok());
  ASSERT_TRUE(b->cluster()->announce({"b", "10.0.0.2:8080", "1.0", "hash-2", started}).ok());
  ASSERT_TRUE(*a->cluster()->heartbeat("a"));
  auto listed = b->cluster()->instances(60'000ms);
  ASSERT_TRUE(listed.ok()) << listed.error().describe();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(0).id, "a");
  EXPECT_EQ(listed->at(0).address, "10.0.0.1:8080");
  EXPECT_EQ(listed->at(1).config_hash, "hash-2");
  EXPECT_TRUE(listed->at(0).alive && listed->at(1).alive);
  EXPECT_EQ(listed->at(0).started, started);

  ASSERT_EQ(a->cluster()->claim_due("a", 10, 60'000ms, 0ms)->size(), 2u);
  ASSERT_TRUE(a->cluster()->retire("a").ok());
  auto gone = a->cluster()->heartbeat("a");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
  auto handed_over = b->cluster()->claim_due("b", 10, 60'000ms, 0ms);
  ASSERT_TRUE(handed_over.ok());
  EXPECT_EQ(handed_over->size(), 2u) << "a clean stop hands its feeds over at once";
  EXPECT_EQ(b->cluster()->instances(60'000ms)->size(), 1u);
}

TEST_F(PgCluster, SyncingKeepsDueTimesAndDropsFeedsNoLongerConfigured) {
  auto a = instance();
  ASSERT_TRUE(a->cluster()->sync_feeds(feeds(3), 0ms).ok());
  ASSERT_EQ(a->cluster()->claim_due("a", 10, 60'000ms, 0ms)->size(), 3u);
  for (const char* id : {"f00", "f01", "f02"}) {
    ASSERT_TRUE(*a->cluster()->release("a", id, Release{60'000ms, 0, false}, {}));
  }
  std::vector<ScheduledFeed> fewer = feeds(2);
  fewer.push_back({"new", "portal.test", 60'000ms});
  ASSERT_TRUE(a->cluster()->sync_feeds(fewer, 0ms).ok());
  auto due = a->cluster()->claim_due("a", 10, 60'000ms, 0ms);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(ids_of(*due), std::vector<std::string>{"new"}) << "f00, f01 stay a minute away";
  auto leases = a->cluster()->leases();
  ASSERT_TRUE(leases.ok());
  std::vector<std::string> ids;
  for (const auto& l : *leases) ids.push_back(l.feed_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"f00", "f01", "new"}));
  ASSERT_TRUE(a->cluster()->poll_now("f01").ok());
  EXPECT_EQ(ids_of(*a->cluster()->claim_due("a", 10, 60'000ms, 0ms)),
            std::vector<std::string>{"f01"});
}

TEST_F(PgCluster, ItemsCommittedByOneInstanceAreAnnouncedToTheOthers) {
  auto a = instance(), b = instance();
  auto listener = b->cluster()->listen_items();
  ASSERT_TRUE(listener.ok()) << listener.error().describe();
  auto own = a->cluster()->listen_items();
  ASSERT_TRUE(own.ok()) << own.error().describe();
  Article item;
  item.url = "https://portal.test/a/1.html";
  item.title = "one";
  ASSERT_TRUE(a->commit_items("city", {item}, 10, now_seconds()).ok());
  auto heard = (*listener)->wait(5'000ms);
  ASSERT_TRUE(heard.ok()) << heard.error().describe();
  ASSERT_EQ(heard->size(), 1u);
  EXPECT_EQ((*heard)[0].feed_id, "city");
  EXPECT_EQ((*heard)[0].version, 1);
  auto self = (*own)->wait(300ms);
  ASSERT_TRUE(self.ok());
  EXPECT_TRUE(self->empty()) << "a's own commit, announced back to a";

  // Committing the same item again changes nothing, and tells nobody.
  ASSERT_TRUE(a->commit_items("city", {item}, 10, now_seconds()).ok());
  auto quiet = (*listener)->wait(300ms);
  ASSERT_TRUE(quiet.ok());
  EXPECT_TRUE(quiet->empty());
}

std::map<std::string, std::pair<std::int64_t, bool>> versions_of(ClusterBook& book) {
  std::map<std::string, std::pair<std::int64_t, bool>> out;
  auto versions = book.item_versions();
  EXPECT_TRUE(versions.ok()) << (versions.ok() ? "" : versions.error().describe());
  if (!versions.ok()) return out;
  for (const auto& v : *versions) out[v.feed_id] = {v.version, v.mine};
  return out;
}

TEST_F(PgCluster, EveryCommitThatChangesItemsMovesTheFeedsVersion) {
  auto a = instance(), b = instance();
  EXPECT_TRUE(versions_of(*a->cluster()).empty());
  Article item;
  item.url = "https://portal.test/a/1.html";
  item.title = "one";
  ASSERT_TRUE(a->commit_items("city", {item}, 10, now_seconds()).ok());
  using V = std::map<std::string, std::pair<std::int64_t, bool>>;
  EXPECT_EQ(versions_of(*a->cluster()), (V{{"city", {1, true}}}));  // a's own commit
  EXPECT_EQ(versions_of(*b->cluster()), (V{{"city", {1, false}}}));
  ASSERT_TRUE(a->commit_items("city", {item}, 10, now_seconds()).ok());  // nothing changed
  EXPECT_EQ(versions_of(*b->cluster())["city"].first, 1);
  item.title = "one, corrected";
  ASSERT_TRUE(b->commit_items("city", {item}, 10, now_seconds()).ok());
  EXPECT_EQ(versions_of(*a->cluster()), (V{{"city", {2, false}}}));
  EXPECT_EQ(versions_of(*b->cluster()), (V{{"city", {2, true}}}));
}

InstanceInfo member(const std::string& id, std::int64_t config_time, const std::string& hash) {
  InstanceInfo i;
  i.id = id;
  i.address = "127.0.0.1:1";
  i.version = "test";
  i.config_hash = hash;
  i.config_time = Timestamp{std::chrono::seconds{config_time}};
  i.started = now_seconds();
  return i;
}

std::vector<std::string> scheduled(ClusterBook& book) {
  std::vector<std::string> ids;
  auto leases = book.leases();
  EXPECT_TRUE(leases.ok());
  if (!leases.ok()) return ids;
  for (const auto& l : *leases) ids.push_back(l.feed_id);
  return ids;
}

TEST_F(PgCluster, OnlyTheNewestConfigWritesTheSchedule) {
  auto store = instance();
  ClusterBook& book = *store->cluster();
  ASSERT_TRUE(book.announce(member("new", 2'000, "bbbb")).ok());
  ASSERT_TRUE(book.announce(member("old", 1'000, "ffff")).ok());
  auto wrote = book.sync_feeds_if_newest("new", feeds(3), 0ms, 60'000ms);
  ASSERT_TRUE(wrote.ok()) << wrote.error().describe();
  EXPECT_FALSE(*wrote);
  // The older config (written earlier, whatever its hash) leaves the schedule as it is.
  auto refused = book.sync_feeds_if_newest("old", feeds(1), 0ms, 60'000ms);
  ASSERT_TRUE(refused.ok()) << refused.error().describe();
  ASSERT_TRUE(*refused);
  EXPECT_EQ((*refused)->id, "new");
  EXPECT_EQ((*refused)->config_time, Timestamp{std::chrono::seconds{2'000}});
  EXPECT_EQ(scheduled(book), (std::vector<std::string>{"f00", "f01", "f02"}));
  // The same config on another instance writes too (the same rows).
  ASSERT_TRUE(book.announce(member("new-too", 2'000, "bbbb")).ok());
  EXPECT_FALSE(*book.sync_feeds_if_newest("new-too", feeds(3), 0ms, 60'000ms));
  // Two configs written the same second: the greater hash wins, so exactly one writes.
  ASSERT_TRUE(book.announce(member("same-second", 2'000, "cccc")).ok());
  EXPECT_TRUE(*book.sync_feeds_if_newest("new", feeds(3), 0ms, 60'000ms));
  EXPECT_FALSE(*book.sync_feeds_if_newest("same-second", feeds(2), 0ms, 60'000ms));
  EXPECT_EQ(scheduled(book), (std::vector<std::string>{"f00", "f01"}));
}

TEST_F(PgCluster, AnOlderConfigWritesOnceNoNewerInstanceIsAlive) {
  auto store = instance();
  ClusterBook& book = *store->cluster();
  ASSERT_TRUE(book.announce(member("new", 2'000, "bbbb")).ok());
  ASSERT_TRUE(book.announce(member("old", 1'000, "ffff")).ok());
  ASSERT_TRUE(book.sync_feeds_if_newest("new", feeds(3), 0ms, 60'000ms).ok());
  EXPECT_TRUE(*book.sync_feeds_if_newest("old", feeds(1), 0ms, 60'000ms));
  // Its heartbeat is older than the window: it counts as gone.
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(book.heartbeat("old").ok());
  EXPECT_FALSE(*book.sync_feeds_if_newest("old", feeds(1), 0ms, 40ms));
  EXPECT_EQ(scheduled(book), std::vector<std::string>{"f00"});
  // A retired newer instance counts as gone too.
  ASSERT_TRUE(book.announce(member("newest", 3'000, "aaaa")).ok());
  EXPECT_TRUE(*book.sync_feeds_if_newest("old", feeds(2), 0ms, 60'000ms));
  ASSERT_TRUE(book.retire("newest").ok());
  ASSERT_TRUE(book.retire("new").ok());
  EXPECT_FALSE(*book.sync_feeds_if_newest("old", feeds(2), 0ms, 60'000ms));
  EXPECT_EQ(scheduled(book), (std::vector<std::string>{"f00", "f01"}));
  auto listed = book.instances(60'000ms);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().config_time, Timestamp{std::chrono::seconds{1'000}});  // "old"
}

}  // namespace
}  // namespace fg::store
