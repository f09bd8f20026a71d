// The PostgreSQL implementation of Store: a pool of connections, each with every statement
// prepared; commits to one feed serialized by a transaction-scoped advisory lock.

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string_view>

#include "store/content_hash.hpp"
#include "store/fresh_items.hpp"
#include "store/pg_cluster.hpp"
#include "store/pg_pool.hpp"
#include "store/pg_schema.hpp"
#include "store/pg_statements.hpp"
#include "store/store.hpp"

namespace fg::store {

namespace {

using detail::PgLease;
using detail::PgParams;
using detail::PgResult;
namespace pg = detail::pg;

class PgStore final : public Store {
 public:
  PgStore(detail::PgPoolOptions options)
      : where_(options.where),
        url_(options.url),
        password_file_(options.password_file),
        tag_(detail::new_notify_tag()),
        pool_(std::move(options)),
        cluster_(detail::make_pg_cluster_book(pool_, where_, url_, password_file_, tag_)) {}

  Result<std::set<std::string>> known_urls(const std::string& feed_id,
                                           const std::vector<std::string>& urls) override;
  Result<int> commit_items(const std::string& feed_id, const std::vector<Article>& items, int keep,
                           Timestamp now) override;
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
  ClusterBook* cluster() override { return cluster_.get(); }
  Result<void> save_subscription(const Subscription& s) override;
  Result<bool> remove_subscription(const std::string& topic, const std::string& callback) override;
  Result<std::vector<Subscription>> subscriptions(Timestamp now) override;
  Result<int> expire_subscriptions(Timestamp now) override;

 private:
  // An Errc::storage error naming the database, with the server's own explanation.
  Error fail(const std::string& what, const std::string& why) const {
    return make_error(Errc::storage, what + ": " + why, where_);
  }
  Error fail(const std::string& what, const PgResult& r) const { return fail(what, r.error()); }
  // Runs one prepared statement on a pooled connection; errors name `what`.
  Result<PgResult> run(const std::string& what, const char* statement, const PgParams& params);
  Result<int> write_items(PgLease& conn, const std::string& feed_id,
                          const std::vector<Article>& items, Timestamp now);
  Result<std::vector<StoredItem>> read_items(const std::string& feed_id, const char* statement,
                                             const PgParams& params);
  Result<std::optional<PollRecord>> one_poll(const std::string& feed_id, const char* statement);

  std::string where_;
  std::string url_;
  std::string password_file_;
  std::string tag_;  // in this store's NOTIFY payloads (pg_cluster.hpp)
  detail::PgPool pool_;
  std::unique_ptr<ClusterBook> cluster_;  // on pool_
};

Result<PgResult> PgStore::run(const std::string& what, const char* statement,
                              const PgParams& params) {
  auto conn = pool_.acquire();
  if (!conn) return fail(what, conn.error().message);
  PgResult r = (*conn)->run(statement, params);
  if (!r.ok()) return fail(what, r);
  return r;
}

Result<std::set<std::string>> PgStore::known_urls(const std::string& feed_id,
                                                  const std::vector<std::string>& urls) {
  auto r = run("cannot look up stored URLs of feed " + feed_id, pg::kKnownUrls,
               PgParams().add(feed_id).add_text_array(urls));
  if (!r) return r.error();
  std::set<std::string> known;
  for (int row = 0; row < r->rows(); ++row) known.insert(r->text(row, 0));
  return known;
}

Result<int> PgStore::commit_items(const std::string& feed_id, const std::vector<Article>& items,
                                  int keep, Timestamp now) {
  // Validate everything before writing anything: a refused commit stores nothing.
  if (keep < 1) {
    return make_error(Errc::invalid_argument,
                      "keep_items is " + std::to_string(keep) + "; it must be at least 1", feed_id);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].url.empty()) {
      return make_error(Errc::invalid_argument,
                        "item " + std::to_string(i + 1) + " of " + std::to_string(items.size()) +
                            " has an empty URL; nothing was stored",
                        feed_id);
    }
  }
  const std::string what = "cannot store items of feed " + feed_id;
  auto conn = pool_.acquire();
  if (!conn) return fail(what, conn.error().message);
  detail::PgTransaction tx(**conn);
  if (auto r = tx.begin(); !r.ok()) return fail(what, r);
  if (auto r = (*conn)->run(pg::kLockFeed, PgParams().add(feed_id)); !r.ok()) return fail(what, r);
  Result<int> changed = write_items(*conn, feed_id, items, now);
  if (!changed) return changed.error();  // tx rolls back
  auto trimmed = (*conn)->run(pg::kTrimItems, PgParams().add(feed_id).add(std::int64_t{keep}));
  if (!trimmed.ok()) return fail("cannot trim items of feed " + feed_id, trimmed);
  // Other instances re-render the feed when this commits (a rollback notifies nobody); one that
  // misses the notification sees the feed's version move (ClusterBook::item_versions).
  if (*changed > 0) {
    auto version = (*conn)->run(pg::kBumpItemsVersion, PgParams().add(feed_id).add(tag_));
    if (!version.ok()) return fail(what, version);
    const std::string payload = tag_ + " " + std::to_string(version.int64(0, 0)) + " " + feed_id;
    auto notified = (*conn)->run(pg::kNotifyItems, PgParams().add(payload));
    if (!notified.ok()) return fail(what, notified);
  }
  if (auto error = tx.commit(); !error.empty()) {
    return fail("cannot commit items of feed " + feed_id, error);
  }
  return changed;
}

