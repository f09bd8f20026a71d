// The PostgreSQL ClusterBook: every decision two instances could race on is one statement (or
// one transaction) on the database's clock, so no instance trusts another's memory or clock.
// The statements are in pg_cluster_sql.cpp.

#include "store/pg_cluster.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "store/pg_handle.hpp"

namespace fg::store::detail {

namespace {

std::optional<Timestamp> optional_time(const PgResult& r, int row, int column) {
  if (r.is_null(row, column)) return std::nullopt;
  return Timestamp{std::chrono::seconds{r.int64(row, column)}};
}

// An instance as kInstances and kNewerConfig read it back.
InstanceInfo instance_row(const PgResult& r, int row) {
  InstanceInfo i;
  i.id = r.text(row, 0);
  i.address = r.text(row, 1);
  i.version = r.text(row, 2);
  i.config_hash = r.text(row, 3);
  i.started = Timestamp{std::chrono::seconds{r.int64(row, 4)}};
  i.heartbeat = Timestamp{std::chrono::seconds{r.int64(row, 5)}};
  i.alive = r.boolean(row, 6);
  i.config_time = Timestamp{std::chrono::seconds{r.int64(row, 7)}};
  return i;
}

class PgClusterBook final : public ClusterBook {
 public:
  PgClusterBook(PgPool& pool, std::string where, std::string url, std::string password_file,
                std::string tag)
      : pool_(pool),
        where_(std::move(where)),
        url_(std::move(url)),
        password_file_(std::move(password_file)),
        tag_(std::move(tag)) {}

  Result<void> announce(const InstanceInfo& self) override {
    auto r = run("cannot announce instance " + self.id, cluster_sql::kAnnounce,
                 PgParams()
                     .add(self.id)
                     .add(self.address)
                     .add(self.version)
                     .add(self.config_hash)
                     .add(std::int64_t{self.started.time_since_epoch().count()})
                     .add(std::int64_t{self.config_time.time_since_epoch().count()}));
    if (!r) return r.error();
    return {};
  }

  Result<bool> heartbeat(const std::string& instance_id) override {
    auto r = run("cannot record a heartbeat of " + instance_id, cluster_sql::kHeartbeat,
                 PgParams().add(instance_id));
    if (!r) return r.error();
    return r->rows() == 1;
  }

  Result<void> retire(const std::string& instance_id) override {
    const std::string what = "cannot retire instance " + instance_id;
    return in_transaction<void>(what, [&](PgConnection& conn) -> Result<void> {
      for (const char* statement : {cluster_sql::kFreeLeases, cluster_sql::kRetire}) {
        if (auto r = conn.run(statement, PgParams().add(instance_id)); !r.ok()) {
          return fail(what, r.error());
        }
      }
      return {};
    });
  }

  Result<std::vector<InstanceInfo>> instances(milliseconds alive_within) override {
    auto r = run("cannot list instances", cluster_sql::kInstances,
                 PgParams().add(std::int64_t{alive_within.count()}));
    if (!r) return r.error();
    std::vector<InstanceInfo> out;
    for (int row = 0; row < r->rows(); ++row) out.push_back(instance_row(*r, row));
    return out;
  }

  Result<void> sync_feeds(const std::vector<ScheduledFeed>& feeds, milliseconds spread) override {
    const std::string what = "cannot update the shared schedule";
    return in_transaction<void>(what, [&](PgConnection& conn) -> Result<void> {
      // Instances starting together sync one after the other, never interleaved.
      if (auto r = conn.run(cluster_sql::kSyncLock, PgParams()); !r.ok()) {
        return fail(what, r.error());
      }
      return write_schedule(conn, feeds, spread);
    });
  }

  Result<std::optional<InstanceInfo>> sync_feeds_if_newest(const std::string& instance_id,
                                                           const std::vector<ScheduledFeed>& feeds,
                                                           milliseconds spread,
                                                           milliseconds alive_within) override {
    using Newer = std::optional<InstanceInfo>;
    const std::string what = "cannot update the shared schedule";
    return in_transaction<Newer>(what, [&](PgConnection& conn) -> Result<Newer> {
      if (auto r = conn.run(cluster_sql::kSyncLock, PgParams()); !r.ok()) {
        return fail(what, r.error());
      }
      PgResult newer =
          conn.run(cluster_sql::kNewerConfig,
                   PgParams().add(instance_id).add(std::int64_t{alive_within.count()}));
      if (!newer.ok()) return fail(what, newer.error());
      if (newer.rows() > 0) return Newer{instance_row(newer, 0)};
      if (auto r = write_schedule(conn, feeds, spread); !r) return r.error();
      return Newer{};
    });
  }

