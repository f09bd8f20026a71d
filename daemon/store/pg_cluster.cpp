// The PostgreSQL ClusterBook: every decision two instances could race on is one statement (or
// one transaction) on the database's clock, so no instance trusts another's memory or clock.

#include "store/pg_cluster.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "store/pg_handle.hpp"

namespace fg::store::detail {

namespace {

namespace sql {
inline constexpr const char* kAnnounce = "fg_announce";
inline constexpr const char* kHeartbeat = "fg_heartbeat";
inline constexpr const char* kFreeLeases = "fg_free_leases";
inline constexpr const char* kRetire = "fg_retire";
inline constexpr const char* kInstances = "fg_instances";
inline constexpr const char* kSyncLock = "fg_sync_lock";
inline constexpr const char* kUpsertFeeds = "fg_upsert_feeds";
inline constexpr const char* kDropFeeds = "fg_drop_feeds";
inline constexpr const char* kClaimDue = "fg_claim_due";
inline constexpr const char* kRenew = "fg_renew";
inline constexpr const char* kHandBack = "fg_hand_back";
inline constexpr const char* kRelease = "fg_release";
inline constexpr const char* kHostFailed = "fg_host_failed";
inline constexpr const char* kHostTrip = "fg_host_trip";
inline constexpr const char* kHostOk = "fg_host_ok";
inline constexpr const char* kPollNow = "fg_poll_now";
inline constexpr const char* kLeases = "fg_leases";
inline constexpr const char* kReserveRequest = "fg_reserve_request";
inline constexpr const char* kNewerConfig = "fg_newer_config";
inline constexpr const char* kItemVersions = "fg_item_versions";
}  // namespace sql

// Seconds since the epoch of a timestamptz column (NULL stays NULL); a bigint of milliseconds
// as an interval.
#define FG_EPOCH(x) "floor(extract(epoch FROM " x "))::bigint"
#define FG_MS(p) "(" p "::bigint * interval '1 millisecond')"
#define FG_NOW "statement_timestamp()"

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
    auto r = run("cannot announce instance " + self.id, sql::kAnnounce,
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
    auto r = run("cannot record a heartbeat of " + instance_id, sql::kHeartbeat,
                 PgParams().add(instance_id));
    if (!r) return r.error();
    return r->rows() == 1;
  }

  Result<void> retire(const std::string& instance_id) override {
    const std::string what = "cannot retire instance " + instance_id;
    return in_transaction<void>(what, [&](PgConnection& conn) -> Result<void> {
      for (const char* statement : {sql::kFreeLeases, sql::kRetire}) {
        if (auto r = conn.run(statement, PgParams().add(instance_id)); !r.ok()) {
          return fail(what, r.error());
        }
      }
      return {};
    });
  }

