// Opening: directories, schema version and migrations, errors that say what to do.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/content_hash.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace fg::store {
namespace {

int user_version(const std::string& path) {
  sqlite3* db = nullptr;
  int version = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      version = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return version;
}

bool set_user_version(const std::string& path, int version) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK;
  std::string sql = "PRAGMA user_version = " + std::to_string(version);
  ok = ok && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

TEST(StoreOpen, CreatesParentDirectoriesAndWritesTheCurrentSchemaVersion) {
  test::TempDb tmp;
  {
    auto store = open_sqlite_store(tmp.path());
    ASSERT_TRUE(store.ok()) << store.error().describe();
  }
  EXPECT_EQ(sqlite_schema_version(), 5);  // bump with each migration added
  EXPECT_EQ(user_version(tmp.path()), 5);
}

bool exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK;
  ok = ok && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

TEST(StoreOpen, AVersion1DatabaseGainsPollBytesAndKeepsItsPolls) {
  test::TempDb tmp;
  std::filesystem::create_directories(std::filesystem::path(tmp.path()).parent_path());
  // The tables as schema version 1 wrote them, with one poll recorded.
  ASSERT_TRUE(
      exec_sql(tmp.path(),
               "CREATE TABLE items(feed_id TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL,"
               " published_utc INTEGER, published_offset_min INTEGER, author TEXT NOT NULL,"
               " source TEXT NOT NULL, editor TEXT NOT NULL, content_html TEXT NOT NULL,"
               " text TEXT NOT NULL, content_hash TEXT NOT NULL, first_seen INTEGER NOT NULL,"
               " updated INTEGER NOT NULL, PRIMARY KEY (feed_id, url));"
               "CREATE TABLE polls(id INTEGER PRIMARY KEY, feed_id TEXT NOT NULL,"
               " started INTEGER NOT NULL, duration_ms INTEGER NOT NULL, ok INTEGER NOT "
               "NULL, http_status INTEGER NOT NULL, new_items INTEGER NOT NULL,"
               " articles_fetched INTEGER NOT NULL, error TEXT NOT NULL);"
               "INSERT INTO polls VALUES(1, 'f', 1700000000, 250, 0, 503, 0, 0, 'HTTP 503');"
               "INSERT INTO items VALUES('f', 'https://a/new', 't', 1700000900, 480, '', '', '',"
               " '', '', 'h', 1700001000, 1700001000);"
               "INSERT INTO items VALUES('f', 'https://a/old', 't', NULL, NULL, '', '', '',"
               " '', '', 'h', 1700000000, 1700000000);"
               "INSERT INTO items VALUES('g', 'https://b/only', 't', NULL, NULL, '', '', '',"
               " '', '', 'h', 1700000500, 1700000500);"
               "PRAGMA user_version = 1;"));
  auto store = open_sqlite_store(tmp.path());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  auto last = (*store)->last_poll("f");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->http_status, 503);
  EXPECT_EQ((*last)->error, "HTTP 503");
  EXPECT_EQ((*last)->bytes, 0u);
  // Migration 4 numbers the items of each feed oldest first.
  auto f = (*store)->items_by_seq("f", 1, 2);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->size(), 2u);
  EXPECT_EQ((*f)[0].article.url, "https://a/new");
  EXPECT_EQ((*f)[0].seq, 2);
  EXPECT_EQ((*f)[1].seq, 1);
  EXPECT_EQ((*store)->seq_range("g")->last, 1);
  EXPECT_EQ(user_version(tmp.path()), sqlite_schema_version());
}

TEST(StoreOpen, ReopeningAMigratedDatabaseKeepsItsVersion) {
  test::TempDb tmp;
  { ASSERT_TRUE(open_sqlite_store(tmp.path()).ok()); }
  { ASSERT_TRUE(open_sqlite_store(tmp.path()).ok()); }
  EXPECT_EQ(user_version(tmp.path()), sqlite_schema_version());
}

TEST(StoreOpen, NewerSchemaAsksToUpgradeFeedgate) {
  test::TempDb tmp;
  { ASSERT_TRUE(open_sqlite_store(tmp.path()).ok()); }
  ASSERT_TRUE(set_user_version(tmp.path(), 999));
  auto store = open_sqlite_store(tmp.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, Errc::storage);
  EXPECT_EQ(store.error().message, "database schema version 999 is newer than this feedgate (" +
                                       std::to_string(sqlite_schema_version()) +
                                       "); upgrade feedgate");
  EXPECT_EQ(store.error().where, tmp.path());
}

TEST(StoreOpen, UnwritableLocationFailsWithThePath) {
  const std::string path = "/proc/feedgate-test/x.db";
  auto store = open_sqlite_store(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, Errc::storage);
  EXPECT_NE(store.error().describe().find(path), std::string::npos) << store.error().describe();
  EXPECT_NE(store.error().message.find("writable"), std::string::npos) << store.error().message;
}

TEST(StoreOpen, AFileThatIsNotADatabaseFails) {
  test::TempDb tmp;
  { ASSERT_TRUE(open_sqlite_store(tmp.path()).ok()); }
  std::string garbage = tmp.path() + ".txt";
  {
    FILE* f = std::fopen(garbage.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("this is not an sqlite database, just some text long enough to be a header....\n",
               f);
    std::fclose(f);
  }
  auto store = open_sqlite_store(garbage);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, Errc::storage);
  EXPECT_EQ(store.error().where, garbage);
}

TEST(StoreOpen, EmptyPathIsRefused) {
  auto store = open_sqlite_store("");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, Errc::invalid_argument);
}

// Published FNV-1a 64 test vectors (Fowler/Noll/Vo reference).
TEST(ContentHash, Fnv1aMatchesReferenceVectors) {
  EXPECT_EQ(detail::fnv1a_64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(detail::fnv1a_64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(detail::fnv1a_64("foobar"), 0x85944171f73967e8ULL);
}

TEST(ContentHash, EveryFieldAndFieldBoundariesMatter) {
  Article base;
  base.url = "https://a/1";
  base.title = "ab";
  base.author = "c";
  const std::string h = detail::content_hash(base);
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(detail::content_hash(base), h);  // deterministic

  Article moved = base;  // "ab"+"c" → "a"+"bc": same bytes, different fields
  moved.title = "a";
  moved.author = "bc";
  EXPECT_NE(detail::content_hash(moved), h);

  Article dated = base;
  dated.published = PublishedTime{};  // the epoch, offset 0: still differs from no date
  EXPECT_NE(detail::content_hash(dated), h);
  Article offset = dated;
  offset.published->offset = std::chrono::minutes{480};
  EXPECT_NE(detail::content_hash(offset), detail::content_hash(dated));

  Article edited = base;
  edited.editor = "编辑";
  EXPECT_NE(detail::content_hash(edited), h);
  Article html = base;
  html.content_html = "<p></p>";
  EXPECT_NE(detail::content_hash(html), h);
}

}  // namespace
}  // namespace fg::store
