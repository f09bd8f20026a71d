// SqliteStore: the polls table (one row per poll, the newest kept per feed).

#include <cstdint>
#include <mutex>
#include <string_view>

#include "store/sqlite_store.hpp"

namespace fg::store::detail {

namespace {

PollRecord read_poll(const Statement& stmt) {
  PollRecord p;
  p.started = timestamp(stmt.int64(0));
  p.duration = std::chrono::milliseconds{stmt.int64(1)};
  p.ok = stmt.int64(2) != 0;
  p.http_status = static_cast<int>(stmt.int64(3));
  p.new_items = static_cast<int>(stmt.int64(4));
  p.articles_fetched = static_cast<int>(stmt.int64(5));
  p.error = stmt.text(6);
  p.bytes = static_cast<std::uint64_t>(stmt.int64(7));
  return p;
}

// Polls kept per feed: enough for the status page's history, bounded so the file stays small.
constexpr int kPollsKept = 500;

}  // namespace

Result<void> SqliteStore::record_poll(const std::string& feed_id, const PollRecord& poll) {
  std::lock_guard lock(mutex_);
  const std::string what = "cannot record a poll of feed " + feed_id;
  detail::Transaction tx(db_.get());
  if (tx.begin() != SQLITE_OK) return fail(what);
  Statement insert = detail::prepare(
      db_.get(),
      "INSERT INTO polls(feed_id, started, duration_ms, ok, http_status, new_items,"
      " articles_fetched, error, bytes) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  // Keep the newest kPollsKept of this feed; older ones only grow the file.
  Statement trim =
      detail::prepare(db_.get(),
                      "DELETE FROM polls WHERE id IN (SELECT id FROM polls WHERE feed_id = ?1"
                      " ORDER BY started DESC, id DESC LIMIT -1 OFFSET ?2)");
  if (!insert.valid() || !trim.valid()) return fail(what);
  insert.bind(1, feed_id);
  insert.bind(2, seconds(poll.started));
  insert.bind(3, std::int64_t{poll.duration.count()});
  insert.bind(4, std::int64_t{poll.ok ? 1 : 0});
  insert.bind(5, std::int64_t{poll.http_status});
  insert.bind(6, std::int64_t{poll.new_items});
  insert.bind(7, std::int64_t{poll.articles_fetched});
  insert.bind(8, poll.error);
  insert.bind(9, static_cast<std::int64_t>(poll.bytes));
  trim.bind(1, feed_id);
  trim.bind(2, std::int64_t{kPollsKept});
  if (insert.step() != SQLITE_DONE || trim.step() != SQLITE_DONE) return fail(what);
  if (tx.commit() != SQLITE_OK) return fail(what);
  return {};
}

Result<std::optional<PollRecord>> SqliteStore::one_poll(const std::string& feed_id,
                                                        std::string_view where) {
  std::string sql =
      "SELECT started, duration_ms, ok, http_status, new_items, articles_fetched, error, bytes"
      " FROM polls WHERE feed_id = ?1";
  sql += where;
  sql += " ORDER BY started DESC, id DESC LIMIT 1";
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(db_.get(), sql);
  if (!stmt.valid()) return fail("cannot read polls of feed " + feed_id);
  stmt.bind(1, feed_id);
  int rc = stmt.step();
  if (rc == SQLITE_DONE) return std::optional<PollRecord>{};
  if (rc != SQLITE_ROW) return fail("cannot read polls of feed " + feed_id);
  return std::optional<PollRecord>{read_poll(stmt)};
}

Result<std::optional<PollRecord>> SqliteStore::last_poll(const std::string& feed_id) {
  return one_poll(feed_id, "");
}

Result<std::optional<PollRecord>> SqliteStore::last_failure(const std::string& feed_id) {
  return one_poll(feed_id, " AND ok = 0");
}

Result<std::optional<PollRecord>> SqliteStore::last_success(const std::string& feed_id) {
  return one_poll(feed_id, " AND ok = 1");
}

Result<std::vector<PollRecord>> SqliteStore::recent_polls(const std::string& feed_id, int limit) {
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(
      db_.get(),
      "SELECT started, duration_ms, ok, http_status, new_items, articles_fetched, error, bytes"
      " FROM polls WHERE feed_id = ?1 ORDER BY started DESC, id DESC LIMIT ?2");
  if (!stmt.valid()) return fail("cannot read polls of feed " + feed_id);
  stmt.bind(1, feed_id);
  stmt.bind(2, std::int64_t{limit});
  std::vector<PollRecord> polls;
  int rc = SQLITE_ROW;
  while ((rc = stmt.step()) == SQLITE_ROW) polls.push_back(read_poll(stmt));
  if (rc != SQLITE_DONE) return fail("cannot read polls of feed " + feed_id);
  return polls;
}

}  // namespace fg::store::detail
