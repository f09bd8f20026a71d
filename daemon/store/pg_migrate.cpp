// `feedgate migrate`: copies a SQLite store into an empty PostgreSQL database, row for row (seq
// numbers, first_seen/updated, content hashes, poll history in its order, validators, the WebSub
// hub's subscriptions), in one transaction that commits only when the counts on both sides agree.

#include <filesystem>
#include <map>
#include <system_error>
#include <tuple>

#include "store/pg_handle.hpp"
#include "store/pg_schema.hpp"
#include "store/sqlite_schema.hpp"
#include "store/store.hpp"

namespace fg::store {

namespace {

using detail::PgParams;
using detail::PgResult;
using detail::Statement;

// Per feed: items, lowest seq, highest seq; what a faithful copy must reproduce.
using FeedShape = std::map<std::string, std::tuple<std::int64_t, std::int64_t, std::int64_t>>;

// One table the migration copies: the same columns on both sides, in the order `select` reads
// them. `booleans` marks the columns SQLite stores as 0/1 and PostgreSQL as BOOLEAN.
struct Table {
  const char* name;
  const char* columns;
  const char* order;  // ORDER BY of the read; the copies' new ids keep this order
  std::vector<bool> booleans;
  std::int64_t MigrationCounts::*count;
};

const std::vector<Table>& tables() {
  static const std::vector<Table> all = {
      {"items",
       "feed_id, url, seq, title, published_utc, published_offset_min, published_precision,"
       " author, source, editor, content_html, text, language, site_name, content_hash,"
       " first_seen, updated",
       "", std::vector<bool>(17, false), &MigrationCounts::items},
      // In id order, so the copies' new ids keep the order of polls that started the same second.
      {"polls",
       "feed_id, started, duration_ms, ok, http_status, new_items, articles_fetched, error, bytes",
       " ORDER BY id",
       {false, false, false, true, false, false, false, false, false},
       &MigrationCounts::polls},
      {"validators", "url, etag, last_modified, saved", "", std::vector<bool>(4, false),
       &MigrationCounts::validators},
      // The hub's subscribers keep receiving pushes after the move.
      {"subscriptions", "topic, callback, feed_id, secret, expires, created", "",
       std::vector<bool>(6, false), &MigrationCounts::subscriptions},
  };
  return all;
}

// "SELECT (SELECT COUNT(*) FROM items), …" over every copied table, in tables() order.
std::string count_rows_sql() {
  std::string sql = "SELECT ";
  for (const Table& t : tables()) {
    if (&t != &tables().front()) sql += ", ";
    sql += std::string("(SELECT COUNT(*) FROM ") + t.name + ")";
  }
  return sql;
}

constexpr const char* kFeedShapeSql =
    "SELECT feed_id, COUNT(*), MIN(seq), MAX(seq) FROM items GROUP BY feed_id";

class Migration {
 public:
  Migration(sqlite3* from, detail::PgConnection& to, std::string from_path, std::string to_where)
      : from_(from), to_(to), from_path_(std::move(from_path)), where_(std::move(to_where)) {}

  Result<MigrationCounts> run();

 private:
  Error fail(const std::string& what, const std::string& why) const {
    return make_error(Errc::storage, what + ": " + why, where_);
  }
  Error sqlite_fail(const std::string& what) const {
    return make_error(Errc::storage, what + ": " + sqlite3_errmsg(from_), from_path_);
  }
  Result<void> check_empty();
  // Copies every row of `table` from SQLite to PostgreSQL; the columns map one to one, NULLs
  // and integers included. Returns the rows copied.
  Result<std::int64_t> copy(const Table& table);
  Result<void> verify(const MigrationCounts& copied);

