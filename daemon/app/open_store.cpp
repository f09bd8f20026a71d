// Which store the config names: PostgreSQL (storage.url) or SQLite (storage.path).

#include "app/common.hpp"

namespace fg::app {

Result<std::unique_ptr<store::Store>> open_store(const config::StorageOptions& storage) {
  if (storage.url.empty()) return store::open_sqlite_store(storage.path);
  store::PostgresOptions options;
  options.password_file = storage.password_file;
  options.pool = storage.pool;
  return store::open_postgres_store(storage.url, options);
}

std::string store_name(const config::StorageOptions& storage) {
  return storage.url.empty() ? storage.path : storage.url;
}

}  // namespace fg::app
