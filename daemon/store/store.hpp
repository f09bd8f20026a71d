#pragma once
// What feedgate keeps: items per feed, poll outcomes, HTTP validators. open_sqlite_store gives
// the embedded SQLite (WAL) store, open_postgres_store the one several instances can share.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/article.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "store/cluster.hpp"

namespace fg::store {

struct StoredItem {
  Article article;
  Timestamp first_seen{};  // when feedgate first stored it
  Timestamp updated{};     // when its stored content last changed
  std::int64_t seq = 0;    // 1, 2, ... in the order the feed's items were stored
};

// The lowest and highest seq of a feed's stored items; both 0 when it has none.
struct SeqRange {
  std::int64_t first = 0, last = 0;
};

// One poll of one feed, as shown on the status page.
struct PollRecord {
  Timestamp started{};
  std::chrono::milliseconds duration{0};
  bool ok = false;
  int http_status = 0;  // of the list page; 0 when no response
  int new_items = 0;
  int articles_fetched = 0;
  std::uint64_t bytes = 0;  // bodies fetched (list and articles), after decompression
  std::string error;        // empty when ok
};

// ETag / Last-Modified of the last response read under one key: the caller's, not just a URL
// (pipeline keys list pages by URL, feed and link rules, so a 304 is only trusted by the reading
// that saw the page before).
struct UrlValidators {
  std::string etag;
  std::string last_modified;
};

// A WebSub subscription: `callback` receives `topic` (one of this server's feed URLs, with the
// query of a shaped variant) each time it changes, until `expires`.
struct Subscription {
  std::string topic;
  std::string callback;
  std::string feed_id;  // the feed whose changes the topic follows
  std::string secret;   // HMAC key of the deliveries; empty: unsigned
  Timestamp expires{};
  Timestamp created{};  // when first verified; kept when renewed
  friend bool operator==(const Subscription&, const Subscription&) = default;
};

class Store {
 public:
  virtual ~Store() = default;

  // The subset of `urls` already stored for feed_id.
  virtual Result<std::set<std::string>> known_urls(const std::string& feed_id,
                                                   const std::vector<std::string>& urls) = 0;

  // In one transaction: inserts new articles, updates changed ones (unchanged ones are left
  // alone, their `updated` untouched), then keeps only the `keep` most recently stored items of
  // the feed (highest seq). New items of one commit are numbered oldest first (published time,
  // else later in the list is older). Returns the number of items inserted or changed.
  virtual Result<int> commit_items(const std::string& feed_id, const std::vector<Article>& items,
                                   int keep, Timestamp now) = 0;

  // Newest first (published time, else first_seen), at most `limit`.
  virtual Result<std::vector<StoredItem>> items(const std::string& feed_id, int limit) = 0;
  virtual Result<int> count_items(const std::string& feed_id) = 0;
  // Items with first <= seq <= last, newest first (published time, else first_seen).
  virtual Result<std::vector<StoredItem>> items_by_seq(const std::string& feed_id,
                                                       std::int64_t first, std::int64_t last) = 0;
  virtual Result<SeqRange> seq_range(const std::string& feed_id) = 0;

  virtual Result<void> record_poll(const std::string& feed_id, const PollRecord& poll) = 0;
  // The latest poll, and the latest failed one (if any).
  virtual Result<std::optional<PollRecord>> last_poll(const std::string& feed_id) = 0;
  virtual Result<std::optional<PollRecord>> last_failure(const std::string& feed_id) = 0;
  // The latest successful poll (if any).
  virtual Result<std::optional<PollRecord>> last_success(const std::string& feed_id) = 0;
  // The latest polls (at most `limit`, newest first), for the status page's history.
  virtual Result<std::vector<PollRecord>> recent_polls(const std::string& feed_id, int limit) = 0;

  // Validators saved under `key` (see UrlValidators), if any.
  virtual Result<std::optional<UrlValidators>> validators(const std::string& key) = 0;
  virtual Result<void> save_validators(const std::string& key, const UrlValidators& v) = 0;

  // What instances sharing this store coordinate through (store/cluster.hpp); null for a store
  // only one process uses (SQLite). Lives as long as the store.
  virtual ClusterBook* cluster() { return nullptr; }

  // Stores the subscription of (topic, callback), or renews it (secret, feed and expiry replaced,
  // `created` kept).
  virtual Result<void> save_subscription(const Subscription& s) = 0;
  // Removes the subscription of (topic, callback); false when there was none.
  virtual Result<bool> remove_subscription(const std::string& topic,
                                           const std::string& callback) = 0;
  // Every subscription not expired at `now` (expires > now), by topic then callback.
  virtual Result<std::vector<Subscription>> subscriptions(Timestamp now) = 0;
  // Removes the subscriptions expired at `now` (expires <= now); how many there were.
  virtual Result<int> expire_subscriptions(Timestamp now) = 0;
};

struct SqliteOptions {
  // PRAGMA synchronous in WAL mode: false = NORMAL (a power loss may lose the last commits,
  // never corrupt the file), true = FULL (every commit is flushed; tests/bench/store measures it).
  bool synchronous_full = false;
};

// Opens (creating if needed, with parent directories) and migrates a SQLite store.
// Safe to use from several threads (calls are serialized).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const SqliteOptions& options = {});

// The schema version this build writes.
int sqlite_schema_version();

struct PostgresOptions {
  // A file in .pgpass format with the password; empty: libpq's PGPASSFILE or ~/.pgpass.
  std::string password_file;
  int pool = 4;  // connections at most, opened as calls need them
  // Every statement is cancelled after this long, and the call fails with the server's reason.
  std::chrono::milliseconds statement_timeout{30'000};
};

// Connects to PostgreSQL at `url` (a libpq URI: "postgresql://USER@HOST:PORT/DB") and migrates
// its schema, under an advisory lock so that instances starting together migrate once. Safe to
// use from several threads (each call borrows a pooled connection). A lost connection fails the
// calls that needed it; the next call connects again.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url,
                                                   const PostgresOptions& options = {});

// The PostgreSQL schema version this build writes.
int postgres_schema_version();

// What copy_sqlite_to_postgres copied.
struct MigrationCounts {
  std::int64_t items = 0, polls = 0, validators = 0, subscriptions = 0, feeds = 0;
};

// Copies the SQLite store at `sqlite_path` into the PostgreSQL database at `url`, which must hold
// no items, polls, validators or subscriptions yet: every item keeps its seq, first_seen, updated
// and content hash, polls keep their order, WebSub subscribers keep their secrets and expiry. One
// transaction, committed only when the row counts (and each feed's item count and seq range)
// agree on both sides.
Result<MigrationCounts> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                                const std::string& url,
                                                const PostgresOptions& options = {});

}  // namespace fg::store
