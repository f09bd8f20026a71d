// The storage section: SQLite path or PostgreSQL URL, never a password in the config text.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using testing::described;
using ::testing::ElementsAre;

TEST(StorageKeys, UrlPoolAndPasswordFileAreRead) {
  const LoadResult r = parse_config(
      "storage:\n"
      "  url: postgresql://feedgate@db.example:5432/feedgate\n"
      "  password_file: secrets/pgpass\n"
      "  pool: 8\n",
      "/etc/fg/main.yaml");
  ASSERT_TRUE(r.config.has_value()) << described(r)[0];
  EXPECT_EQ(r.config->storage.url, "postgresql://feedgate@db.example:5432/feedgate");
  EXPECT_EQ(r.config->storage.password_file, "/etc/fg/secrets/pgpass");
  EXPECT_EQ(r.config->storage.pool, 8);
}

TEST(StorageKeys, DefaultsAreSqliteWithAPoolOfFour) {
  const LoadResult r = parse_config("feeds: []\n", "/etc/fg/main.yaml");
  ASSERT_TRUE(r.config.has_value());
  EXPECT_EQ(r.config->storage.url, "");
  EXPECT_EQ(r.config->storage.pool, 4);
  EXPECT_EQ(r.config->storage.path, "/etc/fg/var/feedgate.db");
}

TEST(StorageKeys, PathAndUrlTogetherAreAProblemAtTheUrl) {
  const LoadResult r = parse_config(
      "storage:\n"
      "  path: var/fg.db\n"
      "  url: postgresql://fg@localhost/fg\n",
      "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(described(r), ElementsAre("t.yaml:3:8: url: storage has both \"path\" (SQLite) and "
                                        "\"url\" (PostgreSQL); keep one"));
}

TEST(StorageKeys, APasswordInTheUrlIsRefusedInEitherSpelling) {
  for (const char* url :
       {"postgresql://fg:secret@localhost/fg", "postgres://localhost/fg?user=fg&password=secret"}) {
    const LoadResult r = parse_config(std::string("storage: { url: \"") + url + "\" }\n", "t.yaml");
    ASSERT_EQ(r.problems.size(), 1u) << url;
    EXPECT_NE(r.problems[0].message.find("holds a password"), std::string::npos)
        << r.problems[0].message;
  }
}

TEST(StorageKeys, AUrlThatIsNotPostgresAndAPoolOutOfRangeAreProblems) {
  const LoadResult r = parse_config(
      "storage:\n"
      "  url: mysql://fg@localhost/fg\n"
      "  pool: 0\n",
      "t.yaml");
  const auto problems = described(r);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].rfind("t.yaml:2:8: url: expected a PostgreSQL connection URI", 0), 0u)
      << problems[0];
  EXPECT_EQ(problems[1].rfind("t.yaml:3:9: ", 0), 0u) << problems[1];
}

TEST(StorageKeys, AUserWithoutPasswordAndAnIpv6HostAreAccepted) {
  const LoadResult r = parse_config(
      "storage: { url: \"postgresql://fg@[::1]:5433/fg?sslmode=disable\" }\n", "t.yaml");
  ASSERT_TRUE(r.config.has_value()) << described(r)[0];
  EXPECT_EQ(r.config->storage.url, "postgresql://fg@[::1]:5433/fg?sslmode=disable");
}

TEST(ClusterKeys, TheLeaseDefaultsToTwoMinutesAndIsReadWithPostgres) {
  const LoadResult plain = parse_config("feeds: []\n", "t.yaml");
  ASSERT_TRUE(plain.config.has_value());
  EXPECT_EQ(plain.config->cluster.lease, std::chrono::minutes{2});
  // The cluster section may come before storage.
  const LoadResult r = parse_config(
      "cluster: { lease: 30s }\n"
      "storage: { url: \"postgresql://fg@localhost/fg\" }\n",
      "t.yaml");
  ASSERT_TRUE(r.config.has_value()) << described(r)[0];
  EXPECT_EQ(r.config->cluster.lease, std::chrono::seconds{30});
}

TEST(ClusterKeys, AClusterOnSqliteAndATooShortLeaseAreProblems) {
  const LoadResult sqlite = parse_config("cluster:\n  lease: 1m\n", "t.yaml");
  ASSERT_EQ(described(sqlite).size(), 1u);
  EXPECT_EQ(
      described(sqlite)[0].rfind("t.yaml:1:1: cluster: only instances sharing a PostgreSQL", 0), 0u)
      << described(sqlite)[0];
  const LoadResult short_lease = parse_config(
      "storage: { url: \"postgresql://fg@localhost/fg\" }\n"
      "cluster: { lease: 500ms, leese: 1 }\n",
      "t.yaml");
  const auto problems = described(short_lease);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].rfind("t.yaml:2:", 0), 0u) << problems[0];
  EXPECT_EQ(problems[1].rfind("t.yaml:2:", 0), 0u) << problems[1];
}

}  // namespace
}  // namespace fg::config
