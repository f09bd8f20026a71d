#include "store/pg_pool.hpp"

namespace fg::store::detail {

PgLease::~PgLease() {
  if (pool_ != nullptr && conn_) pool_->give_back(std::move(conn_));
}

Result<PgLease> PgPool::acquire() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < options_.size; });
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      return PgLease(*this, std::move(conn));
    }
    ++open_;  // reserve the slot; connecting happens outside the lock
  }
  auto connected = PgConnection::connect(options_.url, options_.password_file, options_.where);
  Result<void> ready = connected ? (options_.setup ? options_.setup(*connected) : Result<void>{})
                                 : Result<void>{connected.error()};
  if (!ready) {
    std::lock_guard lock(mutex_);
    --open_;
    returned_.notify_one();
    return ready.error();
  }
  return PgLease(*this, std::make_unique<PgConnection>(std::move(*connected)));
}

void PgPool::give_back(std::unique_ptr<PgConnection> conn) {
  // A connection left inside a transaction (or lost) is not lent again as it is.
  if (!conn->broken() && !conn->idle()) conn->exec("ROLLBACK");
  std::lock_guard lock(mutex_);
  if (conn->idle()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // dropped; the next acquire opens a fresh one
  }
  returned_.notify_one();
}

}  // namespace fg::store::detail
