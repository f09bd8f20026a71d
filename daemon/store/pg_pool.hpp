#pragma once
// Private to the store: a small pool of PostgreSQL connections shared by the poller threads and
// the server. Each connection is set up once (session settings, prepared statements) when it is
// opened; a connection found broken is dropped and a fresh one opened on the next acquire.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/pg_handle.hpp"

namespace fg::store::detail {

class PgPool;

// A connection on loan; returned to the pool when the lease ends.
class PgLease {
 public:
  PgLease(PgPool& pool, std::unique_ptr<PgConnection> conn)
      : pool_(&pool), conn_(std::move(conn)) {}
  PgLease(PgLease&& other) noexcept = default;
  PgLease& operator=(PgLease&&) = delete;
  ~PgLease();

  PgConnection& operator*() const { return *conn_; }
  PgConnection* operator->() const { return conn_.get(); }

 private:
  PgPool* pool_;
  std::unique_ptr<PgConnection> conn_;
};

struct PgPoolOptions {
  std::string url;
  std::string password_file;
  std::string where;  // the database as named in errors (the URL without a password)
  int size = 4;
  // Runs on every new connection before it is lent; a failure closes it.
  std::function<Result<void>(PgConnection&)> setup;
};

class PgPool {
 public:
  explicit PgPool(PgPoolOptions options) : options_(std::move(options)) {}

  // A connection, waiting while all `size` are lent out; opens one when fewer exist.
  Result<PgLease> acquire();

 private:
  friend class PgLease;
  void give_back(std::unique_ptr<PgConnection> conn);

  PgPoolOptions options_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // connections in existence, idle or lent
};

}  // namespace fg::store::detail
