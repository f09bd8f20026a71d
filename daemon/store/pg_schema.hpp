#pragma once
// Private to the store: the PostgreSQL schema and its versioned migrations.

#include <string>

#include "core/result.hpp"
#include "store/pg_handle.hpp"

namespace fg::store::detail {

// Brings the database to the schema version this build writes, under a session advisory lock,
// so that instances starting together migrate once and the others wait and find it done.
// A database newer than this build is refused. `where` names the database in errors.
Result<void> migrate_postgres(PgConnection& conn, const std::string& where);

// The version recorded in feedgate_schema; 0 for a database feedgate never migrated, -1 when
// it cannot be read.
int read_postgres_schema_version(PgConnection& conn);

}  // namespace fg::store::detail