  sqlite3* from_;
  detail::PgConnection& to_;
  std::string from_path_;
  std::string where_;
};

Result<void> Migration::check_empty() {
  PgResult r = to_.exec(count_rows_sql());
  if (!r.ok()) return fail("cannot count what the database holds", r.error());
  std::string held;
  for (std::size_t i = 0; i < tables().size(); ++i) {
    if (r.int64(0, static_cast<int>(i)) == 0) continue;
    held += (held.empty() ? "" : ", ") + r.text(0, static_cast<int>(i)) + " " + tables()[i].name;
  }
  if (!held.empty()) {
    return make_error(
        Errc::invalid_argument,
        "the database is not empty (" + held + "); migrate into a new, empty database", where_);
  }
  return {};
}

Result<std::int64_t> Migration::copy(const Table& table) {
  const std::string what = std::string("cannot copy ") + table.name;
  Statement rows = detail::prepare(
      from_, std::string("SELECT ") + table.columns + " FROM " + table.name + table.order);
  if (!rows.valid()) return sqlite_fail(std::string("cannot read ") + table.name);
  std::string insert = std::string("INSERT INTO ") + table.name + "(" + table.columns + ") VALUES(";
  for (std::size_t c = 1; c <= table.booleans.size(); ++c) {
    insert += (c == 1 ? "$" : ", $") + std::to_string(c);
  }
  const std::string statement = std::string("fg_copy_") + table.name;
  if (PgResult r = to_.prepare(statement, insert + ")"); !r.ok()) return fail(what, r.error());
  std::int64_t copied = 0;
  int rc = SQLITE_ROW;
  while ((rc = rows.step()) == SQLITE_ROW) {
    PgParams params;
    for (std::size_t c = 0; c < table.booleans.size(); ++c) {
      const int column = static_cast<int>(c);
      if (rows.is_null(column)) {
        params.add(std::optional<std::int64_t>{});
      } else if (table.booleans[c]) {
        params.add(rows.int64(column) != 0);
      } else {
        params.add(rows.text(column));  // integers as their decimal text, which PG reads back
      }
    }
    if (PgResult r = to_.run(statement, params); !r.ok()) return fail(what, r.error());
    ++copied;
  }
  if (rc != SQLITE_DONE) return sqlite_fail(std::string("cannot read ") + table.name);
  return copied;
}

FeedShape pg_feed_shape(const PgResult& r) {
  FeedShape shape;
  for (int row = 0; row < r.rows(); ++row) {
    shape[r.text(row, 0)] = {r.int64(row, 1), r.int64(row, 2), r.int64(row, 3)};
  }
  return shape;
}

Result<void> Migration::verify(const MigrationCounts& copied) {
  Statement counts = detail::prepare(from_, count_rows_sql());
  if (!counts.valid() || counts.step() != SQLITE_ROW) return sqlite_fail("cannot count rows");
  PgResult pg = to_.exec(count_rows_sql());
  if (!pg.ok()) return fail("cannot count the copied rows", pg.error());
  for (std::size_t i = 0; i < tables().size(); ++i) {
    const int column = static_cast<int>(i);
    const std::int64_t expected = counts.int64(column);
    if (expected != copied.*tables()[i].count || expected != pg.int64(0, column)) {
      return fail("the copy does not match", std::string(tables()[i].name) + ": " +
                                                 std::to_string(expected) + " in SQLite, " +
                                                 std::to_string(pg.int64(0, column)) +
                                                 " in PostgreSQL; nothing was committed");
    }
  }
  FeedShape sqlite_shape;
  Statement feeds = detail::prepare(from_, kFeedShapeSql);
  if (!feeds.valid()) return sqlite_fail("cannot read feeds");
  while (feeds.step() == SQLITE_ROW) {
    sqlite_shape[feeds.text(0)] = {feeds.int64(1), feeds.int64(2), feeds.int64(3)};
  }
  PgResult pg_feeds = to_.exec(kFeedShapeSql);
  if (!pg_feeds.ok()) return fail("cannot read the copied feeds", pg_feeds.error());
  if (pg_feed_shape(pg_feeds) != sqlite_shape) {
    return fail("the copy does not match",
                "a feed's item count or seq range differs; nothing was committed");
  }
  return {};
}

Result<MigrationCounts> Migration::run() {
  if (auto r = check_empty(); !r) return r.error();
  detail::PgTransaction tx(to_);
  if (PgResult r = tx.begin(); !r.ok()) return fail("cannot start the copy", r.error());
  // Nobody else writes while the copy runs (an instance started too early waits, then sees it).
  std::string lock = "LOCK TABLE ";
  for (const Table& t : tables()) lock += std::string(&t == &tables().front() ? "" : ", ") + t.name;
  if (PgResult r = to_.exec(lock + " IN EXCLUSIVE MODE"); !r.ok()) {
    return fail("cannot lock the tables", r.error());
  }
  MigrationCounts counts;
  for (const Table& table : tables()) {
    auto copied = copy(table);
    if (!copied) return copied.error();
    counts.*table.count = *copied;
  }
  if (auto r = verify(counts); !r) return r.error();
  PgResult feeds = to_.exec("SELECT COUNT(DISTINCT feed_id) FROM items");
  counts.feeds = feeds.ok() ? feeds.int64(0, 0) : 0;
  if (auto error = tx.commit(); !error.empty()) return fail("cannot commit the copy", error);
  return counts;
}

}  // namespace

Result<MigrationCounts> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                                const std::string& url,
                                                const PostgresOptions& options) {
  const std::string where = detail::redact_url(url);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(sqlite_path, ec)) {
    return make_error(Errc::not_found, "no SQLite store here; name the storage.path file",
                      sqlite_path);
  }
  try {
    auto from = detail::open_database(sqlite_path);  // brings an older store to this version
    if (!from) return from.error();
    auto to = detail::PgConnection::connect(url, options.password_file, where);
    if (!to) return to.error();
    if (auto r = detail::migrate_postgres(*to, where); !r) return r.error();
    Migration migration(from->get(), *to, sqlite_path, where);
    return migration.run();
  } catch (const std::exception& e) {  // bad_alloc: never past the module boundary
    return make_error(Errc::storage, std::string("cannot migrate: ") + e.what(), where);
  }
}

}  // namespace fg::store
