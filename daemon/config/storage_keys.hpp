#pragma once
// Internal to the config module: the `storage` section (SQLite path, or a PostgreSQL URL with its
// password file and pool size) and the `websub` section (the hub's caps and leases).

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace fg::config::detail {

// Reads `storage:` into `out`; a URL carrying a password, or both `path` and `url`, is a problem.
// Relative paths are resolved against the config file.
void read_storage(Reporter& r, const Entry& section, StorageOptions& out);

// Reads `websub:` into `out`; min_lease <= lease <= max_lease is checked.
void read_websub(Reporter& r, const Entry& section, WebSubOptions& out);

}  // namespace fg::config::detail
