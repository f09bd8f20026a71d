#pragma once
// Private to the store: opening the SQLite file, its pragmas, and the schema migrations.

#include <string>

#include "core/result.hpp"
#include "store/sqlite_handle.hpp"

namespace fg::store::detail {

// Creates the parent directories, opens (or creates) the database at path, sets WAL and the
// other connection pragmas, and migrates the schema to the version this build writes.
// synchronous_full: PRAGMA synchronous=FULL instead of NORMAL.
Result<DbHandle> open_database(const std::string& path, bool synchronous_full = false);

// PRAGMA user_version of an open database; -1 when it cannot be read.
int read_schema_version(sqlite3* db);

}  // namespace fg::store::detail