  Result<std::vector<InstanceInfo>> instances(milliseconds alive_within) override {
    auto r = run("cannot list instances", sql::kInstances,
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
      if (auto r = conn.run(sql::kSyncLock, PgParams()); !r.ok()) return fail(what, r.error());
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
      if (auto r = conn.run(sql::kSyncLock, PgParams()); !r.ok()) return fail(what, r.error());
      PgResult newer = conn.run(
          sql::kNewerConfig, PgParams().add(instance_id).add(std::int64_t{alive_within.count()}));
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
    for (const char* statement : {host_sql::kClaimProbes, sql::kClaimDue}) {
      const int left = limit - static_cast<int>(out.size());
      if (left <= 0) break;
      PgParams params;
      params.add(instance_id).add(std::int64_t{left}).add(std::int64_t{lease.count()});
      if (statement == sql::kClaimDue) {
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
    auto r = run("cannot hand back the feeds " + instance_id + " claimed", sql::kHandBack,
                 PgParams().add(instance_id).add_text_array(feed_ids));
    if (!r) return r.error();
    return {};
  }

  Result<std::vector<std::string>> renew(const std::string& instance_id,
                                         const std::vector<std::string>& feed_ids,
                                         milliseconds lease) override {
    if (feed_ids.empty()) return std::vector<std::string>{};
    auto r =
        run("cannot renew leases of " + instance_id, sql::kRenew,
            PgParams().add(instance_id).add_text_array(feed_ids).add(std::int64_t{lease.count()}));
    if (!r) return r.error();
    std::vector<std::string> held;
    for (int row = 0; row < r->rows(); ++row) held.push_back(r->text(row, 0));
    return held;
  }

  Result<bool> release(const std::string& instance_id, const std::string& feed_id,
                       const Release& outcome, const HostBreaker& breaker) override;

  Result<void> poll_now(const std::string& feed_id) override {
    auto r = run("cannot make feed " + feed_id + " due", sql::kPollNow, PgParams().add(feed_id));
    if (!r) return r.error();
    return {};
  }

  Result<std::vector<FeedLease>> leases() override {
    auto r = run("cannot read the shared schedule", sql::kLeases, PgParams());
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
    auto r = run("cannot reserve a request to " + host, sql::kReserveRequest,
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
    auto r = run("cannot read the feeds' items versions", sql::kItemVersions, PgParams().add(tag_));
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
    if (auto r = conn.run(sql::kUpsertFeeds, upsert); !r.ok()) return fail(what, r.error());
    if (auto r = conn.run(sql::kDropFeeds, PgParams().add_text_array(ids)); !r.ok()) {
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
  return in_transaction<bool>(what, [&](PgConnection& conn) -> Result<bool> {
    PgResult released = conn.run(sql::kRelease, PgParams()
                                                    .add(instance_id)
                                                    .add(feed_id)
                                                    .add(std::int64_t{outcome.next_in.count()})
                                                    .add(std::int64_t{outcome.failures}));
    if (!released.ok()) return fail(what, released.error());
    if (released.rows() != 1) return false;  // taken over after the lease expired
    const std::string host = released.text(0, 0);
    if (host.empty()) return true;
    if (outcome.retry_after.count() > 0) {
      PgParams pause;
      pause.add(host).add(std::int64_t{outcome.retry_after.count()});
      if (auto r = conn.run(host_sql::kPauseHost, pause); !r.ok()) return fail(what, r.error());
    }
    // A poll refused because the host was paused, or told to wait, never heard the host
    // answer: it neither closes the breaker nor counts towards it.
    if (!outcome.connection_failure && outcome.retry_after.count() > 0) return true;
    if (!outcome.connection_failure) {
      if (auto r = conn.run(sql::kHostOk, PgParams().add(host)); !r.ok()) {
        return fail(what, r.error());
      }
      return true;
    }
    if (auto r = conn.run(sql::kHostFailed, PgParams().add(host)); !r.ok()) {
      return fail(what, r.error());
    }
    PgParams trip;
    trip.add(host).add(std::int64_t{breaker.cooldown.count()});
    trip.add(std::int64_t{breaker.max_cooldown.count()}).add(std::int64_t{breaker.threshold});
    trip.add(feed_id);
    if (auto r = conn.run(sql::kHostTrip, trip); !r.ok()) return fail(what, r.error());
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

const std::vector<std::pair<const char*, std::string>>& cluster_statements() {
  static const std::vector<std::pair<const char*, std::string>> all = {
      {sql::kAnnounce,
       "INSERT INTO instances(id, address, version, config_hash, started, heartbeat, config_time)"
       " VALUES($1, $2, $3, $4, to_timestamp($5), " FG_NOW ", to_timestamp($6))"
       " ON CONFLICT(id) DO UPDATE SET address = excluded.address, version = excluded.version,"
       " config_hash = excluded.config_hash, started = excluded.started,"
       " heartbeat = excluded.heartbeat, config_time = excluded.config_time"},
      {sql::kHeartbeat, "UPDATE instances SET heartbeat = " FG_NOW " WHERE id = $1 RETURNING id"},
      {sql::kFreeLeases,
       "UPDATE feed_schedule SET lease_holder = NULL, lease_expiry = NULL WHERE lease_holder = $1"},
      {sql::kRetire, "DELETE FROM instances WHERE id = $1"},
      {sql::kInstances,
       "SELECT id, address, version, config_hash, " FG_EPOCH("started") ", " FG_EPOCH(
           "heartbeat") ", heartbeat > " FG_NOW
                        " - " FG_MS("$1") ", " FG_EPOCH(
                            "config_time") " FROM instances ORDER BY id"},
      // The live instance whose config is the newest, if newer than $1's (rows compare in order:
      // the time first, then the hash).
      {sql::kNewerConfig,
       "SELECT o.id, o.address, o.version, o.config_hash, " FG_EPOCH("o.started") ", " FG_EPOCH(
           "o.heartbeat") ", true, " FG_EPOCH("o.config_time") " FROM instances o JOIN instances "
                                                               "me ON me.id = $1 WHERE o.id <> $1"
                                                               " AND o.heartbeat > " FG_NOW
                                                               " - " FG_MS(
                                                                   "$2") " AND (o.config_time, "
                                                                         "o.config_hash) > "
                                                                         "(me.config_time, "
                                                                         "me.config_hash)"
                                                                         " ORDER BY o.config_time "
                                                                         "DESC, o.config_hash DESC "
                                                                         "LIMIT 1"},
      {sql::kItemVersions, "SELECT feed_id, version, tag = $1 FROM feed_changes"},
      {sql::kSyncLock, "SELECT pg_advisory_xact_lock(1717986918, 2)"},
      // New feeds become due spread over $4 ms; a shorter interval brings a far due time closer.
      {sql::kUpsertFeeds,
       "INSERT INTO feed_schedule(feed_id, host, interval_ms, next_due)"
       " SELECT f, h, i::bigint, " FG_NOW " + random() * " FG_MS(
           "$4") " FROM unnest($1::text[], $2::text[], $3::text[]) AS t(f, h, i)"
                 " ON CONFLICT(feed_id) DO UPDATE SET host = excluded.host,"
                 " interval_ms = excluded.interval_ms, next_due = CASE"
                 " WHEN excluded.interval_ms < feed_schedule.interval_ms THEN "
                 "LEAST(feed_schedule.next_due, " FG_NOW
                 " + " FG_MS("excluded.interval_ms") ") ELSE feed_schedule.next_due END"},
      {sql::kDropFeeds, "DELETE FROM feed_schedule WHERE NOT (feed_id = ANY($1::text[]))"},
      // FOR UPDATE re-checks each row as last committed, and SKIP LOCKED passes over rows another
      // instance is claiming this instant: two claims never return the same feed. Feeds due
      // within $4 ms are claimed too (late is then negative): the instance starts them on time.
      {sql::kClaimDue,
       "WITH due AS (SELECT s.feed_id, s.lease_holder AS previous FROM feed_schedule s"
       " WHERE s.next_due <= " FG_NOW " + " FG_MS(
           "$4") " AND (s.lease_expiry IS NULL OR"
                 " s.lease_expiry <= " FG_NOW ") AND NOT EXISTS (SELECT 1 FROM hosts h WHERE"
                 " h.host = s.host AND (h.trips > 0 OR h.paused_until > " FG_NOW "))"
                 " ORDER BY s.next_due LIMIT $2 FOR UPDATE OF s SKIP LOCKED)"
                 " UPDATE feed_schedule s SET lease_holder = $1, lease_expiry = " FG_NOW
                 " + " FG_MS("$3") " FROM due WHERE s.feed_id = due.feed_id"
                                   " RETURNING s.feed_id, s.failures,"
                                   " floor(extract(epoch FROM " FG_NOW
                                   " - s.next_due) * 1000)::bigint,"
                                   " COALESCE(due.previous, '')"},
      {sql::kRenew,
       "UPDATE feed_schedule SET lease_expiry = " FG_NOW " + " FG_MS(
           "$3") " WHERE lease_holder = $1 AND feed_id = ANY($2::text[]) RETURNING feed_id"},
      {sql::kHandBack,
       "UPDATE feed_schedule SET lease_holder = NULL, lease_expiry = NULL"
       " WHERE lease_holder = $1 AND feed_id = ANY($2::text[])"},
      {sql::kRelease,
       "UPDATE feed_schedule SET lease_holder = NULL, lease_expiry = NULL,"
       " next_due = " FG_NOW
       " + " FG_MS("$3") ", failures = $4, last_polled_by = $1,"
                         " last_polled_at = " FG_NOW
                         " WHERE feed_id = $2 AND lease_holder = $1 RETURNING host"},
      {sql::kHostFailed,
       "INSERT INTO hosts(host, connection_failures) VALUES($1, 1) ON CONFLICT(host)"
       " DO UPDATE SET connection_failures = hosts.connection_failures + 1"},
      // The open period doubles per trip without a success between, capped. A failed probe
      // ($5, the half-open host's one feed) trips it again at once.
      {sql::kHostTrip,
       "UPDATE hosts SET paused_until = " FG_NOW
       " + LEAST($3::bigint, $2::bigint * power(2, LEAST(trips, 30))) * interval '1 millisecond',"
       " trips = trips + 1, connection_failures = 0, probe_feed = NULL, probe_until = '-infinity'"
       " WHERE host = $1 AND (connection_failures >= $4 OR (trips > 0 AND probe_feed = $5))"},
      {sql::kHostOk,
       "UPDATE hosts SET connection_failures = 0, trips = 0, probe_feed = NULL,"
       " probe_until = '-infinity' WHERE host = $1 AND (connection_failures > 0 OR trips > 0)"},
      {sql::kPollNow,
       "UPDATE feed_schedule SET next_due = LEAST(next_due, " FG_NOW ") WHERE feed_id = $1"},
      {sql::kLeases,
       "SELECT feed_id, " FG_EPOCH(
           "next_due") ","
                       " CASE WHEN lease_expiry > " FG_NOW " THEN lease_holder ELSE '' END,"
                       " CASE WHEN lease_expiry > " FG_NOW " THEN " FG_EPOCH(
                           "lease_expiry") " END,"
                                           " COALESCE(last_polled_by, ''), " FG_EPOCH(
                                               "last_polled_at") ", failures"
                                                                 " FROM feed_schedule ORDER BY "
                                                                 "feed_id"},
      // The slot after the latest reservation (or now): returns how long until it.
      {sql::kReserveRequest,
       "INSERT INTO hosts(host, next_request) VALUES($1, " FG_NOW " + " FG_MS(
           "$2") ") ON CONFLICT(host) DO UPDATE SET next_request = "
                 "GREATEST(hosts.next_request, " FG_NOW
                 ") + " FG_MS("$2") " RETURNING ceil(extract(epoch FROM next_request - " FG_MS(
                     "$2") " - " FG_NOW ") * 1000)::bigint"},
  };
  return all;
}

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
