#include "store/sqlite_handle.hpp"

namespace fg::store::detail {

void Statement::bind(int index, std::string_view text) {
  // A string_view of an empty std::string may have a null data(); SQLite would bind NULL then.
  static const char kEmpty[] = "";
  const char* data = text.data() != nullptr ? text.data() : kEmpty;
  int rc =
      sqlite3_bind_text64(stmt_.get(), index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

void Statement::bind(int index, std::optional<std::int64_t> value) {
  if (value) return bind(index, *value);
  int rc = sqlite3_bind_null(stmt_.get(), index);
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

int Statement::step() {
  if (bind_error_ != SQLITE_OK) return bind_error_;
  return sqlite3_step(stmt_.get());
}

void Statement::reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_error_ = SQLITE_OK;
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string Statement::text(int column) const {
  // column_text before column_bytes: the documented order that yields the UTF-8 length.
  const unsigned char* data = sqlite3_column_text(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  if (data == nullptr || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

Statement prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Statement{};
  }
  return Statement{stmt};
}

int exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

Transaction::~Transaction() {
  if (open_) exec(db_, "ROLLBACK");
}

int Transaction::begin() {
  // IMMEDIATE takes the write lock now, so a busy database fails here (after busy_timeout)
  // rather than halfway through the writes.
  int rc = exec(db_, "BEGIN IMMEDIATE");
  open_ = rc == SQLITE_OK;
  return rc;
}

int Transaction::commit() {
  int rc = exec(db_, "COMMIT");
  if (rc == SQLITE_OK) open_ = false;
  return rc;
}

}  // namespace fg::store::detail
