#include "store/sqlite_schema.hpp"

#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include "store/store.hpp"

namespace fg::store {

namespace {

// Migration N (1-based) takes a database from user_version N-1 to N. Append only: a released
// step is never edited, because databases in the field have already run it.
const std::vector<std::string_view>& migrations() {
  static const std::vector<std::string_view> steps = {
      // 1: items, poll history, HTTP validators.
      R"sql(
CREATE TABLE items(
  feed_id TEXT NOT NULL,
  url TEXT NOT NULL CHECK (url <> ''),
  title TEXT NOT NULL,
  published_utc INTEGER,
  published_offset_min INTEGER,
  author TEXT NOT NULL,
  source TEXT NOT NULL,
  editor TEXT NOT NULL,
  content_html TEXT NOT NULL,
  text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  PRIMARY KEY (feed_id, url)
);
CREATE INDEX items_newest_first ON items(
  feed_id, COALESCE(published_utc, first_seen) DESC, first_seen DESC, url);
CREATE TABLE polls(
  id INTEGER PRIMARY KEY,
  feed_id TEXT NOT NULL,
  started INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  new_items INTEGER NOT NULL,
  articles_fetched INTEGER NOT NULL,
  error TEXT NOT NULL
);
CREATE INDEX polls_by_feed ON polls(feed_id, started DESC, id DESC);
CREATE TABLE validators(
  url TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  saved INTEGER NOT NULL
);
)sql",
      // 2: bytes fetched by each poll (list page and article pages, after decompression).
      R"sql(
ALTER TABLE polls ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
)sql",
      // 3: how much of the publication time the page gave (0 time, 1 day, 2 month), and the
      // page's language and site name, which feeds show when their items agree.
      R"sql(
ALTER TABLE items ADD COLUMN published_precision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN site_name TEXT NOT NULL DEFAULT '';
)sql",
      // 4: the order items were stored in, per feed (1, 2, ...), which fixes RFC 5005 archive
      // pages; existing items are numbered oldest first.
      R"sql(
ALTER TABLE items ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE items SET seq = (
  SELECT COUNT(*) FROM items AS older WHERE older.feed_id = items.feed_id
    AND (COALESCE(older.published_utc, older.first_seen), older.rowid)
        <= (COALESCE(items.published_utc, items.first_seen), items.rowid));
CREATE INDEX items_by_seq ON items(feed_id, seq);
)sql",
      // 5: WebSub subscriptions (the hub's), one per topic and callback.
      R"sql(
CREATE TABLE subscriptions(
  topic TEXT NOT NULL,
  callback TEXT NOT NULL,
  feed_id TEXT NOT NULL,
  secret TEXT NOT NULL,
  expires INTEGER NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY (topic, callback)
);
CREATE INDEX subscriptions_by_expiry ON subscriptions(expires);
)sql",
  };
  return steps;
}

// "what: SQLite's reason; advice".
Error storage_error(sqlite3* db, const std::string& path, std::string what,
                    std::string_view advice = {}) {
  std::string message = std::move(what);
  if (db != nullptr) message += ": " + std::string(sqlite3_errmsg(db));
  if (!advice.empty()) message += "; " + std::string(advice);
  return make_error(Errc::storage, std::move(message), path);
}

Result<void> migrate(sqlite3* db, const std::string& path) {
  int current = detail::read_schema_version(db);
  if (current < 0) return storage_error(db, path, "cannot read the database schema version");
  int known = sqlite_schema_version();
  if (current > known) {
    return make_error(Errc::storage,
                      "database schema version " + std::to_string(current) +
                          " is newer than this feedgate (" + std::to_string(known) +
                          "); upgrade feedgate",
                      path);
  }
  for (int version = current + 1; version <= known; ++version) {
    detail::Transaction tx(db);
    if (tx.begin() != SQLITE_OK) {
      return storage_error(db, path, "cannot start schema migration",
                           "check no other program holds the database locked");
    }
    std::string sql(migrations()[static_cast<std::size_t>(version - 1)]);
    sql += "\nPRAGMA user_version = " + std::to_string(version) + ";";
    if (detail::exec(db, sql) != SQLITE_OK || tx.commit() != SQLITE_OK) {
      return storage_error(db, path,
                           "schema migration to version " + std::to_string(version) + " failed");
    }
  }
  return {};
}

Result<void> configure(sqlite3* db, const std::string& path, bool synchronous_full) {
  // WAL lets the server read feeds while a poll writes. NORMAL: a power loss may lose the last
  // commits but never corrupts the file (README, Security); FULL flushes every commit.
  const std::string pragmas = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                              (synchronous_full ? "FULL" : "NORMAL") + "; PRAGMA foreign_keys=ON;";
  if (sqlite3_busy_timeout(db, 5000) != SQLITE_OK || detail::exec(db, pragmas) != SQLITE_OK) {
    return storage_error(db, path, "cannot configure the database",
                         "check the file is a feedgate SQLite database and its directory is "
                         "writable");
  }
  return {};
}

}  // namespace

int sqlite_schema_version() {
  return static_cast<int>(migrations().size());
}

namespace detail {

int read_schema_version(sqlite3* db) {
  Statement stmt = prepare(db, "PRAGMA user_version");
  if (!stmt.valid() || stmt.step() != SQLITE_ROW) return -1;
  return static_cast<int>(stmt.int64(0));
}

Result<DbHandle> open_database(const std::string& path, bool synchronous_full) {
  if (path.empty()) {
    return make_error(Errc::invalid_argument, "empty database path; set the store path");
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && path != ":memory:") std::filesystem::create_directories(parent, ec);
  if (ec) {
    return make_error(Errc::storage,
                      "cannot create directory " + parent.string() + ": " + ec.message() +
                          "; check the directory is writable",
                      path);
  }
  sqlite3* raw = nullptr;
  // NOMUTEX: the store serializes every call with its own mutex.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);  // sqlite3_open_v2 may allocate a handle even when it fails
  if (rc != SQLITE_OK) {
    return storage_error(db.get(), path, "cannot open database", "check the directory is writable");
  }
  if (auto r = configure(db.get(), path, synchronous_full); !r) return r.error();
  if (auto r = migrate(db.get(), path); !r) return r.error();
  return db;
}

}  // namespace detail

}  // namespace fg::store
