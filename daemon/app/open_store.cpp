// Which store the config names: PostgreSQL (storage.url) or SQLite (storage.path).

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "app/common.hpp"

namespace fg::app {

Result<std::unique_ptr<store::Store>> open_store(const config::StorageOptions& storage) {
  if (storage.url.empty()) return store::open_sqlite_store(storage.path);
  store::PostgresOptions options;
  options.password_file = storage.password_file;
  options.pool = storage.pool;
  return store::open_postgres_store(storage.url, options);
}

std::string body_dir(const config::StorageOptions& storage) {
  namespace fs = std::filesystem;
  const char* state = std::getenv("STATE_DIRECTORY");  // "DIR[:DIR...]" under systemd
  if (!storage.url.empty() && state != nullptr && *state != '\0') {
    const std::string first(state, std::strcspn(state, ":"));
    return (fs::path(first) / "bodies").string();
  }
  return (fs::path(storage.path).parent_path() / "bodies").string();
}

std::string store_name(const config::StorageOptions& storage) {
  return storage.url.empty() ? storage.path : storage.url;
}

}  // namespace fg::app
