// The ClusterBook's per-host politeness statements: request turns spaced by min_gap, pauses
// asked for by Retry-After, and the half-open breaker's single probe. Each decision is one
// statement on the hosts row, whose row lock makes instances asking at once wait in turn.

#include "store/pg_cluster.hpp"

namespace fg::store::detail {

#define FG_MS(p) "(" p "::bigint * interval '1 millisecond')"
#define FG_NOW "statement_timestamp()"

const std::vector<std::pair<const char*, std::string>>& host_statements() {
  static const std::vector<std::pair<const char*, std::string>> all = {
      // $1 host, $2 min_gap ms, $3 alive_within ms. A paused host keeps its next slot: the
      // caller sends nothing. Returns the wait, the pause left and the instances alive.
      {host_sql::kTakeTurn,
       "INSERT INTO hosts(host, next_request) VALUES($1, " FG_NOW " + " FG_MS(
           "$2") ") ON CONFLICT(host) DO UPDATE SET next_request = CASE"
                 " WHEN hosts.paused_until > " FG_NOW " THEN hosts.next_request"
                 " ELSE GREATEST(hosts.next_request, " FG_NOW ") + " FG_MS(
                     "$2") " END RETURNING"
                           " ceil(extract(epoch FROM GREATEST(next_request - " FG_MS(
                               "$2") ", " FG_NOW ") - " FG_NOW ") * 1000)::bigint,"
                                     " ceil(extract(epoch FROM GREATEST(paused_until, " FG_NOW
                                     ") - " FG_NOW ") * 1000)::bigint,"
                                     " (SELECT count(*) FROM instances WHERE heartbeat > " FG_NOW
                                     " - " FG_MS("$3") ")"},
      // $1 host, $2 ms from now.
      {host_sql::kPauseHost,
       "INSERT INTO hosts(host, paused_until) VALUES($1, " FG_NOW
       " + " FG_MS("$2") ") ON CONFLICT(host) DO UPDATE SET"
                         " paused_until = GREATEST(hosts.paused_until, excluded.paused_until)"},
      {host_sql::kHostPaused, "SELECT ceil(extract(epoch FROM GREATEST(paused_until, " FG_NOW
                              ") - " FG_NOW ") * 1000)::bigint FROM hosts WHERE host = $1"},
      // $1 instance, $2 limit, $3 lease ms. A host whose breaker tripped and whose cooldown is
      // over gets one probe: its earliest due feed, leased to $1. Setting probe_until on the
      // hosts row is what makes the probe single: an instance electing at the same instant
      // waits for that row, then finds probe_until in the future and elects nothing.
      {host_sql::kClaimProbes,
       "WITH probe AS (UPDATE hosts h SET probe_feed = f.feed_id, probe_until = " FG_NOW
       " + " FG_MS("$3") " FROM (SELECT DISTINCT ON (s.host) s.host, s.feed_id"
                         " FROM feed_schedule s WHERE s.next_due <= " FG_NOW
                         " AND (s.lease_expiry IS NULL OR s.lease_expiry <= " FG_NOW ")"
                         " AND s.host IN (SELECT host FROM hosts WHERE trips > 0"
                         " AND paused_until <= " FG_NOW " AND probe_until <= " FG_NOW ")"
                         " ORDER BY s.host, s.next_due LIMIT $2) f"
                         " WHERE h.host = f.host AND h.trips > 0 AND h.paused_until <= " FG_NOW
                         " AND h.probe_until <= " FG_NOW " RETURNING h.probe_feed)"
                         " UPDATE feed_schedule s SET lease_holder = $1, lease_expiry = " FG_NOW
                         " + " FG_MS("$3") " FROM probe WHERE s.feed_id = probe.probe_feed"
                                           " RETURNING s.feed_id, s.failures,"
                                           " floor(extract(epoch FROM " FG_NOW
                                           " - s.next_due) * 1000)::bigint, ''"},
  };
  return all;
}

#undef FG_MS
#undef FG_NOW

}  // namespace fg::store::detail
