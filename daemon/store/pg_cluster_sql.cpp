// The SQL of the PostgreSQL ClusterBook, prepared on every pooled connection with the store's
// own. Every decision two instances could race on is one statement on the database's clock
// (statement_timestamp()), so no instance trusts another's memory or clock. Per-host decisions
// (request turns, Retry-After pauses, the half-open breaker's single probe) are one statement on
// the hosts row, whose row lock makes instances asking at once wait in turn.
//
// The statements are written as SQL is read, one clause per line, so clang-format leaves them.

#include "store/pg_cluster.hpp"

namespace fg::store::detail {

// Seconds since the epoch of a timestamptz column (NULL stays NULL); a bigint of milliseconds
// as an interval; the database's clock for the whole statement.
#define FG_EPOCH(x) "floor(extract(epoch FROM " x "))::bigint"
#define FG_MS(p) "(" p "::bigint * interval '1 millisecond')"
#define FG_NOW "statement_timestamp()"
// clang-format off
// $1 instance, $2 feed, $3 ms until it is due again, $4 its failures: the lease released by its
// holder (no row when another instance took it over). Returns the feed's host.
#define FG_RELEASE                                                     \
  "UPDATE feed_schedule SET lease_holder = NULL, lease_expiry = NULL," \
  "   next_due = " FG_NOW " + " FG_MS("$3") ", failures = $4,"         \
  "   last_polled_by = $1, last_polled_at = " FG_NOW                   \
  " WHERE feed_id = $2 AND lease_holder = $1 RETURNING host"

const std::vector<std::pair<const char*, std::string>>& cluster_statements() {
  static const std::vector<std::pair<const char*, std::string>> all = {
      {cluster_sql::kAnnounce,
       "INSERT INTO instances(id, address, version, config_hash, started, heartbeat, config_time)"
       " VALUES($1, $2, $3, $4, to_timestamp($5), " FG_NOW ", to_timestamp($6))"
       " ON CONFLICT(id) DO UPDATE SET address = excluded.address, version = excluded.version,"
       "   config_hash = excluded.config_hash, started = excluded.started,"
       "   heartbeat = excluded.heartbeat, config_time = excluded.config_time"},
      {cluster_sql::kHeartbeat,
       "UPDATE instances SET heartbeat = " FG_NOW " WHERE id = $1 RETURNING id"},
      {cluster_sql::kFreeLeases,
       "UPDATE feed_schedule SET lease_holder = NULL, lease_expiry = NULL WHERE lease_holder = $1"},
      {cluster_sql::kRetire,
       "DELETE FROM instances WHERE id = $1"},
      {cluster_sql::kInstances,
       "SELECT id, address, version, config_hash, " FG_EPOCH("started") ","
       "   " FG_EPOCH("heartbeat") ", heartbeat > " FG_NOW " - " FG_MS("$1") ","
       "   " FG_EPOCH("config_time")
       " FROM instances ORDER BY id"},
      // The live instance whose config is the newest, if newer than $1's (rows compare in order:
      // the time first, then the hash).
      {cluster_sql::kNewerConfig,
       "SELECT o.id, o.address, o.version, o.config_hash, " FG_EPOCH("o.started") ","
       "   " FG_EPOCH("o.heartbeat") ", true, " FG_EPOCH("o.config_time")
       " FROM instances o JOIN instances me ON me.id = $1"
       " WHERE o.id <> $1 AND o.heartbeat > " FG_NOW " - " FG_MS("$2")
       "   AND (o.config_time, o.config_hash) > (me.config_time, me.config_hash)"
       " ORDER BY o.config_time DESC, o.config_hash DESC LIMIT 1"},
      {cluster_sql::kItemVersions,
       "SELECT feed_id, version, tag = $1 FROM feed_changes"},
      {cluster_sql::kSyncLock,
       "SELECT pg_advisory_xact_lock(1717986918, 2)"},
      // New feeds become due spread over $4 ms; a shorter interval brings a far due time closer.
      {cluster_sql::kUpsertFeeds,
       "INSERT INTO feed_schedule(feed_id, host, interval_ms, next_due)"
       " SELECT f, h, i::bigint, " FG_NOW " + random() * " FG_MS("$4")
       " FROM unnest($1::text[], $2::text[], $3::text[]) AS t(f, h, i)"
       " ON CONFLICT(feed_id) DO UPDATE SET host = excluded.host,"
       "   interval_ms = excluded.interval_ms,"
       "   next_due = CASE WHEN excluded.interval_ms < feed_schedule.interval_ms"
       "     THEN LEAST(feed_schedule.next_due, " FG_NOW " + " FG_MS("excluded.interval_ms") ")"
       "     ELSE feed_schedule.next_due END"},
      {cluster_sql::kDropFeeds,
       "DELETE FROM feed_schedule WHERE NOT (feed_id = ANY($1::text[]))"},
      // FOR UPDATE re-checks each row as last committed, and SKIP LOCKED passes over rows another
      // instance is claiming this instant: two claims never return the same feed. Feeds due
      // within $4 ms are claimed too (late is then negative): the instance starts them on time.
      // Hosts paused or whose breaker tripped are passed over (their probe is kClaimProbes').
      {cluster_sql::kClaimDue,
       "WITH due AS ("
       "   SELECT s.feed_id, s.lease_holder AS previous FROM feed_schedule s"
       "   WHERE s.next_due <= " FG_NOW " + " FG_MS("$4")
       "     AND (s.lease_expiry IS NULL OR s.lease_expiry <= " FG_NOW ")"
       "     AND NOT EXISTS (SELECT 1 FROM hosts h WHERE h.host = s.host"
       "                     AND (h.trips > 0 OR h.paused_until > " FG_NOW "))"
       "   ORDER BY s.next_due LIMIT $2 FOR UPDATE OF s SKIP LOCKED)"
       " UPDATE feed_schedule s SET lease_holder = $1, lease_expiry = " FG_NOW " + " FG_MS("$3")
       " FROM due WHERE s.feed_id = due.feed_id"
       " RETURNING s.feed_id, s.failures,"
       "   floor(extract(epoch FROM " FG_NOW " - s.next_due) * 1000)::bigint,"
       "   COALESCE(due.previous, '')"},
      // A half-open host's probe keeps its election as long as its lease: else a probe running
      // longer than the first lease would let another instance elect a second one.
      {cluster_sql::kRenew,
       "WITH renewed AS ("
       "   UPDATE feed_schedule SET lease_expiry = " FG_NOW " + " FG_MS("$3")
       "   WHERE lease_holder = $1 AND feed_id = ANY($2::text[]) RETURNING feed_id, host),"
       " probes AS ("
       "   UPDATE hosts SET probe_until = " FG_NOW " + " FG_MS("$3")
       "   FROM renewed WHERE hosts.host = renewed.host AND hosts.probe_feed = renewed.feed_id)"
       " SELECT feed_id FROM renewed"},
      {cluster_sql::kHandBack,
       "UPDATE feed_schedule SET lease_holder = NULL, lease_expiry = NULL"
       " WHERE lease_holder = $1 AND feed_id = ANY($2::text[])"},
      {cluster_sql::kRelease, FG_RELEASE},
      // kRelease for a poll whose host answered, closing the host's breaker with it (a
      // data-modifying WITH runs to completion whether or not the query reads it).
      {cluster_sql::kReleaseAnswered,
       "WITH released AS (" FG_RELEASE "),"
       " closed AS ("
       "   UPDATE hosts SET connection_failures = 0, trips = 0, probe_feed = NULL,"
       "     probe_until = '-infinity'"
       "   FROM released WHERE hosts.host = released.host"
       "     AND (hosts.connection_failures > 0 OR hosts.trips > 0))"
       " SELECT host FROM released"},
      {cluster_sql::kHostFailed,
       "INSERT INTO hosts(host, connection_failures) VALUES($1, 1)"
       " ON CONFLICT(host) DO UPDATE SET connection_failures = hosts.connection_failures + 1"},
      // The open period doubles per trip without a success between, capped. A failed probe
      // ($5, the half-open host's one feed) trips it again at once.
      {cluster_sql::kHostTrip,
       "UPDATE hosts SET"
       "   paused_until = " FG_NOW
       "     + LEAST($3::bigint, $2::bigint * power(2, LEAST(trips, 30))) * interval '1 millisecond',"
       "   trips = trips + 1, connection_failures = 0, probe_feed = NULL, probe_until = '-infinity'"
       " WHERE host = $1 AND (connection_failures >= $4 OR (trips > 0 AND probe_feed = $5))"},
      // A cancelled probe proved nothing: the next claim elects another at once.
      {cluster_sql::kProbeCancelled,
       "UPDATE hosts SET probe_feed = NULL, probe_until = '-infinity'"
       " WHERE host = $1 AND probe_feed = $2"},
      {cluster_sql::kPollNow,
       "UPDATE feed_schedule SET next_due = LEAST(next_due, " FG_NOW ") WHERE feed_id = $1"},
      {cluster_sql::kLeases,
       "SELECT feed_id, " FG_EPOCH("next_due") ","
       "   CASE WHEN lease_expiry > " FG_NOW " THEN lease_holder ELSE '' END,"
       "   CASE WHEN lease_expiry > " FG_NOW " THEN " FG_EPOCH("lease_expiry") " END,"
       "   COALESCE(last_polled_by, ''), " FG_EPOCH("last_polled_at") ", failures"
       " FROM feed_schedule ORDER BY feed_id"},
      // The slot after the latest reservation (or now): returns how long until it.
      {cluster_sql::kReserveRequest,
       "INSERT INTO hosts(host, next_request) VALUES($1, " FG_NOW " + " FG_MS("$2") ")"
       " ON CONFLICT(host) DO UPDATE"
       "   SET next_request = GREATEST(hosts.next_request, " FG_NOW ") + " FG_MS("$2")
       " RETURNING ceil(extract(epoch FROM next_request - " FG_MS("$2") " - " FG_NOW ")"
       "   * 1000)::bigint"},
  };
  return all;
}

const std::vector<std::pair<const char*, std::string>>& host_statements() {
  static const std::vector<std::pair<const char*, std::string>> all = {
      // $1 host, $2 min_gap ms, $3 alive_within ms. A paused host keeps its next slot: the
      // caller sends nothing. Returns the wait, the pause left and the instances alive.
      {host_sql::kTakeTurn,
       "INSERT INTO hosts(host, next_request) VALUES($1, " FG_NOW " + " FG_MS("$2") ")"
       " ON CONFLICT(host) DO UPDATE SET next_request = CASE"
       "   WHEN hosts.paused_until > " FG_NOW " THEN hosts.next_request"
       "   ELSE GREATEST(hosts.next_request, " FG_NOW ") + " FG_MS("$2") " END"
       " RETURNING"
       "   ceil(extract(epoch FROM GREATEST(next_request - " FG_MS("$2") ", " FG_NOW ")"
       "     - " FG_NOW ") * 1000)::bigint,"
       "   ceil(extract(epoch FROM GREATEST(paused_until, " FG_NOW ") - " FG_NOW ")"
       "     * 1000)::bigint,"
       "   (SELECT count(*) FROM instances WHERE heartbeat > " FG_NOW " - " FG_MS("$3") ")"},
      // $1 host, $2 ms from now.
      {host_sql::kPauseHost,
       "INSERT INTO hosts(host, paused_until) VALUES($1, " FG_NOW " + " FG_MS("$2") ")"
       " ON CONFLICT(host) DO UPDATE"
       "   SET paused_until = GREATEST(hosts.paused_until, excluded.paused_until)"},
      {host_sql::kHostPaused,
       "SELECT ceil(extract(epoch FROM GREATEST(paused_until, " FG_NOW ") - " FG_NOW ")"
       "   * 1000)::bigint"
       " FROM hosts WHERE host = $1"},
      // $1 instance, $2 limit, $3 lease ms. A host whose breaker tripped and whose cooldown is
      // over gets one probe: its earliest due feed, leased to $1. Setting probe_until on the
      // hosts row is what makes the probe single: an instance electing at the same instant
      // waits for that row, then finds probe_until in the future and elects nothing.
      {host_sql::kClaimProbes,
       "WITH probe AS ("
       "   UPDATE hosts h SET probe_feed = f.feed_id, probe_until = " FG_NOW " + " FG_MS("$3")
       "   FROM (SELECT DISTINCT ON (s.host) s.host, s.feed_id FROM feed_schedule s"
       "         WHERE s.next_due <= " FG_NOW
       "           AND (s.lease_expiry IS NULL OR s.lease_expiry <= " FG_NOW ")"
       "           AND s.host IN (SELECT host FROM hosts WHERE trips > 0"
       "                          AND paused_until <= " FG_NOW " AND probe_until <= " FG_NOW ")"
       "         ORDER BY s.host, s.next_due LIMIT $2) f"
       "   WHERE h.host = f.host AND h.trips > 0 AND h.paused_until <= " FG_NOW
       "     AND h.probe_until <= " FG_NOW
       "   RETURNING h.probe_feed)"
       " UPDATE feed_schedule s SET lease_holder = $1, lease_expiry = " FG_NOW " + " FG_MS("$3")
       " FROM probe WHERE s.feed_id = probe.probe_feed"
       " RETURNING s.feed_id, s.failures,"
       "   floor(extract(epoch FROM " FG_NOW " - s.next_due) * 1000)::bigint, ''"},
  };
  return all;
}
// clang-format on

#undef FG_EPOCH
#undef FG_MS
#undef FG_NOW
#undef FG_RELEASE

}  // namespace fg::store::detail
