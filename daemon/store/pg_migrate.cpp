// `feedgate migrate`: copies a SQLite store into an empty PostgreSQL database, row for row (seq
// numbers, first_seen/updated, content hashes, poll history in its order, validators), in one
// transaction that commits only when the counts on both sides agree.

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

constexpr const char* kItemColumns =
    "feed_id, url, seq, title, published_utc, published_offset_min, published_precision, author,"
    " source, editor, content_html, text, language, site_name, content_hash, first_seen, updated";
constexpr int kItemColumnCount = 17;
constexpr const char* kPollColumns =
    "feed_id, started, duration_ms, ok, http_status, new_items, articles_fetched, error, bytes";
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
  // Copies every row of `select` (on SQLite) through `insert` (prepared on PostgreSQL); the
  // columns map one to one, NULLs and integers included. Returns the rows copied.
  Result<std::int64_t> copy(const std::string& table, const std::string& select,
                            const std::string& insert, const std::vector<bool>& boolean_columns);
  Result<void> verify(const MigrationCounts& copied);

  sqlite3* from_;
  detail::PgConnection& to_;
  std::string from_path_;
  std::string where_;
};

Result<void> Migration::check_empty() {
  PgResult r = to_.exec(
      "SELECT (SELECT COUNT(*) FROM items), (SELECT COUNT(*) FROM polls),"
      " (SELECT COUNT(*) FROM validators)");
  if (!r.ok()) return fail("cannot count what the database holds", r.error());
  if (r.int64(0, 0) + r.int64(0, 1) + r.int64(0, 2) != 0) {
    return make_error(Errc::invalid_argument,
                      "the database is not empty (" + r.text(0, 0) + " items, " + r.text(0, 1) +
                          " polls, " + r.text(0, 2) +
                          " validators); migrate into a new, empty database",
                      where_);
  }
  return {};
}

Result<std::int64_t> Migration::copy(const std::string& table, const std::string& select,
                                     const std::string& insert,
                                     const std::vector<bool>& boolean_columns) {
  const std::string what = "cannot copy " + table;
  Statement rows = detail::prepare(from_, select);
  if (!rows.valid()) return sqlite_fail("cannot read " + table);
  if (PgResult r = to_.prepare("fg_copy_" + table, insert); !r.ok()) return fail(what, r.error());
  std::int64_t copied = 0;
  int rc = SQLITE_ROW;
  while ((rc = rows.step()) == SQLITE_ROW) {
    PgParams params;
    for (std::size_t c = 0; c < boolean_columns.size(); ++c) {
      const int column = static_cast<int>(c);
      if (rows.is_null(column)) {
        params.add(std::optional<std::int64_t>{});
      } else if (boolean_columns[c]) {
        params.add(rows.int64(column) != 0);
      } else {
        params.add(rows.text(column));  // integers as their decimal text, which PG reads back
      }
    }
    if (PgResult r = to_.run("fg_copy_" + table, params); !r.ok()) return fail(what, r.error());
    ++copied;
  }
  if (rc != SQLITE_DONE) return sqlite_fail("cannot read " + table);
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
  Statement counts =
      detail::prepare(from_,
                      "SELECT (SELECT COUNT(*) FROM items), (SELECT COUNT(*) FROM polls),"
                      " (SELECT COUNT(*) FROM validators)");
  if (!counts.valid() || counts.step() != SQLITE_ROW) return sqlite_fail("cannot count rows");
  PgResult pg = to_.exec(
      "SELECT (SELECT COUNT(*) FROM items), (SELECT COUNT(*) FROM polls),"
      " (SELECT COUNT(*) FROM validators)");
  if (!pg.ok()) return fail("cannot count the copied rows", pg.error());
  const std::int64_t expected[] = {counts.int64(0), counts.int64(1), counts.int64(2)};
  const std::int64_t got[] = {copied.items, copied.polls, copied.validators};
  const char* names[] = {"items", "polls", "validators"};
  for (int i = 0; i < 3; ++i) {
    if (expected[i] != got[i] || expected[i] != pg.int64(0, i)) {
      return fail("the copy does not match",
                  std::string(names[i]) + ": " + std::to_string(expected[i]) + " in SQLite, " +
                      std::to_string(pg.int64(0, i)) + " in PostgreSQL; nothing was committed");
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
  if (PgResult r = to_.exec("LOCK TABLE items, polls, validators IN EXCLUSIVE MODE"); !r.ok()) {
    return fail("cannot lock the tables", r.error());
  }
  MigrationCounts counts;
  std::vector<bool> item_booleans(kItemColumnCount, false);
  auto items = copy("items", std::string("SELECT ") + kItemColumns + " FROM items",
                    std::string("INSERT INTO items(") + kItemColumns +
                        ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
                        " $15, $16, $17)",
                    item_booleans);
  if (!items) return items.error();
  counts.items = *items;
  // In id order, so the copies' new ids keep the order of polls that started the same second.
  auto polls = copy("polls", std::string("SELECT ") + kPollColumns + " FROM polls ORDER BY id",
                    std::string("INSERT INTO polls(") + kPollColumns +
                        ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    {false, false, false, true, false, false, false, false, false});
  if (!polls) return polls.error();
  counts.polls = *polls;
  auto validators =
      copy("validators", "SELECT url, etag, last_modified, saved FROM validators",
           "INSERT INTO validators(url, etag, last_modified, saved) VALUES($1, $2, $3, $4)",
           {false, false, false, false});
  if (!validators) return validators.error();
  counts.validators = *validators;
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
