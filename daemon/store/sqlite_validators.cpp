// SqliteStore: the validators table (ETag / Last-Modified under the pipeline's key).

#include <mutex>

#include "store/sqlite_store.hpp"

namespace fg::store::detail {

Result<std::optional<UrlValidators>> SqliteStore::validators(const std::string& url) {
  std::lock_guard lock(mutex_);
  Statement stmt =
      detail::prepare(db_.get(), "SELECT etag, last_modified FROM validators WHERE url = ?1");
  if (!stmt.valid()) return fail("cannot read validators of " + url);
  stmt.bind(1, url);
  int rc = stmt.step();
  if (rc == SQLITE_DONE) return std::optional<UrlValidators>{};
  if (rc != SQLITE_ROW) return fail("cannot read validators of " + url);
  return std::optional<UrlValidators>{UrlValidators{stmt.text(0), stmt.text(1)}};
}

Result<void> SqliteStore::save_validators(const std::string& url, const UrlValidators& v) {
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(
      db_.get(),
      "INSERT INTO validators(url, etag, last_modified, saved) VALUES(?1, ?2, ?3, ?4)"
      " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
      " last_modified = excluded.last_modified, saved = excluded.saved");
  if (!stmt.valid()) return fail("cannot save validators of " + url);
  stmt.bind(1, url);
  stmt.bind(2, v.etag);
  stmt.bind(3, v.last_modified);
  stmt.bind(4, seconds(now_seconds()));
  if (stmt.step() != SQLITE_DONE) return fail("cannot save validators of " + url);
  return {};
}

}  // namespace fg::store::detail