  Result<std::vector<Claim>> claim_due(const std::string& instance_id, int limit,
                                       milliseconds lease, milliseconds ahead) override {
    std::vector<Claim> out;
    // Half-open hosts' probes first (claim_due passes over their feeds), then the feeds due now
    // or within `ahead` (their late is then negative: the instance starts them on time).
    for (const char* statement : {host_sql::kClaimProbes, cluster_sql::kClaimDue}) {
      const int left = limit - static_cast<int>(out.size());
      if (left <= 0) break;
      PgParams params;
      params.add(instance_id).add(std::int64_t{left}).add(std::int64_t{lease.count()});
      if (statement == cluster_sql::kClaimDue) {
        params.add(std::int64_t{std::max(milliseconds{0}, ahead).count()});
      }
      auto r = run("cannot claim due feeds", statement, params);
      if (!r) return r.error();
      for (int row = 0; row < r->rows(); ++row) {
        out.push_back({r->text(row, 0), static_cast<int>(r->int64(row, 1)),
                       milliseconds{r->int64(row, 2)}, r->text(row, 3)});
      }
    }
    return out;
  }

  Result<void> hand_back(const std::string& instance_id,
                         const std::vector<std::string>& feed_ids) override {
    if (feed_ids.empty()) return {};
    auto r = run("cannot hand back the feeds " + instance_id + " claimed", cluster_sql::kHandBack,
                 PgParams().add(instance_id).add_text_array(feed_ids));
    if (!r) return r.error();
    return {};
  }

  Result<std::vector<std::string>> renew(const std::string& instance_id,
                                         const std::vector<std::string>& feed_ids,
                                         milliseconds lease) override {
    if (feed_ids.empty()) return std::vector<std::string>{};
    auto r =
        run("cannot renew leases of " + instance_id, cluster_sql::kRenew,
            PgParams().add(instance_id).add_text_array(feed_ids).add(std::int64_t{lease.count()}));
    if (!r) return r.error();
    std::vector<std::string> held;
    for (int row = 0; row < r->rows(); ++row) held.push_back(r->text(row, 0));
    return held;
  }

  Result<bool> release(const std::string& instance_id, const std::string& feed_id,
                       const Release& outcome, const HostBreaker& breaker) override;

  Result<void> poll_now(const std::string& feed_id) override {
    auto r =
        run("cannot make feed " + feed_id + " due", cluster_sql::kPollNow, PgParams().add(feed_id));
    if (!r) return r.error();
    return {};
  }

  Result<std::vector<FeedLease>> leases() override {
    auto r = run("cannot read the shared schedule", cluster_sql::kLeases, PgParams());
    if (!r) return r.error();
    std::vector<FeedLease> out;
    for (int row = 0; row < r->rows(); ++row) {
      FeedLease l;
      l.feed_id = r->text(row, 0);
      l.next_due = optional_time(*r, row, 1);
      l.holder = r->text(row, 2);
      l.lease_expiry = optional_time(*r, row, 3);
      l.last_polled_by = r->text(row, 4);
      l.last_polled_at = optional_time(*r, row, 5);
      l.failures = static_cast<int>(r->int64(row, 6));
      out.push_back(std::move(l));
    }
    return out;
  }

  Result<milliseconds> reserve_request(const std::string& host, milliseconds min_gap) override {
    auto r = run("cannot reserve a request to " + host, cluster_sql::kReserveRequest,
                 PgParams().add(host).add(std::int64_t{min_gap.count()}));
    if (!r) return r.error();
    return milliseconds{std::max<std::int64_t>(0, r->int64(0, 0))};
  }

