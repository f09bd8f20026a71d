// copy_sqlite_to_postgres: what a SQLite store holds reads back the same from PostgreSQL.

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "support/pg_server.hpp"
#include "support/temp_dir.hpp"

namespace fg::store {
namespace {

using namespace std::chrono_literals;

const Timestamp kT0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1} + 8h;

class PgMigrate : public test::PgDatabaseTest {
 protected:
  // Two feeds, trimmed so that seq starts past 1, updated items, polls, validators and two
  // WebSub subscriptions (one signed, one not).
  void fill_sqlite() {
    auto store = open_sqlite_store(sqlite_.path());
    ASSERT_TRUE(store.ok());
    for (int i = 1; i <= 6; ++i) {
      Article a;
      a.url = "https://a/" + std::to_string(i);
      a.title = "标题 " + std::to_string(i);
      if (i % 2 == 0) a.published = PublishedTime{kT0 + std::chrono::hours{i}, 8h};
      ASSERT_TRUE((*store)->commit_items("f", {a}, 4, kT0 + std::chrono::minutes{i}).ok());
      ASSERT_TRUE((*store)->commit_items("g", {a}, 10, kT0).ok());
    }
    Article changed;
    changed.url = "https://a/5";
    changed.title = "changed";
    ASSERT_EQ(*(*store)->commit_items("f", {changed}, 4, kT0 + 1h), 1);
    for (int i = 0; i < 3; ++i) {
      PollRecord p;
      p.started = kT0;  // the same second: their order must survive too
      p.ok = i != 1;
      p.http_status = 200 + i;
      p.error = i == 1 ? "失败" : "";
      ASSERT_TRUE((*store)->record_poll("f", p).ok());
    }
    ASSERT_TRUE((*store)->save_validators("https://a/list", {"\"e1\"", "Mon, 02 Nov 2026"}).ok());
    for (const Subscription& s : subscriptions()) ASSERT_TRUE((*store)->save_subscription(s).ok());
  }

  static std::vector<Subscription> subscriptions() {
    return {{"http://fg/feeds/f.xml", "http://reader/cb?x=1", "f", "秘密", kT0 + 240h, kT0},
            {"http://fg/feeds/g.atom", "http://reader/cb", "g", "", kT0 + 24h, kT0 + 1h}};
  }

  test::TempDb sqlite_;
};

TEST_F(PgMigrate, EveryItemPollAndValidatorReadsBackTheSame) {
  fill_sqlite();
  auto copied = copy_sqlite_to_postgres(sqlite_.path(), url_);
  ASSERT_TRUE(copied.ok()) << copied.error().describe();
  EXPECT_EQ(copied->items, 4 + 6);
  EXPECT_EQ(copied->polls, 3);
  EXPECT_EQ(copied->validators, 1);
  EXPECT_EQ(copied->subscriptions, 2);
  EXPECT_EQ(copied->feeds, 2);

  auto from = open_sqlite_store(sqlite_.path());
  auto to = open_postgres_store(url_);
  ASSERT_TRUE(from.ok() && to.ok());
  for (const std::string feed : {"f", "g"}) {
    auto before = (*from)->items_by_seq(feed, 0, 100);
    auto after = (*to)->items_by_seq(feed, 0, 100);
    ASSERT_TRUE(before.ok() && after.ok());
    ASSERT_EQ(before->size(), after->size()) << feed;
    for (std::size_t i = 0; i < before->size(); ++i) {
      EXPECT_EQ((*after)[i].article, (*before)[i].article);
      EXPECT_EQ((*after)[i].seq, (*before)[i].seq);
      EXPECT_EQ((*after)[i].first_seen, (*before)[i].first_seen);
      EXPECT_EQ((*after)[i].updated, (*before)[i].updated);
    }
  }
  EXPECT_EQ((*to)->seq_range("f")->first, 3);
  auto polls = (*to)->recent_polls("f", 10);
  ASSERT_TRUE(polls.ok());
  ASSERT_EQ(polls->size(), 3u);
  EXPECT_EQ((*polls)[0].http_status, 202);  // newest first: the last recorded
  EXPECT_EQ((*polls)[1].error, "失败");
  EXPECT_EQ((*(*to)->validators("https://a/list"))->etag, "\"e1\"");
  auto subscribed = (*to)->subscriptions(kT0);
  ASSERT_TRUE(subscribed.ok());
  EXPECT_EQ(*subscribed, subscriptions());  // by topic then callback, secrets and times kept
  // The content hashes came along: the same article committed again changes nothing.
  Article same = (*(*from)->items_by_seq("g", 6, 6))[0].article;
  EXPECT_EQ(*(*to)->commit_items("g", {same}, 10, kT0 + 2h), 0);
}

TEST_F(PgMigrate, ADatabaseThatHoldsAnythingIsRefused) {
  fill_sqlite();
  {
    auto to = open_postgres_store(url_);
    ASSERT_TRUE(to.ok());
    ASSERT_TRUE((*to)->save_validators("https://x/", {"\"x\"", ""}).ok());
  }
  auto copied = copy_sqlite_to_postgres(sqlite_.path(), url_);
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, Errc::invalid_argument);
  EXPECT_NE(copied.error().message.find("not empty"), std::string::npos) << copied.error().message;
}

TEST_F(PgMigrate, ADatabaseHoldingOnlySubscribersIsRefused) {
  fill_sqlite();
  {
    auto to = open_postgres_store(url_);
    ASSERT_TRUE(to.ok());
    ASSERT_TRUE((*to)->save_subscription(subscriptions()[1]).ok());
  }
  auto copied = copy_sqlite_to_postgres(sqlite_.path(), url_);
  ASSERT_FALSE(copied.ok());
  EXPECT_NE(copied.error().message.find("1 subscriptions"), std::string::npos)
      << copied.error().message;
}

TEST_F(PgMigrate, AMissingSqliteFileIsNotCreated) {
  auto copied = copy_sqlite_to_postgres(sqlite_.path(), url_);
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, Errc::not_found);
  EXPECT_EQ(copied.error().where, sqlite_.path());
}

}  // namespace
}  // namespace fg::store
