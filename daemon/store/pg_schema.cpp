#include "store/pg_schema.hpp"

#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace fg::store {

namespace {

// Migration N (1-based) takes a database from version N-1 to N. Append only: a released step is
// never edited, because databases in the field have already run it. Version 1 is SQLite's
// version 4 (times in seconds since the epoch, as SQLite stores them, so migrating between the
// two copies values unchanged). feed_id and url sort bytewise (COLLATE "C"), as in SQLite,
// whatever the database's locale.
const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> steps = {
      // 1: items (numbered per feed by seq), poll history, HTTP validators.
      R"sql(
CREATE TABLE items(
  feed_id TEXT COLLATE "C" NOT NULL,
  url TEXT COLLATE "C" NOT NULL CHECK (url <> ''),
  seq BIGINT NOT NULL,
  title TEXT NOT NULL,
  published_utc BIGINT,
  published_offset_min INTEGER,
  published_precision SMALLINT NOT NULL DEFAULT 0,
  author TEXT NOT NULL,
  source TEXT NOT NULL,
  editor TEXT NOT NULL,
  content_html TEXT NOT NULL,
  text TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  site_name TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  PRIMARY KEY (feed_id, url)
);
CREATE INDEX items_newest_first ON items(
  feed_id, (COALESCE(published_utc, first_seen)) DESC, first_seen DESC, url);
CREATE UNIQUE INDEX items_by_seq ON items(feed_id, seq);
CREATE TABLE polls(
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  feed_id TEXT COLLATE "C" NOT NULL,
  started BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  ok BOOLEAN NOT NULL,
  http_status INTEGER NOT NULL,
  new_items INTEGER NOT NULL,
  articles_fetched INTEGER NOT NULL,
  error TEXT NOT NULL,
  bytes BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX polls_by_feed ON polls(feed_id, started DESC, id DESC);
CREATE TABLE validators(
  url TEXT COLLATE "C" PRIMARY KEY,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  saved BIGINT NOT NULL
);
)sql",
      // 2: several instances on one database: each feed's schedule and lease, the instances
      // alive, and per-host politeness shared by all of them. Times are timestamptz on the
      // database's clock (instances' clocks may disagree), milliseconds where leases need them.
      R"sql(
CREATE TABLE feed_schedule(
  feed_id TEXT COLLATE "C" PRIMARY KEY,
  host TEXT COLLATE "C" NOT NULL,
  interval_ms BIGINT NOT NULL,
  next_due TIMESTAMPTZ NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  lease_holder TEXT,
  lease_expiry TIMESTAMPTZ,
  last_polled_by TEXT,
  last_polled_at TIMESTAMPTZ
);
CREATE INDEX feed_schedule_due ON feed_schedule(next_due);
CREATE INDEX feed_schedule_holder ON feed_schedule(lease_holder) WHERE lease_holder IS NOT NULL;
CREATE TABLE instances(
  id TEXT COLLATE "C" PRIMARY KEY,
  address TEXT NOT NULL,
  version TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  started TIMESTAMPTZ NOT NULL,
  heartbeat TIMESTAMPTZ NOT NULL
);
CREATE TABLE hosts(
  host TEXT COLLATE "C" PRIMARY KEY,
  next_request TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
  paused_until TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
  connection_failures INTEGER NOT NULL DEFAULT 0,
  trips INTEGER NOT NULL DEFAULT 0
);
)sql",
      // 3: WebSub subscriptions (the hub's), one per topic and callback.
      R"sql(
CREATE TABLE subscriptions(
  topic TEXT COLLATE "C" NOT NULL,
  callback TEXT COLLATE "C" NOT NULL,
  feed_id TEXT COLLATE "C" NOT NULL,
  secret TEXT NOT NULL,
  expires BIGINT NOT NULL,
  created BIGINT NOT NULL,
  PRIMARY KEY (topic, callback)
);
CREATE INDEX subscriptions_by_expiry ON subscriptions(expires);
)sql",
      // 4: each feed's items version, bumped by every commit that changed them, so an instance
      // that missed a notification finds out by comparing versions; and the modification time
      // of each instance's config file, so that only the newest config writes the schedule.
      R"sql(
