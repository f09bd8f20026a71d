#include "store/pg_statements.hpp"

#include <utility>
#include <vector>

#include "store/pg_cluster.hpp"
#include "store/stored_precision.hpp"

namespace fg::store::detail {

namespace {

// The columns read_pg_item expects, in its order.
#define FG_ITEM_COLUMNS                                                                    \
  "url, title, published_utc, published_offset_min, author, source, editor, content_html," \
  " text, first_seen, updated, published_precision, language, site_name, seq"
// Newest first: the items_newest_first index's order.
#define FG_NEWEST_FIRST " ORDER BY COALESCE(published_utc, first_seen) DESC, first_seen DESC, url"
#define FG_POLL_COLUMNS \
  "started, duration_ms, ok, http_status, new_items, articles_fetched, error, bytes"
#define FG_LATEST_POLL " ORDER BY started DESC, id DESC LIMIT 1"

// Polls kept per feed, as in the SQLite store: enough for the status page's history.
constexpr int kPollsKept = 500;

const std::vector<std::pair<const char*, std::string>>& statements() {
  static const std::vector<std::pair<const char*, std::string>> all = {
      {pg::kKnownUrls, "SELECT url FROM items WHERE feed_id = $1 AND url = ANY($2::text[])"},
      {pg::kItemHashes,
       "SELECT url, content_hash FROM items WHERE feed_id = $1 AND url = ANY($2::text[])"},
      // Commits to one feed take turns (seq is MAX + 1), whichever instance makes them.
      {pg::kLockFeed, "SELECT pg_advisory_xact_lock(1717986918, hashtext($1))"},
      {pg::kInsertItem,
       "INSERT INTO items(feed_id, url, title, published_utc, published_offset_min, author,"
       " source, editor, content_html, text, content_hash, first_seen, updated,"
       " published_precision, language, site_name, seq)"
       " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16)"},
      {pg::kUpdateItem,
       "UPDATE items SET title = $3, published_utc = $4, published_offset_min = $5, author = $6,"
       " source = $7, editor = $8, content_html = $9, text = $10, content_hash = $11,"
       " updated = $12, published_precision = $13, language = $14, site_name = $15"
       " WHERE feed_id = $1 AND url = $2"},
      {pg::kLastSeq, "SELECT COALESCE(MAX(seq), 0) FROM items WHERE feed_id = $1"},
      {pg::kTrimItems,
       "DELETE FROM items WHERE feed_id = $1"
       " AND seq <= (SELECT MAX(seq) FROM items WHERE feed_id = $1) - $2"},
      {pg::kNewestItems,
       "SELECT " FG_ITEM_COLUMNS " FROM items WHERE feed_id = $1" FG_NEWEST_FIRST " LIMIT $2"},
      {pg::kItemsBySeq, "SELECT " FG_ITEM_COLUMNS
                        " FROM items WHERE feed_id = $1 AND seq BETWEEN $2 AND $3" FG_NEWEST_FIRST},
      {pg::kSeqRange,
       "SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM items WHERE feed_id = $1"},
      {pg::kCountItems, "SELECT COUNT(*) FROM items WHERE feed_id = $1"},
      // One statement (so one round trip, atomic by itself): the DELETE sees the polls as they
      // were before the INSERT, so it keeps all but the newest kPollsKept - 1 of those.
      {pg::kRecordPoll,
       "WITH older AS (SELECT id FROM polls WHERE feed_id = $1 ORDER BY started DESC, id DESC"
       " OFFSET " +
           std::to_string(kPollsKept - 1) +
           "), trimmed AS (DELETE FROM polls WHERE id IN (SELECT id FROM older))"
           " INSERT INTO polls(feed_id, started, duration_ms, ok, http_status, new_items,"
           " articles_fetched, error, bytes) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)"},
      {pg::kLastPoll, "SELECT " FG_POLL_COLUMNS " FROM polls WHERE feed_id = $1" FG_LATEST_POLL},
      {pg::kLastFailure,
       "SELECT " FG_POLL_COLUMNS " FROM polls WHERE feed_id = $1 AND NOT ok" FG_LATEST_POLL},
      {pg::kLastSuccess,
       "SELECT " FG_POLL_COLUMNS " FROM polls WHERE feed_id = $1 AND ok" FG_LATEST_POLL},
      {pg::kRecentPolls, "SELECT " FG_POLL_COLUMNS
                         " FROM polls WHERE feed_id = $1 ORDER BY started DESC, id DESC LIMIT $2"},
      {pg::kValidators, "SELECT etag, last_modified FROM validators WHERE url = $1"},
      {pg::kSaveValidators,
       "INSERT INTO validators(url, etag, last_modified, saved) VALUES($1, $2, $3, $4)"
       " ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,"
       " last_modified = excluded.last_modified, saved = excluded.saved"},
      {pg::kNotifyItems, std::string("SELECT pg_notify('") + kItemsChannel + "', $1)"},
      {pg::kBumpItemsVersion,
       "INSERT INTO feed_changes(feed_id, version, tag) VALUES($1, 1, $2) ON CONFLICT(feed_id)"
       " DO UPDATE SET version = feed_changes.version + 1, tag = excluded.tag RETURNING version"},
      {pg::kSaveSubscription,
       "INSERT INTO subscriptions(topic, callback, feed_id, secret, expires, created)"
       " VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(topic, callback) DO UPDATE SET"
       " feed_id = excluded.feed_id, secret = excluded.secret, expires = excluded.expires"},
      {pg::kRemoveSubscription, "DELETE FROM subscriptions WHERE topic = $1 AND callback = $2"},
      {pg::kSubscriptions,
       "SELECT topic, callback, feed_id, secret, expires, created FROM subscriptions"
       " WHERE expires > $1 ORDER BY topic, callback"},
      {pg::kExpireSubscriptions, "DELETE FROM subscriptions WHERE expires <= $1"},
  };
  return all;
}

}  // namespace

std::int64_t epoch_seconds(Timestamp t) {
  return t.time_since_epoch().count();
}

Timestamp from_epoch_seconds(std::int64_t s) {
  return Timestamp{std::chrono::seconds{s}};
}

Result<void> set_up_connection(PgConnection& conn, std::chrono::milliseconds statement_timeout,
                               const std::string& where) {
  // Every statement is bounded, so a stuck lock or a slow server fails a call, never hangs it.
  const std::string settings =
      "SET statement_timeout = " + std::to_string(statement_timeout.count());
  if (auto r = conn.exec(settings); !r.ok()) {
    return make_error(Errc::storage, "cannot set statement_timeout: " + r.error(), where);
  }
  std::vector<std::pair<const char*, std::string>> all = statements();
  const auto& cluster = cluster_statements();
  all.insert(all.end(), cluster.begin(), cluster.end());
  const auto& hosts = host_statements();
  all.insert(all.end(), hosts.begin(), hosts.end());
  for (const auto& [name, sql] : all) {
    if (auto r = conn.prepare(name, sql); !r.ok()) {
      return make_error(Errc::storage,
                        std::string("cannot prepare ") + name + ": " + r.error() +
                            "; check the database schema is feedgate's",
                        where);
    }
  }
  return {};
}

PgParams item_params(const std::string& feed_id, const Article& a, const std::string& hash,
                     Timestamp now) {
  std::optional<std::int64_t> utc, offset;
  if (a.published) {
    utc = epoch_seconds(a.published->utc);
    offset = a.published->offset.count();
  }
  PgParams p;
  p.add(feed_id).add(a.url).add(a.title).add(utc).add(offset);
  p.add(a.author).add(a.source).add(a.editor).add(a.content_html).add(a.text);
  p.add(hash).add(epoch_seconds(now));
  p.add(static_cast<std::int64_t>(a.published ? a.published->precision : TimePrecision::time));
  p.add(a.language).add(a.site_name);
  return p;
}

StoredItem read_pg_item(const PgResult& r, int row) {
  StoredItem item;
  Article& a = item.article;
  a.url = r.text(row, 0);
  a.title = r.text(row, 1);
  if (!r.is_null(row, 2)) {
    a.published =
        PublishedTime{from_epoch_seconds(r.int64(row, 2)), std::chrono::minutes{r.int64(row, 3)}};
  }
  a.author = r.text(row, 4);
  a.source = r.text(row, 5);
  a.editor = r.text(row, 6);
  a.content_html = r.text(row, 7);
  a.text = r.text(row, 8);
  item.first_seen = from_epoch_seconds(r.int64(row, 9));
  item.updated = from_epoch_seconds(r.int64(row, 10));
  if (a.published) a.published->precision = precision_of(r.int64(row, 11));
  a.language = r.text(row, 12);
  a.site_name = r.text(row, 13);
  item.seq = r.int64(row, 14);
  return item;
}

PollRecord read_pg_poll(const PgResult& r, int row) {
  PollRecord p;
  p.started = from_epoch_seconds(r.int64(row, 0));
  p.duration = std::chrono::milliseconds{r.int64(row, 1)};
  p.ok = r.boolean(row, 2);
  p.http_status = static_cast<int>(r.int64(row, 3));
  p.new_items = static_cast<int>(r.int64(row, 4));
  p.articles_fetched = static_cast<int>(r.int64(row, 5));
  p.error = r.text(row, 6);
  p.bytes = static_cast<std::uint64_t>(r.int64(row, 7));
  return p;
}

}  // namespace fg::store::detail
