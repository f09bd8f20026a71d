// SqliteStore: the validators table (ETag / Last-Modified under the caller's key). Its key column
// is named url from when keys were URLs; the pipeline's keys also carry the feed and link rules.

#include <mutex>

#include "store/sqlite_store.hpp"

namespace fg::store::detail {

Result<std::optional<UrlValidators>> SqliteStore::validators(const std::string& key) {
  std::lock_guard lock(mutex_);
  Statement stmt =
      detail::prepare(db_.get(), "SELECT etag, last_modified FROM validators WHERE url = ?1");
  if (!stmt.valid()) return fail("cannot read validators of " + key);
  stmt.bind(1, key);
  int rc = stmt.step();
  if (rc == SQLITE_DONE) return std::optional<UrlValidators>{};
  if (rc != SQLITE_ROW) return fail("cannot read validators of " + key);
  return std::optional<UrlValidators>{UrlValidators{stmt.text(0), stmt.text(1)}};
}

Result<void> SqliteStore::save_validators(const std::string& key, const UrlValidators& v) {
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(
      db_.get(),
      "INSERT INTO validators(url, etag, last_modified, saved) VALUES(?1, ?2, ?3, ?4)"
      " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
      " last_modified = excluded.last_modified, saved = excluded.saved");
  if (!stmt.valid()) return fail("cannot save validators of " + key);
  stmt.bind(1, key);
  stmt.bind(2, v.etag);
  stmt.bind(3, v.last_modified);
  stmt.bind(4, seconds(now_seconds()));
  if (stmt.step() != SQLITE_DONE) return fail("cannot save validators of " + key);
  return {};
}

}  // namespace fg::store::detail