CREATE TABLE feed_changes(
  feed_id TEXT COLLATE "C" PRIMARY KEY,
  version BIGINT NOT NULL,
  tag TEXT NOT NULL
);
ALTER TABLE instances ADD COLUMN config_time TIMESTAMPTZ NOT NULL DEFAULT 'epoch';
)sql",
      // 5: the half-open breaker's probe: after a trip's cooldown one feed of the host is
      // polled (by one instance) before the others are claimed again.
      R"sql(
ALTER TABLE hosts ADD COLUMN probe_feed TEXT COLLATE "C",
  ADD COLUMN probe_until TIMESTAMPTZ NOT NULL DEFAULT '-infinity';
)sql",
  };
  return steps;
}

// pg_advisory_lock(key1, key2): feedgate's class of locks, and "schema migration" within it.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_lock(1717986918, 1)";
constexpr std::string_view kMigrationUnlock = "SELECT pg_advisory_unlock(1717986918, 1)";

Error failed(const std::string& where, const std::string& what, const detail::PgResult& r) {
  return make_error(Errc::storage, what + ": " + r.error(), where);
}

Result<void> apply_steps(detail::PgConnection& conn, const std::string& where) {
  const int current = detail::read_postgres_schema_version(conn);
  if (current < 0) {
    return make_error(Errc::storage,
                      "cannot read the database schema version; check the database is feedgate's "
                      "and the user may read feedgate_schema",
                      where);
  }
  const int known = postgres_schema_version();
  if (current > known) {
    return make_error(Errc::storage,
                      "database schema version " + std::to_string(current) +
                          " is newer than this feedgate (" + std::to_string(known) +
                          "); upgrade feedgate",
                      where);
  }
  for (int version = current + 1; version <= known; ++version) {
    detail::PgTransaction tx(conn);
    if (auto r = tx.begin(); !r.ok()) return failed(where, "cannot start schema migration", r);
    std::string sql(migrations()[static_cast<std::size_t>(version - 1)]);
    sql += "\nUPDATE feedgate_schema SET version = " + std::to_string(version) + ";";
    const std::string what = "schema migration to version " + std::to_string(version) + " failed";
    if (auto r = conn.exec(sql); !r.ok()) return failed(where, what, r);
    if (auto error = tx.commit(); !error.empty()) {
      return make_error(Errc::storage, what + ": " + error, where);
    }
  }
  return {};
}

}  // namespace

int postgres_schema_version() {
  return static_cast<int>(migrations().size());
}

namespace detail {

int read_postgres_schema_version(PgConnection& conn) {
  PgResult exists = conn.exec("SELECT to_regclass('feedgate_schema') IS NOT NULL");
  if (!exists.ok() || exists.rows() != 1) return -1;
  if (!exists.boolean(0, 0)) return 0;
  PgResult r = conn.exec("SELECT version FROM feedgate_schema");
  if (!r.ok()) return -1;
  return r.rows() == 1 ? static_cast<int>(r.int64(0, 0)) : 0;
}

Result<void> migrate_postgres(PgConnection& conn, const std::string& where) {
  if (auto r = conn.exec(std::string(kMigrationLock)); !r.ok()) {
    return failed(where, "cannot take the schema migration lock", r);
  }
  // The version table is created under the lock too, so two first starts cannot race on it.
  PgResult created = conn.exec(
      "CREATE TABLE IF NOT EXISTS feedgate_schema(version INTEGER NOT NULL);"
      "INSERT INTO feedgate_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM feedgate_schema);");
  Result<void> result = created.ok() ? apply_steps(conn, where)
                                     : Result<void>{failed(where,
                                                           "cannot create the schema "
                                                           "version table; check the "
                                                           "user may create tables",
                                                           created)};
  conn.exec(std::string(kMigrationUnlock));  // also released when the session ends
  return result;
}

}  // namespace detail

}  // namespace fg::store