// Inside commit_items' transaction. A URL listed twice is stored once, from its first
// occurrence. An item trimmed away earlier and listed again is inserted again as new.
Result<int> PgStore::write_items(PgLease& conn, const std::string& feed_id,
                                 const std::vector<Article>& items, Timestamp now) {
  const std::string what = "cannot store items of feed " + feed_id;
  std::vector<std::string> urls;
  urls.reserve(items.size());
  for (const Article& a : items) urls.push_back(a.url);
  PgResult stored = conn->run(pg::kItemHashes, PgParams().add(feed_id).add_text_array(urls));
  if (!stored.ok()) return fail(what, stored);
  std::map<std::string, std::string, std::less<>> hashes;
  for (int row = 0; row < stored.rows(); ++row) hashes[stored.text(row, 0)] = stored.text(row, 1);

  std::set<std::string_view> seen;
  detail::FreshItems fresh;
  int changed = 0;
  for (const Article& a : items) {
    if (!seen.insert(a.url).second) continue;
    std::string hash = detail::content_hash(a);
    auto found = hashes.find(a.url);
    if (found == hashes.end()) {
      fresh.emplace_back(&a, std::move(hash));
      continue;
    }
    if (found->second == hash) continue;  // unchanged: leave it alone
    PgResult r = conn->run(pg::kUpdateItem, detail::item_params(feed_id, a, hash, now));
    if (!r.ok()) return fail(what + " (" + a.url + ")", r);
    ++changed;
  }
  detail::order_oldest_first(fresh, now);
  PgResult last = conn->run(pg::kLastSeq, PgParams().add(feed_id));
  if (!last.ok() || last.rows() != 1) return fail(what, last);
  std::int64_t seq = last.int64(0, 0);
  for (const auto& [a, hash] : fresh) {
    PgParams params = detail::item_params(feed_id, *a, hash, now);
    PgResult r = conn->run(pg::kInsertItem, params.add(++seq));
    if (!r.ok()) return fail(what + " (" + a->url + ")", r);
    ++changed;
  }
  return changed;
}

Result<std::vector<StoredItem>> PgStore::read_items(const std::string& feed_id,
                                                    const char* statement, const PgParams& params) {
  auto r = run("cannot read items of feed " + feed_id, statement, params);
  if (!r) return r.error();
  std::vector<StoredItem> out;
  out.reserve(static_cast<std::size_t>(r->rows()));
  for (int row = 0; row < r->rows(); ++row) out.push_back(detail::read_pg_item(*r, row));
  return out;
}

Result<std::vector<StoredItem>> PgStore::items(const std::string& feed_id, int limit) {
  if (limit < 0) {
    return make_error(Errc::invalid_argument,
                      "item limit is " + std::to_string(limit) + "; it must not be negative",
                      feed_id);
  }
  return read_items(feed_id, pg::kNewestItems, PgParams().add(feed_id).add(std::int64_t{limit}));
}

Result<std::vector<StoredItem>> PgStore::items_by_seq(const std::string& feed_id,
                                                      std::int64_t first, std::int64_t last) {
  return read_items(feed_id, pg::kItemsBySeq, PgParams().add(feed_id).add(first).add(last));
}

Result<SeqRange> PgStore::seq_range(const std::string& feed_id) {
  auto r =
      run("cannot read the item range of feed " + feed_id, pg::kSeqRange, PgParams().add(feed_id));
  if (!r) return r.error();
  return SeqRange{r->int64(0, 0), r->int64(0, 1)};
}

Result<int> PgStore::count_items(const std::string& feed_id) {
  auto r = run("cannot count items of feed " + feed_id, pg::kCountItems, PgParams().add(feed_id));
  if (!r) return r.error();
  return static_cast<int>(r->int64(0, 0));
}

Result<void> PgStore::record_poll(const std::string& feed_id, const PollRecord& poll) {
  PgParams params;
  params.add(feed_id).add(detail::epoch_seconds(poll.started));
  params.add(std::int64_t{poll.duration.count()}).add(poll.ok);
  params.add(std::int64_t{poll.http_status}).add(std::int64_t{poll.new_items});
  params.add(std::int64_t{poll.articles_fetched}).add(poll.error);
  params.add(static_cast<std::int64_t>(poll.bytes));
  // Inserted with the feed's oldest polls trimmed (they only grow the table), in one statement.
  auto r = run("cannot record a poll of feed " + feed_id, pg::kRecordPoll, params);
  if (!r) return r.error();
  return {};
}