  Result<RequestTurn> take_turn(const std::string& host, milliseconds min_gap,
                                milliseconds alive_within) override {
    auto r = run("cannot take a turn at " + host, host_sql::kTakeTurn,
                 PgParams()
                     .add(host)
                     .add(std::int64_t{min_gap.count()})
                     .add(std::int64_t{alive_within.count()}));
    if (!r) return r.error();
    RequestTurn turn;
    turn.paused = milliseconds{std::max<std::int64_t>(0, r->int64(0, 1))};
    if (turn.paused.count() == 0)
      turn.wait = milliseconds{std::max<std::int64_t>(0, r->int64(0, 0))};
    turn.instances_alive = static_cast<int>(std::max<std::int64_t>(1, r->int64(0, 2)));
    return turn;
  }

  Result<milliseconds> host_paused(const std::string& host) override {
    auto r = run("cannot read whether " + host + " is paused", host_sql::kHostPaused,
                 PgParams().add(host));
    if (!r) return r.error();
    return milliseconds{r->rows() == 1 ? std::max<std::int64_t>(0, r->int64(0, 0)) : 0};
  }

  Result<void> pause_host(const std::string& host, milliseconds wait) override {
    auto r = run("cannot record the pause " + host + " asked for", host_sql::kPauseHost,
                 PgParams().add(host).add(std::int64_t{wait.count()}));
    if (!r) return r.error();
    return {};
  }

  Result<std::unique_ptr<ItemsListener>> listen_items() override;

  Result<std::vector<ItemsVersion>> item_versions() override {
    auto r = run("cannot read the feeds' items versions", cluster_sql::kItemVersions,
                 PgParams().add(tag_));
    if (!r) return r.error();
    std::vector<ItemsVersion> out;
    for (int row = 0; row < r->rows(); ++row) {
      out.push_back({r->text(row, 0), r->int64(row, 1), r->boolean(row, 2)});
    }
    return out;
  }

 private:
  // Inside sync_feeds' transaction, with the sync lock held.
  Result<void> write_schedule(PgConnection& conn, const std::vector<ScheduledFeed>& feeds,
                              milliseconds spread) {
    const std::string what = "cannot update the shared schedule";
    std::vector<std::string> ids, hosts, intervals;
    for (const auto& f : feeds) {
      ids.push_back(f.feed_id);
      hosts.push_back(f.host);
      intervals.push_back(std::to_string(f.interval.count()));
    }
    PgParams upsert;
    upsert.add_text_array(ids).add_text_array(hosts).add_text_array(intervals);
    upsert.add(std::int64_t{spread.count()});
    if (auto r = conn.run(cluster_sql::kUpsertFeeds, upsert); !r.ok()) return fail(what, r.error());
    if (auto r = conn.run(cluster_sql::kDropFeeds, PgParams().add_text_array(ids)); !r.ok()) {
      return fail(what, r.error());
    }
    return {};
  }

  Error fail(const std::string& what, const std::string& why) const {
    return make_error(Errc::storage, what + ": " + why, where_);
  }

  Result<PgResult> run(const std::string& what, const char* statement, const PgParams& params) {
    auto conn = pool_.acquire();
    if (!conn) return fail(what, conn.error().message);
    PgResult r = (*conn)->run(statement, params);
    if (!r.ok()) return fail(what, r.error());
    return r;
  }

  // Runs `body` in a transaction on a pooled connection and commits when it succeeded.
  template <typename T, typename Body>
  Result<T> in_transaction(const std::string& what, Body body) {
    auto conn = pool_.acquire();
    if (!conn) return fail(what, conn.error().message);
    PgTransaction tx(**conn);
    if (auto r = tx.begin(); !r.ok()) return fail(what, r.error());
    Result<T> result = body(**conn);
    if (!result) return result;
    if (auto error = tx.commit(); !error.empty()) return fail(what, error);
    return result;
  }

