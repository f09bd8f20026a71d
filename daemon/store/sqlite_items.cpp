// SqliteStore: the items table (store, update, trim, read by recency or seq).

#include <cstdint>
#include <mutex>
#include <set>
#include <string_view>

#include "store/content_hash.hpp"
#include "store/fresh_items.hpp"
#include "store/sqlite_store.hpp"
#include "store/stored_precision.hpp"

namespace fg::store::detail {

namespace {

// Newest first; the same expression as the items_newest_first index so SQLite can use it.
constexpr std::string_view kNewestFirst =
    " ORDER BY COALESCE(published_utc, first_seen) DESC, first_seen DESC, url";

// ?1 feed_id ... ?12 now, ?13 precision, ?14 language, ?15 site name: one numbering shared by
// the INSERT and the UPDATE of an item.
void bind_item(Statement& stmt, const std::string& feed_id, const Article& a,
               const std::string& hash, Timestamp now) {
  stmt.bind(1, feed_id);
  stmt.bind(2, a.url);
  stmt.bind(3, a.title);
  std::optional<std::int64_t> utc, offset;
  if (a.published) {
    utc = seconds(a.published->utc);
    offset = a.published->offset.count();
  }
  stmt.bind(4, utc);
  stmt.bind(5, offset);
  stmt.bind(6, a.author);
  stmt.bind(7, a.source);
  stmt.bind(8, a.editor);
  stmt.bind(9, a.content_html);
  stmt.bind(10, a.text);
  stmt.bind(11, hash);
  stmt.bind(12, seconds(now));
  stmt.bind(13,
            static_cast<std::int64_t>(a.published ? a.published->precision : TimePrecision::time));
  stmt.bind(14, a.language);
  stmt.bind(15, a.site_name);
}

constexpr std::string_view kInsertItem =
    "INSERT INTO items(feed_id, url, title, published_utc, published_offset_min, author, source,"
    " editor, content_html, text, content_hash, first_seen, updated, published_precision,"
    " language, site_name, seq)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15, ?16)";
constexpr std::string_view kUpdateItem =
    "UPDATE items SET title = ?3, published_utc = ?4, published_offset_min = ?5, author = ?6,"
    " source = ?7, editor = ?8, content_html = ?9, text = ?10, content_hash = ?11, updated = ?12,"
    " published_precision = ?13, language = ?14, site_name = ?15"
    " WHERE feed_id = ?1 AND url = ?2";

StoredItem read_item(const Statement& stmt) {
  StoredItem item;
  Article& a = item.article;
  a.url = stmt.text(0);
  a.title = stmt.text(1);
  if (!stmt.is_null(2)) {
    a.published = PublishedTime{timestamp(stmt.int64(2)), std::chrono::minutes{stmt.int64(3)}};
  }
  a.author = stmt.text(4);
  a.source = stmt.text(5);
  a.editor = stmt.text(6);
  a.content_html = stmt.text(7);
  a.text = stmt.text(8);
  item.first_seen = timestamp(stmt.int64(9));
  item.updated = timestamp(stmt.int64(10));
  if (a.published) a.published->precision = precision_of(stmt.int64(11));
  a.language = stmt.text(12);
  a.site_name = stmt.text(13);
  item.seq = stmt.int64(14);
  return item;
}

}  // namespace

Result<std::set<std::string>> SqliteStore::known_urls(const std::string& feed_id,
                                                      const std::vector<std::string>& urls) {
  std::lock_guard lock(mutex_);
  Statement stmt =
      detail::prepare(db_.get(), "SELECT 1 FROM items WHERE feed_id = ?1 AND url = ?2");
  if (!stmt.valid()) return fail("cannot look up stored URLs of feed " + feed_id);
  std::set<std::string> known;
  for (const std::string& url : urls) {
    stmt.reset();
    stmt.bind(1, feed_id);
    stmt.bind(2, url);
    int rc = stmt.step();
    if (rc == SQLITE_ROW) {
      known.insert(url);
    } else if (rc != SQLITE_DONE) {
      return fail("cannot look up stored URLs of feed " + feed_id);
    }
  }
  return known;
}

Result<int> SqliteStore::commit_items(const std::string& feed_id, const std::vector<Article>& items,
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
  std::lock_guard lock(mutex_);
  detail::Transaction tx(db_.get());
  if (tx.begin() != SQLITE_OK) return fail("cannot start storing items of feed " + feed_id);
  Result<int> changed = write_items(feed_id, items, now);
  if (!changed) return changed.error();  // tx rolls back
  if (auto trimmed = trim_items(feed_id, keep); !trimmed) return trimmed.error();
  if (tx.commit() != SQLITE_OK) return fail("cannot commit items of feed " + feed_id);
  return changed;
}

// Inside commit_items' transaction. A URL listed twice is stored once, from its first
// occurrence. An item trimmed away earlier and listed again is inserted again as new.
Result<int> SqliteStore::write_items(const std::string& feed_id, const std::vector<Article>& items,
                                     Timestamp now) {
  Statement select =
      detail::prepare(db_.get(), "SELECT content_hash FROM items WHERE feed_id = ?1 AND url = ?2");
  Statement insert = detail::prepare(db_.get(), kInsertItem);
  Statement update = detail::prepare(db_.get(), kUpdateItem);
  Statement last =
      detail::prepare(db_.get(), "SELECT COALESCE(MAX(seq), 0) FROM items WHERE feed_id = ?1");
  const std::string what = "cannot store items of feed " + feed_id;
  if (!select.valid() || !insert.valid() || !update.valid() || !last.valid()) return fail(what);

  std::set<std::string_view> seen;
  FreshItems fresh;  // with their hashes
  int changed = 0;
  for (const Article& a : items) {
    if (!seen.insert(a.url).second) continue;
    std::string hash = detail::content_hash(a);
    select.reset();
    select.bind(1, feed_id);
    select.bind(2, a.url);
    int rc = select.step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return fail(what);
    if (rc == SQLITE_DONE) {
      fresh.emplace_back(&a, std::move(hash));
      continue;
    }
    if (select.text(0) == hash) continue;  // unchanged: leave it alone
    update.reset();
    bind_item(update, feed_id, a, hash, now);
    if (update.step() != SQLITE_DONE) return fail(what + " (" + a.url + ")");
    ++changed;
  }
  order_oldest_first(fresh, now);
  last.bind(1, feed_id);
  if (last.step() != SQLITE_ROW) return fail(what);
  std::int64_t seq = last.int64(0);
  for (const auto& [a, hash] : fresh) {
    insert.reset();
    bind_item(insert, feed_id, *a, hash, now);
    insert.bind(16, ++seq);
    if (insert.step() != SQLITE_DONE) return fail(what + " (" + a->url + ")");
    ++changed;
  }
  return changed;
}

Result<void> SqliteStore::trim_items(const std::string& feed_id, int keep) {
  Statement stmt =
      detail::prepare(db_.get(),
                      "DELETE FROM items WHERE feed_id = ?1"
                      " AND seq <= (SELECT MAX(seq) FROM items WHERE feed_id = ?1) - ?2");
  if (!stmt.valid()) return fail("cannot trim items of feed " + feed_id);
  stmt.bind(1, feed_id);
  stmt.bind(2, std::int64_t{keep});
  if (stmt.step() != SQLITE_DONE) return fail("cannot trim items of feed " + feed_id);
  return {};
}

Result<std::vector<StoredItem>> SqliteStore::items_by_seq(const std::string& feed_id,
                                                          std::int64_t first, std::int64_t last) {
  return select_items(feed_id, " AND seq BETWEEN ?2 AND ?3", first, last);
}

Result<SeqRange> SqliteStore::seq_range(const std::string& feed_id) {
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(
      db_.get(),
      "SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM items WHERE feed_id = ?1");
  if (!stmt.valid()) return fail("cannot read the item range of feed " + feed_id);
  stmt.bind(1, feed_id);
  if (stmt.step() != SQLITE_ROW) return fail("cannot read the item range of feed " + feed_id);
  return SeqRange{stmt.int64(0), stmt.int64(1)};
}

Result<std::vector<StoredItem>> SqliteStore::items(const std::string& feed_id, int limit) {
  if (limit < 0) {
    return make_error(Errc::invalid_argument,
                      "item limit is " + std::to_string(limit) + "; it must not be negative",
                      feed_id);
  }
  return select_items(feed_id, "", limit, 0);
}

// Items of a feed matching `where` (?2 and ?3 bound to a and b), newest first; an empty `where`
// takes the newest `a`.
Result<std::vector<StoredItem>> SqliteStore::select_items(const std::string& feed_id,
                                                          std::string_view where, std::int64_t a,
                                                          std::int64_t b) {
  std::string sql =
      "SELECT url, title, published_utc, published_offset_min, author, source, editor,"
      " content_html, text, first_seen, updated, published_precision, language, site_name, seq"
      " FROM items WHERE feed_id = ?1";
  sql += where;
  sql += kNewestFirst;
  if (where.empty()) sql += " LIMIT ?2";
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(db_.get(), sql);
  if (!stmt.valid()) return fail("cannot read items of feed " + feed_id);
  stmt.bind(1, feed_id);
  stmt.bind(2, a);
  if (!where.empty()) stmt.bind(3, b);
  std::vector<StoredItem> out;
  int rc;
  while ((rc = stmt.step()) == SQLITE_ROW) out.push_back(read_item(stmt));
  if (rc != SQLITE_DONE) return fail("cannot read items of feed " + feed_id);
  return out;
}

Result<int> SqliteStore::count_items(const std::string& feed_id) {
  std::lock_guard lock(mutex_);
  Statement stmt = detail::prepare(db_.get(), "SELECT COUNT(*) FROM items WHERE feed_id = ?1");
  if (!stmt.valid()) return fail("cannot count items of feed " + feed_id);
  stmt.bind(1, feed_id);
  if (stmt.step() != SQLITE_ROW) return fail("cannot count items of feed " + feed_id);
  return static_cast<int>(stmt.int64(0));
}

}  // namespace fg::store::detail
