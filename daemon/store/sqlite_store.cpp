// Opening the SQLite implementation of Store (its methods live by table in sqlite_items.cpp,
// sqlite_polls.cpp and sqlite_validators.cpp).

#include "store/sqlite_store.hpp"

#include "store/sqlite_schema.hpp"
#include "store/store.hpp"

namespace fg::store {

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options) {
  try {
    Result<detail::DbHandle> db = detail::open_database(path, options.synchronous_full);
    if (!db) return db.error();
    return std::unique_ptr<Store>(std::make_unique<detail::SqliteStore>(std::move(*db), path));
  } catch (const std::exception& e) {  // bad_alloc, filesystem: never past the module boundary
    return make_error(Errc::storage, std::string("cannot open database: ") + e.what(), path);
  }
}

}  // namespace fg::store