  PgPool& pool_;
  std::string where_;
  std::string url_;
  std::string password_file_;
  std::string tag_;
};

Result<bool> PgClusterBook::release(const std::string& instance_id, const std::string& feed_id,
                                    const Release& outcome, const HostBreaker& breaker) {
  const std::string what = "cannot release the lease of feed " + feed_id;
  const auto lease = [&] {
    return PgParams()
        .add(instance_id)
        .add(feed_id)
        .add(std::int64_t{outcome.next_in.count()})
        .add(std::int64_t{outcome.failures});
  };
  // Most polls: the host answered and did not ask for a pause. One statement, no transaction.
  if (outcome.reached_host && !outcome.connection_failure && outcome.retry_after.count() == 0) {
    auto released = run(what, cluster_sql::kReleaseAnswered, lease());
    if (!released) return released.error();
    return released->rows() == 1;
  }
  return in_transaction<bool>(what, [&](PgConnection& conn) -> Result<bool> {
    PgResult released = conn.run(cluster_sql::kRelease, lease());
    if (!released.ok()) return fail(what, released.error());
    if (released.rows() != 1) return false;  // taken over after the lease expired
    const std::string host = released.text(0, 0);
    if (host.empty()) return true;
    if (!outcome.reached_host) {
      if (auto r = conn.run(cluster_sql::kProbeCancelled, PgParams().add(host).add(feed_id));
          !r.ok()) {
        return fail(what, r.error());
      }
      return true;
    }
    if (outcome.retry_after.count() > 0) {
      PgParams pause;
      pause.add(host).add(std::int64_t{outcome.retry_after.count()});
      if (auto r = conn.run(host_sql::kPauseHost, pause); !r.ok()) return fail(what, r.error());
    }
    // A poll refused because the host was paused, or told to wait, never heard the host
    // answer: it neither closes the breaker nor counts towards it. (An answer closes it in
    // kReleaseAnswered.)
    if (!outcome.connection_failure) return true;
    if (auto r = conn.run(cluster_sql::kHostFailed, PgParams().add(host)); !r.ok()) {
      return fail(what, r.error());
    }
    PgParams trip;
    trip.add(host).add(std::int64_t{breaker.cooldown.count()});
    trip.add(std::int64_t{breaker.max_cooldown.count()}).add(std::int64_t{breaker.threshold});
    trip.add(feed_id);
    if (auto r = conn.run(cluster_sql::kHostTrip, trip); !r.ok()) return fail(what, r.error());
    return true;
  });
}

// One connection of its own, LISTENing; lost with the server, then the caller opens another.
class PgItemsListener final : public ItemsListener {
 public:
  PgItemsListener(PgConnection conn, std::string own_tag)
      : conn_(std::move(conn)), own_tag_(std::move(own_tag)) {}

  Result<std::vector<ItemsVersion>> wait(milliseconds timeout) override {
    auto got = conn_.notifications(static_cast<int>(timeout.count()));
    if (!got) {
      return make_error(Errc::storage,
                        "the connection listening for new items was lost; notifications may "
                        "have been missed");
    }
    std::vector<ItemsVersion> feeds;
    for (const std::string& payload : *got) {
      // "TAG VERSION FEED_ID" (pg_cluster.hpp)
      const auto space = payload.find(' ');
      const auto second = payload.find(' ', space == std::string::npos ? space : space + 1);
      if (second == std::string::npos) continue;               // not feedgate's
      if (payload.compare(0, space, own_tag_) == 0) continue;  // committed through this store
      const std::string version = payload.substr(space + 1, second - space - 1);
      feeds.push_back({payload.substr(second + 1), std::atoll(version.c_str()), false});
    }
    return feeds;
  }

 private:
  PgConnection conn_;
  std::string own_tag_;
};

Result<std::unique_ptr<ItemsListener>> PgClusterBook::listen_items() {
  auto conn = PgConnection::connect(url_, password_file_, where_);
  if (!conn) return conn.error();
  if (auto r = conn->exec(std::string("LISTEN ") + kItemsChannel); !r.ok()) {
    return fail("cannot listen for new items", r.error());
  }
  return std::unique_ptr<ItemsListener>(new PgItemsListener(std::move(*conn), tag_));
}

}  // namespace

std::unique_ptr<ClusterBook> make_pg_cluster_book(PgPool& pool, std::string where, std::string url,
                                                  std::string password_file, std::string tag) {
  return std::make_unique<PgClusterBook>(pool, std::move(where), std::move(url),
                                         std::move(password_file), std::move(tag));
}

std::string new_notify_tag() {
  std::random_device random;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x%08x", random(), random());
  return hex;
}

}  // namespace fg::store::detail
