// Politeness shared through the ClusterBook on a real PostgreSQL: request turns that respect a
// pause any instance recorded, Retry-After pauses keeping every instance's claims off a host,
// and the half-open breaker letting exactly one instance probe.

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "store/store.hpp"
#include "support/pg_server.hpp"

namespace fg::store {
namespace {

using namespace std::chrono_literals;

class PgPolite : public test::PgDatabaseTest {
 protected:
  // One instance's ClusterBook (its own store and pool) on the test's database.
  ClusterBook& instance() {
    auto store = open_postgres_store(url_);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().describe());
    stores_.push_back(std::move(*store));
    return *stores_.back()->cluster();
  }

  std::vector<std::unique_ptr<Store>> stores_;
};

std::vector<ScheduledFeed> three_on(const std::string& host) {
  return {{"f0", host, 60'000ms}, {"f1", host, 60'000ms}, {"f2", host, 60'000ms}};
}

// The feed `who` holds a lease on (empty when none).
std::string held_by(ClusterBook& book, const std::string& who) {
  auto leases = book.leases();
  EXPECT_TRUE(leases.ok()) << (leases.ok() ? "" : leases.error().describe());
  if (!leases) return {};
  for (const auto& l : *leases) {
    if (l.holder == who) return l.feed_id;
  }
  return {};
}

std::vector<std::string> ids_of(const Result<std::vector<Claim>>& claims) {
  std::vector<std::string> ids;
  if (!claims) return {"error: " + claims.error().describe()};
  for (const auto& c : *claims) ids.push_back(c.feed_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The breaker of three feeds' host tripped by one failure through `a` (cooldown 100 ms); once it
// has passed, `a`'s claim with `lease`: the half-open host's one probe.
std::vector<std::string> trip_then_probe(ClusterBook& a, std::chrono::milliseconds lease) {
  const HostBreaker breaker{1, 100ms, 60'000ms};
  EXPECT_TRUE(a.sync_feeds(three_on("down.test"), 0ms).ok());
  EXPECT_EQ(ids_of(a.claim_due("a", 1, 60'000ms, 0ms)).size(), 1u);
  auto tripped = a.release("a", held_by(a, "a"), Release{0ms, 1, true}, breaker);
  EXPECT_TRUE(tripped.ok() && *tripped);
  std::this_thread::sleep_for(200ms);
  return ids_of(a.claim_due("a", 10, lease, 0ms));
}

TEST_F(PgPolite, TurnsAreSpacedAndCountTheInstancesAlive) {
  ClusterBook& a = instance();
  ClusterBook& b = instance();
  ASSERT_TRUE(a.announce({"a", "a:1", "1", "h", now_seconds()}).ok());
  ASSERT_TRUE(b.announce({"b", "b:1", "1", "h", now_seconds()}).ok());
  auto first = a.take_turn("portal.test", 1000ms, 60'000ms);
  auto second = b.take_turn("portal.test", 1000ms, 60'000ms);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->wait.count(), 0);
  EXPECT_EQ(first->paused.count(), 0);
  EXPECT_GT(second->wait.count(), 800);
  EXPECT_LE(second->wait.count(), 1000);
  EXPECT_EQ(second->instances_alive, 2);
}

TEST_F(PgPolite, APauseFromOneInstanceRefusesTurnsOnEveryOther) {
  ClusterBook& a = instance();
  ClusterBook& b = instance();
  ASSERT_TRUE(a.pause_host("busy.test", 30'000ms).ok());
  ASSERT_TRUE(a.pause_host("busy.test", 1'000ms).ok());  // an earlier end does not shorten it
  auto refused = b.take_turn("busy.test", 1000ms, 60'000ms);
  ASSERT_TRUE(refused.ok()) << refused.error().describe();
  EXPECT_GT(refused->paused.count(), 29'000);
  EXPECT_LE(refused->paused.count(), 30'000);
  EXPECT_EQ(refused->wait.count(), 0);
  auto elsewhere = b.take_turn("calm.test", 1000ms, 60'000ms);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere->paused.count(), 0);
  auto still = b.host_paused("busy.test");
  ASSERT_TRUE(still.ok()) << still.error().describe();
  EXPECT_GT(still->count(), 29'000);
  EXPECT_EQ(b.host_paused("calm.test")->count(), 0);
  EXPECT_EQ(b.host_paused("never.test")->count(), 0);
}

TEST_F(PgPolite, ARetryAfterReleasedByOneInstanceKeepsEveryInstanceOffTheHost) {
  ClusterBook& a = instance();
  ClusterBook& b = instance();
  std::vector<ScheduledFeed> all = three_on("busy.test");
  all.push_back({"other", "calm.test", 60'000ms});
  ASSERT_TRUE(a.sync_feeds(all, 0ms).ok());
  ASSERT_TRUE(a.claim_due("a", 1, 60'000ms, 0ms).ok());  // f0 (or another busy.test feed)
  const std::string held = held_by(a, "a");
  ASSERT_FALSE(held.empty());
  Release busy{0ms, 1, false};
  busy.retry_after = 600ms;
  ASSERT_TRUE(*a.release("a", held, busy, {}));
  EXPECT_EQ(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)), std::vector<std::string>{"other"});
  std::this_thread::sleep_for(700ms);
  EXPECT_EQ(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).size(), 3u) << "the pause is over";
}

// The breaker trips (threshold 2, cooldown 300 ms); when the cooldown ends, two instances
// claiming at once get one probe between them, and the host's other feeds wait for it.
TEST_F(PgPolite, OneProbeAfterTheCooldownAndItsFailureTripsAgainForLonger) {
  ClusterBook& a = instance();
  ClusterBook& b = instance();
  ASSERT_TRUE(a.sync_feeds(three_on("down.test"), 0ms).ok());
  const HostBreaker breaker{2, 300ms, 60'000ms};
  const auto claimed = ids_of(a.claim_due("a", 3, 60'000ms, 0ms));
  ASSERT_EQ(claimed.size(), 3u);
  const std::string straggler = claimed.back();  // still running when the breaker trips
  for (const auto& id : {claimed[0], claimed[1]}) {
    ASSERT_TRUE(*a.release("a", id, Release{0ms, 1, true}, breaker));
  }
  EXPECT_TRUE(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).empty()) << "open: nothing claimed";

  std::this_thread::sleep_for(400ms);
  Result<std::vector<Claim>> got_a = std::vector<Claim>{}, got_b = std::vector<Claim>{};
  std::thread ta([&] { got_a = a.claim_due("a", 10, 60'000ms, 0ms); });
  std::thread tb([&] { got_b = b.claim_due("b", 10, 60'000ms, 0ms); });
  ta.join();
  tb.join();
  const auto probes_a = ids_of(got_a), probes_b = ids_of(got_b);
  ASSERT_EQ(probes_a.size() + probes_b.size(), 1u) << "exactly one probe for the cluster";
  const bool a_probes = probes_a.size() == 1;
  ClusterBook& prober = a_probes ? a : b;
  const std::string who = a_probes ? "a" : "b";
  const std::string probe = a_probes ? probes_a.front() : probes_b.front();
  EXPECT_TRUE(ids_of(a.claim_due("a", 10, 60'000ms, 0ms)).empty()) << "half-open: the probe only";
  // The poll claimed before the trip ends now, refused (the host was paused): no evidence the
  // host is up, so the breaker stays half-open.
  Release refused{0ms, 1, false};
  refused.retry_after = 1ms;
  ASSERT_TRUE(*a.release("a", straggler, refused, breaker));
  std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).empty()) << "still half-open";

  // The probe fails (one failure, below the threshold): open again, for twice the cooldown.
  ASSERT_TRUE(*prober.release(who, probe, Release{0ms, 2, true}, breaker));
  std::this_thread::sleep_for(400ms);
  EXPECT_TRUE(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).empty()) << "re-tripped: 600 ms now";
  std::this_thread::sleep_for(300ms);
  auto second = ids_of(b.claim_due("b", 10, 60'000ms, 0ms));
  ASSERT_EQ(second.size(), 1u) << "the next probe";

  // It succeeds: closed for everyone, every feed claimable.
  ASSERT_TRUE(*b.release("b", second.front(), Release{0ms, 0, false}, breaker));
  EXPECT_EQ(ids_of(a.claim_due("a", 10, 60'000ms, 0ms)).size(), 3u);
}

// A stop cancels the probe before the host answered: no evidence either way, so the breaker
// stays half-open (not closed for every feed) and another instance probes at once.
TEST_F(PgPolite, AProbeCancelledByAStopLeavesTheHostHalfOpenForTheNextClaim) {
  ClusterBook& a = instance();
  ClusterBook& b = instance();
  const auto probe = trip_then_probe(a, 60'000ms);
  ASSERT_EQ(probe.size(), 1u);
  Release cancelled{0ms, 1, false};
  cancelled.reached_host = false;
  ASSERT_TRUE(*a.release("a", probe.front(), cancelled, {1, 100ms, 60'000ms}));
  EXPECT_EQ(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).size(), 1u)
      << "one new probe at once, not the whole host (closed) nor none (the old probe's lease)";
}

// A probe that runs longer than its first lease is renewed like any poll, and stays the only one.
TEST_F(PgPolite, ARenewedProbeStaysTheHostsOnlyProbe) {
  ClusterBook& a = instance();
  ClusterBook& b = instance();
  const auto probe = trip_then_probe(a, 300ms);
  ASSERT_EQ(probe.size(), 1u);
  auto renewed = a.renew("a", probe, 60'000ms);
  ASSERT_TRUE(renewed.ok()) << renewed.error().describe();
  EXPECT_EQ(*renewed, probe);
  std::this_thread::sleep_for(400ms);  // past the first lease
  EXPECT_TRUE(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).empty()) << "a second probe";
}

TEST_F(PgPolite, AProbeWhoseInstanceDiedIsElectedAgainAfterItsLease) {
  ClusterBook& a = instance();
  ClusterBook& b = instance();
  ASSERT_EQ(trip_then_probe(a, 300ms).size(), 1u);  // a probes, then "dies"
  EXPECT_TRUE(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).empty());
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(ids_of(b.claim_due("b", 10, 60'000ms, 0ms)).size(), 1u) << "one new probe, by b";
}

}  // namespace
}  // namespace fg::store
