// The status page built from each feed's in-memory status: what a poll changes reaches the page
// published from the status thread, and a reload keeps what it knows of the feeds that stay.

#include "app/status_publisher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "support/temp_dir.hpp"

namespace fg::app {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const config::Config> config_of(std::vector<std::string> ids) {
  auto c = std::make_shared<config::Config>();
  c->server.base_url = "http://127.0.0.1:8080";
  for (const auto& id : ids) {
    config::FeedConfig feed;
    feed.id = id;
    feed.url = "http://127.0.0.1:9/" + id + ".html";
    c->feeds.push_back(feed);
  }
  return c;
}

store::PollRecord failed_poll(Timestamp at, std::string error) {
  store::PollRecord p;
  p.started = at;
  p.duration = 20ms;
  p.ok = false;
  p.http_status = 500;
  p.error = std::move(error);
  return p;
}

bool shows(const StatusResources& r, const std::string& text) {
  return r.page && r.page->body.find(text) != std::string::npos;
}

class StatusPublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite_store(tmp_.path());
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
  }
  // The next page the status thread publishes that shows `text` (bounded wait, never a speed
  // assertion: the thread rebuilds about once a second).
  std::optional<StatusResources> published_showing(const std::string& text) {
    std::unique_lock lock(mutex_);
    std::optional<StatusResources> found;
    changed_.wait_for(lock, 30s, [&] {
      for (const auto& r : published_) {
        if (shows(r, text)) found = r;
      }
      return found.has_value();
    });
    return found;
  }
  StatusPublisher::Publish collector() {
    return [this](StatusResources r) {
      std::lock_guard lock(mutex_);
      published_.push_back(std::move(r));
      changed_.notify_all();
    };
  }

  test::TempDb tmp_;
  std::unique_ptr<store::Store> store_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<StatusResources> published_;
};

TEST_F(StatusPublisherTest, APollsErrorReachesThePublishedPageAndTheSummary) {
  StatusPublisher status(*store_, nullptr, collector());
  const StatusResources first = status.set_config(config_of({"alpha", "beta"}));
  ASSERT_TRUE(first.page && first.opml);
  EXPECT_TRUE(shows(first, "feed-alpha"));
  EXPECT_TRUE(shows(first, "feed-beta"));
  EXPECT_EQ(status.summary(), "2 feeds, 0 items, 0 failing");

  ASSERT_TRUE(store_->record_poll("beta", failed_poll(now_seconds(), "HTTP 500 from beta")).ok());
  status.feed_polled("beta", false);
  const auto page = published_showing("HTTP 500 from beta");
  ASSERT_TRUE(page.has_value()) << "no page with the poll's error was published";
  EXPECT_GT(page->sequence, first.sequence);
  EXPECT_EQ(status.summary(), "2 feeds, 0 items, 1 failing");
}

TEST_F(StatusPublisherTest, AReloadKeepsKnownFeedsAndDropsRemovedOnes) {
  StatusPublisher status(*store_, nullptr, collector());
  status.set_config(config_of({"alpha", "beta"}));
  ASSERT_TRUE(store_->record_poll("beta", failed_poll(now_seconds(), "HTTP 503 from beta")).ok());
  status.feed_polled("beta", false);
  const StatusResources reloaded = status.set_config(config_of({"beta", "gamma"}));
  EXPECT_FALSE(shows(reloaded, "feed-alpha"));
  EXPECT_TRUE(shows(reloaded, "feed-gamma"));
  EXPECT_TRUE(shows(reloaded, "HTTP 503 from beta"));
  EXPECT_EQ(status.summary(), "2 feeds, 0 items, 1 failing");
}

// The poll job reports its poll before the scheduler puts the feed back on its schedule: the
// page built then has no next poll, and a later one must show it (it used to stay "—").
TEST_F(StatusPublisherTest, ThePageShowsTheNextPollOnceTheFeedIsRescheduled) {
  const Timestamp next = now_seconds() + std::chrono::hours(1);
  std::atomic<bool> rescheduled{false};
  StatusPublisher status(
      *store_,
      [&](const std::string&) {
        return rescheduled ? std::optional<Timestamp>(next) : std::nullopt;
      },
      collector());
  status.set_config(config_of({"alpha"}));
  ASSERT_TRUE(store_->record_poll("alpha", failed_poll(now_seconds(), "HTTP 500 from alpha")).ok());
  status.feed_polled("alpha", false);
  ASSERT_TRUE(published_showing("HTTP 500 from alpha").has_value());
  rescheduled = true;  // the scheduler now knows the next poll; no further poll comes
  const auto page = published_showing("<time datetime=\"" + format_rfc3339(next) + "\"");
  EXPECT_TRUE(page.has_value()) << "the next poll never reached the page";
}

TEST_F(StatusPublisherTest, APollOfAFeedNotConfiguredChangesNothing) {
  StatusPublisher status(*store_, nullptr, collector());
  status.set_config(config_of({"alpha"}));
  ASSERT_TRUE(store_->record_poll("zeta", failed_poll(now_seconds(), "HTTP 500 from zeta")).ok());
  status.feed_polled("zeta", false);
  const StatusResources again = status.set_config(config_of({"alpha"}));
  EXPECT_FALSE(shows(again, "zeta"));
  EXPECT_EQ(status.summary(), "1 feeds, 0 items, 0 failing");
}

}  // namespace
}  // namespace fg::app
