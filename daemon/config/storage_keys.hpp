#pragma once
// Internal to the config module: the `storage` section (SQLite path, or a PostgreSQL URL with its
// password file and pool size).

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace fg::config::detail {

// Reads `storage:` into `out`; a URL carrying a password, or both `path` and `url`, is a problem.
// Relative paths are resolved against the config file.
void read_storage(Reporter& r, const Entry& section, StorageOptions& out);

}  // namespace fg::config::detail
