#pragma once
// Private to the store: the SQLite implementation of Store, one connection, every call
// serialized by a mutex. Its methods live by table: sqlite_items.cpp, sqlite_polls.cpp,
// sqlite_validators.cpp, sqlite_subscriptions.cpp; opening it is in sqlite_store.cpp.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite_handle.hpp"
#include "store/store.hpp"

namespace fg::store::detail {

// Timestamps are stored as whole seconds since the epoch.
inline std::int64_t seconds(Timestamp t) {
  return t.time_since_epoch().count();
}
inline Timestamp timestamp(std::int64_t s) {
  return Timestamp{std::chrono::seconds{s}};
}

class SqliteStore final : public Store {
 public:
  SqliteStore(detail::DbHandle db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Result<std::set<std::string>> known_urls(const std::string& feed_id,
                                           const std::vector<std::string>& urls) override;
  Result<int> commit_items(const std::string& feed_id, const std::vector<Article>& items,
                           int max_items, Timestamp now) override;
  Result<std::vector<StoredItem>> items(const std::string& feed_id, int limit) override;
  Result<int> count_items(const std::string& feed_id) override;
  Result<std::vector<StoredItem>> items_by_seq(const std::string& feed_id, std::int64_t first,
                                               std::int64_t last) override;
  Result<SeqRange> seq_range(const std::string& feed_id) override;
  Result<void> record_poll(const std::string& feed_id, const PollRecord& poll) override;
  Result<std::optional<PollRecord>> last_poll(const std::string& feed_id) override;
  Result<std::optional<PollRecord>> last_failure(const std::string& feed_id) override;
  Result<std::optional<PollRecord>> last_success(const std::string& feed_id) override;
  Result<std::vector<PollRecord>> recent_polls(const std::string& feed_id, int limit) override;
  Result<std::optional<UrlValidators>> validators(const std::string& key) override;
  Result<void> save_validators(const std::string& key, const UrlValidators& v) override;
  Result<void> save_subscription(const Subscription& s) override;
  Result<bool> remove_subscription(const std::string& topic, const std::string& callback) override;
  Result<std::vector<Subscription>> subscriptions(Timestamp now) override;
  Result<int> expire_subscriptions(Timestamp now) override;

 private:
  // An Errc::storage error naming the database file, with SQLite's own explanation.
  Error fail(const std::string& what) const {
    return make_error(Errc::storage, what + ": " + sqlite3_errmsg(db_.get()), path_);
  }
  Result<int> write_items(const std::string& feed_id, const std::vector<Article>& items,
                          Timestamp now);
  Result<void> trim_items(const std::string& feed_id, int keep);
  Result<std::vector<StoredItem>> select_items(const std::string& feed_id, std::string_view where,
                                               std::int64_t a, std::int64_t b);
  Result<std::optional<PollRecord>> one_poll(const std::string& feed_id, std::string_view where);

  std::mutex mutex_;
  detail::DbHandle db_;
  std::string path_;
};

}  // namespace fg::store::detail
