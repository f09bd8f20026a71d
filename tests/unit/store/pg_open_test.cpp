// What only the PostgreSQL store has: migrations under an advisory lock, refusing a newer
// schema, bounded statements, a pool that outlives lost connections, and several instances
// committing to one feed at once.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "store/pg_handle.hpp"
#include "store/store.hpp"
#include "support/pg_server.hpp"
#include "support/temp_dir.hpp"

namespace fg::store {
namespace {

using namespace std::chrono_literals;

const Timestamp kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + 8h;

class PgOpen : public test::PgDatabaseTest {
 protected:
  std::string scalar(const std::string& sql) {
    auto conn = detail::PgConnection::connect(url_, "", url_);
    if (!conn) return "connect failed: " + conn.error().message;
    detail::PgResult r = conn->exec(sql);
    if (!r.ok()) return "error: " + r.error();
    return r.rows() > 0 ? r.text(0, 0) : "no rows";
  }
};

Article article(const std::string& url) {
  Article a;
  a.url = url;
  a.title = url;
  return a;
}

TEST_F(PgOpen, CreatesTheSchemaAtTheCurrentVersion) {
  auto store = open_postgres_store(url_);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ(postgres_schema_version(), 5);  // bump with each migration added
  EXPECT_EQ(scalar("SELECT version FROM feedgate_schema"),
            std::to_string(postgres_schema_version()));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM feedgate_schema"), "1");
}

TEST_F(PgOpen, InstancesStartingTogetherMigrateOnceAndAllOpen) {
  constexpr int kInstances = 6;
  std::atomic<int> opened{0};
  std::vector<std::string> errors(kInstances);
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] {
      auto store = open_postgres_store(url_);
      if (store.ok()) {
        ++opened;
      } else {
        errors[static_cast<std::size_t>(i)] = store.error().describe();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(opened.load(), kInstances);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM feedgate_schema"), "1");
  EXPECT_EQ(scalar("SELECT version FROM feedgate_schema"),
            std::to_string(postgres_schema_version()));
}

TEST_F(PgOpen, NewerSchemaAsksToUpgradeFeedgate) {
  { ASSERT_TRUE(open_postgres_store(url_).ok()); }
  ASSERT_EQ(scalar("UPDATE feedgate_schema SET version = 999 RETURNING version"), "999");
  auto store = open_postgres_store(url_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, Errc::storage);
  EXPECT_EQ(store.error().message, "database schema version 999 is newer than this feedgate (" +
                                       std::to_string(postgres_schema_version()) +
                                       "); upgrade feedgate");
  EXPECT_EQ(store.error().where, url_);
}

TEST_F(PgOpen, AnUnreachableServerIsAnErrorThatSaysWhatToCheck) {
  const std::string url = "postgresql://feedgate@/nothing?host=/nonexistent-feedgate-socket";
  auto store = open_postgres_store(url);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, Errc::storage);
  EXPECT_NE(store.error().message.find("cannot connect to PostgreSQL"), std::string::npos)
      << store.error().message;
  EXPECT_NE(store.error().message.find("storage.url"), std::string::npos) << store.error().message;
}

TEST_F(PgOpen, AStatementBlockedPastTheTimeoutFailsInsteadOfHanging) {
  PostgresOptions options;
  options.statement_timeout = 200ms;
  auto store = open_postgres_store(url_, options);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  // Another session holds the items table locked in an open transaction.
  auto blocker = detail::PgConnection::connect(url_, "", url_);
  ASSERT_TRUE(blocker.ok());
  ASSERT_TRUE(blocker->exec("BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE").ok());
  auto count = (*store)->count_items("f");
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, Errc::storage);
  EXPECT_NE(count.error().message.find("statement timeout"), std::string::npos)
      << count.error().message;
  ASSERT_TRUE(blocker->exec("ROLLBACK").ok());
  auto again = (*store)->count_items("f");
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(*again, 0);
}

TEST_F(PgOpen, ConnectionsKilledByTheServerAreReplaced) {
  auto store = open_postgres_store(url_);
  ASSERT_TRUE(store.ok());
  ASSERT_EQ(*(*store)->commit_items("f", {article("https://a/1")}, 10, kNow), 1);
  ASSERT_NE(scalar("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE"
                   " application_name = 'feedgate' AND pid <> pg_backend_pid()"),
            "0");
  // The call that meets the dead connection fails; it is dropped, and the next call reconnects.
  auto first = (*store)->count_items("f");
  if (!first.ok()) {
    EXPECT_EQ(first.error().code, Errc::storage);
  }
  auto count = (*store)->count_items("f");
  ASSERT_TRUE(count.ok()) << count.error().describe();
  EXPECT_EQ(*count, 1);
}

// Two instances (two stores on one database) commit new items to one feed at once: every item
// gets its own seq, 1..N without gaps, as one instance would number them.
TEST_F(PgOpen, TwoInstancesCommittingToOneFeedNumberItemsWithoutCollisions) {
  auto a = open_postgres_store(url_);
  auto b = open_postgres_store(url_);
  ASSERT_TRUE(a.ok() && b.ok());
  constexpr int kCommits = 25;
  std::atomic<int> failures{0};
  auto writer = [&](Store& store, const std::string& prefix) {
    for (int i = 0; i < kCommits; ++i) {
      if (!store.commit_items("f", {article(prefix + std::to_string(i))}, 1000, kNow).ok()) {
        ++failures;
      }
    }
  };
  std::thread ta(writer, std::ref(**a), "https://a/");
  std::thread tb(writer, std::ref(**b), "https://b/");
  ta.join();
  tb.join();
  EXPECT_EQ(failures.load(), 0);
  auto range = (*a)->seq_range("f");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, 1);
  EXPECT_EQ(range->last, 2 * kCommits);
  EXPECT_EQ(*(*b)->count_items("f"), 2 * kCommits);
}