Result<std::optional<PollRecord>> PgStore::one_poll(const std::string& feed_id,
                                                    const char* statement) {
  auto r = run("cannot read polls of feed " + feed_id, statement, PgParams().add(feed_id));
  if (!r) return r.error();
  if (r->rows() == 0) return std::optional<PollRecord>{};
  return std::optional<PollRecord>{detail::read_pg_poll(*r, 0)};
}

Result<std::optional<PollRecord>> PgStore::last_poll(const std::string& feed_id) {
  return one_poll(feed_id, pg::kLastPoll);
}

Result<std::optional<PollRecord>> PgStore::last_failure(const std::string& feed_id) {
  return one_poll(feed_id, pg::kLastFailure);
}

Result<std::optional<PollRecord>> PgStore::last_success(const std::string& feed_id) {
  return one_poll(feed_id, pg::kLastSuccess);
}

Result<std::vector<PollRecord>> PgStore::recent_polls(const std::string& feed_id, int limit) {
  auto r = run("cannot read polls of feed " + feed_id, pg::kRecentPolls,
               PgParams().add(feed_id).add(std::int64_t{limit}));
  if (!r) return r.error();
  std::vector<PollRecord> polls;
  for (int row = 0; row < r->rows(); ++row) polls.push_back(detail::read_pg_poll(*r, row));
  return polls;
}

Result<std::optional<UrlValidators>> PgStore::validators(const std::string& url) {
  auto r = run("cannot read validators of " + url, pg::kValidators, PgParams().add(url));
  if (!r) return r.error();
  if (r->rows() == 0) return std::optional<UrlValidators>{};
  return std::optional<UrlValidators>{UrlValidators{r->text(0, 0), r->text(0, 1)}};
}

Result<void> PgStore::save_validators(const std::string& url, const UrlValidators& v) {
  auto r = run("cannot save validators of " + url, pg::kSaveValidators,
               PgParams()
                   .add(url)
                   .add(v.etag)
                   .add(v.last_modified)
                   .add(detail::epoch_seconds(now_seconds())));
  if (!r) return r.error();
  return {};
}

Result<void> PgStore::save_subscription(const Subscription& s) {
  PgParams params;
  params.add(s.topic).add(s.callback).add(s.feed_id).add(s.secret);
  params.add(detail::epoch_seconds(s.expires)).add(detail::epoch_seconds(s.created));
  auto r = run("cannot save the subscription of " + s.callback + " to " + s.topic,
               pg::kSaveSubscription, params);
  if (!r) return r.error();
  return {};
}

Result<bool> PgStore::remove_subscription(const std::string& topic, const std::string& callback) {
  auto r = run("cannot remove the subscription of " + callback + " to " + topic,
               pg::kRemoveSubscription, PgParams().add(topic).add(callback));
  if (!r) return r.error();
  return r->command_tag() != "DELETE 0";
}

Result<std::vector<Subscription>> PgStore::subscriptions(Timestamp now) {
  auto r = run("cannot read subscriptions", pg::kSubscriptions,
               PgParams().add(detail::epoch_seconds(now)));
  if (!r) return r.error();
  std::vector<Subscription> out;
  for (int row = 0; row < r->rows(); ++row) {
    out.push_back(Subscription{r->text(row, 0), r->text(row, 1), r->text(row, 2), r->text(row, 3),
                               detail::from_epoch_seconds(r->int64(row, 4)),
                               detail::from_epoch_seconds(r->int64(row, 5))});
  }
  return out;
}

Result<int> PgStore::expire_subscriptions(Timestamp now) {
  auto r = run("cannot remove expired subscriptions", pg::kExpireSubscriptions,
               PgParams().add(detail::epoch_seconds(now)));
  if (!r) return r.error();
  const std::string tag = r->command_tag();  // "DELETE N"
  return std::atoi(tag.c_str() + std::min<std::size_t>(tag.size(), 7));
}

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url,
                                                   const PostgresOptions& options) {
  const std::string where = detail::redact_url(url);
  if (url.empty())
    return make_error(Errc::invalid_argument, "empty PostgreSQL URL; set storage.url");
  if (options.pool < 1) {
    return make_error(Errc::invalid_argument,
                      "pool is " + std::to_string(options.pool) + "; it must be at least 1", where);
  }
  try {
    detail::PgPoolOptions pool;
    pool.url = url;
    pool.password_file = options.password_file;
    pool.where = where;
    pool.size = options.pool;
    const auto timeout = options.statement_timeout;
    pool.setup = [timeout, where](detail::PgConnection& conn) {
      return detail::set_up_connection(conn, timeout, where);
    };
    // The first connection migrates before any statement is prepared against the tables.
    {
      auto first = detail::PgConnection::connect(url, options.password_file, where);
      if (!first) return first.error();
      if (auto r = detail::migrate_postgres(*first, where); !r) return r.error();
    }
    auto store = std::make_unique<PgStore>(std::move(pool));
    return std::unique_ptr<Store>(std::move(store));
  } catch (const std::exception& e) {  // bad_alloc: never past the module boundary
    return make_error(Errc::storage, std::string("cannot open database: ") + e.what(), where);
  }
}

}  // namespace fg::store
