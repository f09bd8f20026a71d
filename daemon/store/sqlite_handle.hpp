#pragma once
// Private to the store: RAII owners for sqlite3* and sqlite3_stmt*, and a transaction guard.
// Kept out of store.hpp so that no other module sees sqlite3.h.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fg::store::detail {

struct DbCloser {
  // close_v2 defers the close until every statement is finalized, so order never crashes.
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

// One prepared statement. Bind errors are remembered and reported by the next step(), so
// callers check one return code instead of one per bind.
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

  bool valid() const { return stmt_ != nullptr; }

  // Parameters are 1-based, as in SQL (?1, ?2, ...). Text is copied (SQLITE_TRANSIENT).
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  void bind(int index, std::optional<std::int64_t> value);  // nullopt binds NULL

  // SQLITE_ROW, SQLITE_DONE, or an error code (a remembered bind error comes first).
  int step();
  // Ready to bind and step again; releases any read snapshot the statement held.
  void reset();

  // Columns are 0-based, as in sqlite3_column_*.
  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;  // byte-exact, embedded NULs included

 private:
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> stmt_;
  int bind_error_ = SQLITE_OK;
};

// Prepares sql on db; an invalid Statement when it fails (sqlite3_errmsg(db) says why).
Statement prepare(sqlite3* db, std::string_view sql);

// Runs one or more statements that return no rows needed; returns the SQLite result code.
int exec(sqlite3* db, const std::string& sql);

// BEGIN IMMEDIATE on begin(); ROLLBACK in the destructor unless commit() succeeded, so every
// early return leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  int begin();
  int commit();

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace fg::store::detail
