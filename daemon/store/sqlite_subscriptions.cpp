// SqliteStore: the subscriptions table (the WebSub hub's subscribers).

#include <mutex>

#include "store/sqlite_store.hpp"

namespace fg::store::detail {

Result<void> SqliteStore::save_subscription(const Subscription& s) {
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(
      db_.get(),
      "INSERT INTO subscriptions(topic, callback, feed_id, secret, expires, created)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(topic, callback) DO UPDATE SET"
      " feed_id = excluded.feed_id, secret = excluded.secret, expires = excluded.expires");
  const std::string what = "cannot save the subscription of " + s.callback + " to " + s.topic;
  if (!stmt.valid()) return fail(what);
  stmt.bind(1, s.topic);
  stmt.bind(2, s.callback);
  stmt.bind(3, s.feed_id);
  stmt.bind(4, s.secret);
  stmt.bind(5, seconds(s.expires));
  stmt.bind(6, seconds(s.created));
  if (stmt.step() != SQLITE_DONE) return fail(what);
  return {};
}

Result<bool> SqliteStore::remove_subscription(const std::string& topic,
                                              const std::string& callback) {
  std::lock_guard lock(mutex_);
  Statement stmt =
      detail::prepare(db_.get(), "DELETE FROM subscriptions WHERE topic = ?1 AND callback = ?2");
  const std::string what = "cannot remove the subscription of " + callback + " to " + topic;
  if (!stmt.valid()) return fail(what);
  stmt.bind(1, topic);
  stmt.bind(2, callback);
  if (stmt.step() != SQLITE_DONE) return fail(what);
  return sqlite3_changes(db_.get()) > 0;
}

Result<std::vector<Subscription>> SqliteStore::subscriptions(Timestamp now) {
  std::lock_guard lock(mutex_);
  Statement stmt =
      detail::prepare(db_.get(),
                      "SELECT topic, callback, feed_id, secret, expires, created"
                      " FROM subscriptions WHERE expires > ?1 ORDER BY topic, callback");
  if (!stmt.valid()) return fail("cannot read subscriptions");
  stmt.bind(1, seconds(now));
  std::vector<Subscription> out;
  int rc = SQLITE_ROW;
  while ((rc = stmt.step()) == SQLITE_ROW) {
    out.push_back(Subscription{stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3),
                               timestamp(stmt.int64(4)), timestamp(stmt.int64(5))});
  }
  if (rc != SQLITE_DONE) return fail("cannot read subscriptions");
  return out;
}

Result<int> SqliteStore::expire_subscriptions(Timestamp now) {
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(db_.get(), "DELETE FROM subscriptions WHERE expires <= ?1");
  if (!stmt.valid()) return fail("cannot remove expired subscriptions");
  stmt.bind(1, seconds(now));
  if (stmt.step() != SQLITE_DONE) return fail("cannot remove expired subscriptions");
  return sqlite3_changes(db_.get());
}

}  // namespace fg::store::detail