// The test server asks "feedgate_pw" for a password (pg_test_server.sh); the store reads it
// from storage.password_file, in .pgpass format, and fails clearly without it.
TEST_F(PgOpen, ThePasswordComesFromThePasswordFile) {
  const std::string db = url_.substr(url_.find("///") + 3, url_.find('?') - url_.find("///") - 3);
  std::string error;
  ASSERT_TRUE(test::PgServer::exec(url_,
                                   "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname ="
                                   " 'feedgate_pw') THEN CREATE ROLE feedgate_pw LOGIN PASSWORD"
                                   " 'pw-secret'; END IF; END $$;"
                                   "ALTER DATABASE " +
                                       db + " OWNER TO feedgate_pw",
                                   error))
      << error;
  std::string url = url_;
  url.replace(url.find("user=feedgate"), 13, "user=feedgate_pw");
  test::TempDir dir;
  const std::string pgpass = dir.write("pgpass", "*:*:*:feedgate_pw:pw-secret\n");
  std::filesystem::permissions(pgpass, std::filesystem::perms::owner_read);  // libpq wants 0600

  PostgresOptions options;
  options.password_file = pgpass;
  auto store = open_postgres_store(url, options);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ(*(*store)->commit_items("f", {article("https://a/1")}, 10, kNow), 1);

  options.password_file = dir.write("empty", "");
  auto refused = open_postgres_store(url, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::storage);
  EXPECT_NE(refused.error().message.find("password"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("pw-secret"), std::string::npos);
}

TEST(PgUrl, PasswordsAreRedactedInMessages) {
  EXPECT_EQ(detail::redact_url("postgresql://fg:secret@db:5432/fg"),
            "postgresql://fg:***@db:5432/fg");
  EXPECT_EQ(detail::redact_url("postgresql://db/fg?user=fg&password=secret&sslmode=require"),
            "postgresql://db/fg?user=fg&password=***&sslmode=require");
  EXPECT_EQ(detail::redact_url("postgresql://fg@[::1]:5432/fg"), "postgresql://fg@[::1]:5432/fg");
}

}  // namespace
}  // namespace fg::store
