#pragma once
// Private to the store: RAII owners for libpq's PGconn and PGresult, text-format parameters,
// and a transaction guard. Kept out of store.hpp so that no other module sees libpq-fe.h.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace fg::store::detail {

struct PgConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct PgResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};

// One statement's outcome. Values arrive in text format; rows and columns are 0-based.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}

  // The statement ran (a command, or a query with its rows).
  bool ok() const;
  int rows() const { return result_ ? PQntuples(result_.get()) : 0; }
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::int64_t int64(int row, int column) const;  // 0 for NULL or non-numeric text
  bool boolean(int row, int column) const;        // PostgreSQL's "t"
  // The server's primary message (or libpq's, when no result came back); empty when ok().
  std::string error() const;
  // "COMMIT", "INSERT 0 1", ...: what the server says it did.
  std::string command_tag() const;
  // The five-character SQLSTATE ("57014": statement timeout), empty when there is none.
  std::string sqlstate() const;

 private:
  std::unique_ptr<PGresult, PgResultClearer> result_;
};

// Statement parameters in text format ($1, $2, ... in the order added); nullopt sends NULL.
class PgParams {
 public:
  PgParams& add(std::string_view text);
  PgParams& add(std::int64_t value);
  PgParams& add(std::optional<std::int64_t> value);
  PgParams& add(bool value);
  // A text[] literal of `items` ({"a","b\"c"}), for `= ANY($n::text[])`.
  PgParams& add_text_array(const std::vector<std::string>& items);

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into this object, valid while it lives and is not changed.
  std::vector<const char*> pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// One connection to PostgreSQL. Not thread-safe: the pool hands it to one caller at a time.
class PgConnection {
 public:
  // Connects to `url` (a libpq URI or key=value string); `password_file` overrides libpq's
  // PGPASSFILE/~/.pgpass when not empty. `where` names the database in errors.
  static Result<PgConnection> connect(const std::string& url, const std::string& password_file,
                                      const std::string& where);

  // Simple-query protocol: one or more statements, no parameters.
  PgResult exec(const std::string& sql);
  // Extended protocol with parameters (unnamed statement).
  PgResult query(const std::string& sql, const PgParams& params);
  // Prepares `sql` as `name` on this connection; runs a prepared statement.
  PgResult prepare(const std::string& name, const std::string& sql);
  PgResult run(const std::string& name, const PgParams& params);

  // Waits up to `timeout_ms` for NOTIFY messages on a connection that ran LISTEN; returns their
  // payloads (empty on timeout), or nullopt when the connection is lost.
  std::optional<std::vector<std::string>> notifications(int timeout_ms);

  // The connection is up and not inside a transaction.
  bool idle() const;
  bool broken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  std::unique_ptr<PGconn, PgConnCloser> conn_;
};

// BEGIN on begin(); ROLLBACK in the destructor unless commit() succeeded, so every early return
// leaves the database as it was.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& conn) : conn_(conn) {}
  ~PgTransaction();
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;

  PgResult begin();
  // Empty when committed; else why not (a transaction that had failed is rolled back instead).
  std::string commit();

 private:
  PgConnection& conn_;
  bool open_ = false;
};

// The URL with any password in it replaced by "***", for messages and logs.
std::string redact_url(std::string_view url);

}  // namespace fg::store::detail
