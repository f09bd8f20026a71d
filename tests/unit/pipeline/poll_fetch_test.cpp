// poll_feed against a counting loopback portal: only links not stored yet are fetched (all at
// once, within the fetcher's limits), and a failed poll leaves the stored items alone.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>

#include "fetch/fetcher.hpp"
#include "pipeline/poll.hpp"
#include "store/store.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace fg::pipeline {
namespace {

using test::http_response;
using test::TestServer;

std::string article_path(int i) {
  return "/a/" + std::to_string(i) + ".html";
}

std::string list_page(int links) {
  std::string html = "<html><head><meta charset=\"utf-8\"></head><body><ul>";
  for (int i = 0; i < links; ++i) {
    html += "<li><a href=\"" + article_path(i) + "\">Story " + std::to_string(i) + "</a></li>";
  }
  return html + "</ul></body></html>";
}

std::string article_page(int i) {
  return "<html><head><meta charset=\"utf-8\"><title>Story " + std::to_string(i) +
         "</title></head><body><h1>Story " + std::to_string(i) +
         "</h1><p class=\"time\">2020-01-29 01:17:24</p><div id=\"zoom\"><p>Body of story " +
         std::to_string(i) +
         ", long enough to be the main text of the page.</p></div></body></html>";
}

class PollFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite_store((dir_.path() / "t.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(*opened);
    options_.allow_private = true;  // the portal is on loopback
    options_.min_gap = std::chrono::milliseconds(0);
    options_.timeout = std::chrono::milliseconds(10'000);
    feed_.id = "portal";
    feed_.url = server_.url("/list.html");
    feed_.links = "ul a";
    feed_.article.title = "h1";
    feed_.article.published = ".time";
    feed_.article.content = "#zoom";
    feed_.max_items = 500;
  }
  void TearDown() override { store_.reset(); }

  // Stores articles 0..n-1 as if an earlier poll had fetched them.
  void store_first(int n) {
    std::vector<Article> articles;
    for (int i = 0; i < n; ++i) {
      Article a;
      a.url = server_.url(article_path(i));
      a.title = "Story " + std::to_string(i);
      a.content_html = "<p>stored</p>";
      a.text = "stored";
      articles.push_back(a);
    }
    auto committed = store_->commit_items(feed_.id, articles, feed_.max_items, now_seconds());
    ASSERT_TRUE(committed.ok()) << committed.error().describe();
  }

  std::set<std::string> article_requests() const {
    std::set<std::string> paths;
    for (const auto& r : server_.requests()) {
      if (r.path.rfind("/a/", 0) == 0) paths.insert(r.path);
    }
    return paths;
  }

  TestServer server_;
  test::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  fetch::FetchOptions options_;
  config::FeedConfig feed_;
};

TEST_F(PollFetch, TwoHundredLinksWithOneNinetyStoredFetchesTen) {
  server_.on("/list.html", http_response(200, "Content-Type: text/html\r\n", list_page(200)));
  for (int i = 0; i < 200; ++i) {
    server_.on(article_path(i), http_response(200, "Content-Type: text/html\r\n", article_page(i)));
  }
  store_first(190);
  fetch::Fetcher fetcher(options_);
  const PollSummary s = poll_feed(feed_, {fetcher, *store_});
  ASSERT_TRUE(s.ok) << s.describe();
  EXPECT_EQ(s.outcome, "ok");
  EXPECT_GE(s.fetch_seconds, 0.0);
  EXPECT_EQ(s.links_found, 200);
  EXPECT_EQ(s.articles_fetched, 10);
  EXPECT_EQ(s.new_items, 10);
  std::set<std::string> expected;
  for (int i = 190; i < 200; ++i) expected.insert(article_path(i));
  EXPECT_EQ(article_requests(), expected);
  EXPECT_EQ(server_.requests().size(), 11u);  // the list page and ten articles
  EXPECT_EQ(store_->count_items(feed_.id).value(), 200);
}

TEST_F(PollFetch, FailedListPageKeepsStoredItems) {
  server_.on("/list.html", http_response(503, "", "down for maintenance"));
  store_first(5);
  fetch::Fetcher fetcher(options_);
  const PollSummary s = poll_feed(feed_, {fetcher, *store_});
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.outcome, "http_error");
  EXPECT_GE(s.fetch_seconds, 0.0);
  EXPECT_EQ(store_->count_items(feed_.id).value(), 5);
  EXPECT_TRUE(article_requests().empty());
}

TEST_F(PollFetch, StoppingTheFetcherMidPollCancelsItAndStoresNothing) {
  server_.on("/list.html",
             http_response(200, "Content-Type: text/html\r\nETag: \"v1\"\r\n", list_page(2)));
  server_.on(article_path(0), http_response(200, "Content-Type: text/html\r\n", article_page(0)));
  server_.on(article_path(1), test::kHang);
  fetch::Fetcher fetcher(options_);
  std::thread stopper([&] {  // shutting down while the poll waits for article 1
    while (article_requests().count(article_path(1)) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    fetcher.stop();
  });
  const PollSummary s = poll_feed(feed_, {fetcher, *store_});
  stopper.join();
  EXPECT_FALSE(s.ok);
  EXPECT_TRUE(s.cancelled);
  EXPECT_EQ(s.outcome, "cancelled");
  EXPECT_EQ(store_->count_items(feed_.id).value(), 0);  // not even article 0, fetched whole
  EXPECT_FALSE(store_->last_poll(feed_.id).value().has_value());
}

TEST_F(PollFetch, FailedArticlesAreLeftForTheNextPollAndTheRestCommit) {
  server_.on("/list.html", http_response(200, "Content-Type: text/html\r\n", list_page(4)));
  server_.on(article_path(0), http_response(200, "Content-Type: text/html\r\n", article_page(0)));
  server_.on(article_path(1), http_response(500, "", ""));
  server_.on(article_path(2),
             "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\ntruncated");
  server_.on(article_path(3), http_response(200, "Content-Type: text/html\r\n", article_page(3)));
  fetch::Fetcher fetcher(options_);
  const PollSummary s = poll_feed(feed_, {fetcher, *store_});
  EXPECT_TRUE(s.ok) << s.describe();
  EXPECT_EQ(s.articles_fetched, 4);
  EXPECT_EQ(s.articles_failed, 2);
  EXPECT_EQ(s.new_items, 2);
  auto known =
      store_->known_urls(feed_.id, {server_.url(article_path(0)), server_.url(article_path(1)),
                                    server_.url(article_path(2)), server_.url(article_path(3))});
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(*known,
            (std::set<std::string>{server_.url(article_path(0)), server_.url(article_path(3))}));
}

// A portal whose list page answers 304 to the ETag it handed out.
void serve_list_with_etag(TestServer& server, int links) {
  server.on("/list.html", [links](const test::ReceivedRequest& r) {
    if (r.header("if-none-match") == "\"v1\"") return http_response(304, "ETag: \"v1\"\r\n", "");
    return http_response(200, "Content-Type: text/html\r\nETag: \"v1\"\r\n", list_page(links));
  });
  for (int i = 0; i < links; ++i) {
    server.on(article_path(i), http_response(200, "Content-Type: text/html\r\n", article_page(i)));
  }
}

TEST_F(PollFetch, AnUnchangedListPageCostsA304OnTheNextPoll) {
  serve_list_with_etag(server_, 3);
  fetch::Fetcher fetcher(options_);
  ASSERT_EQ(poll_feed(feed_, {fetcher, *store_}).new_items, 3);
  const PollSummary again = poll_feed(feed_, {fetcher, *store_});
  EXPECT_TRUE(again.list_unchanged);
  EXPECT_EQ(again.articles_fetched, 0);
}

TEST_F(PollFetch, TwoFeedsOnOneListPageEachGetTheItems) {
  serve_list_with_etag(server_, 3);
  fetch::Fetcher fetcher(options_);
  ASSERT_EQ(poll_feed(feed_, {fetcher, *store_}).new_items, 3);
  config::FeedConfig second = feed_;
  second.id = "portal-copy";
  const PollSummary s = poll_feed(second, {fetcher, *store_});
  EXPECT_FALSE(s.list_unchanged);  // the first feed's validators are not the second's
  EXPECT_EQ(s.new_items, 3);
  EXPECT_EQ(store_->count_items("portal-copy").value(), 3);
}

TEST_F(PollFetch, ChangedLinkRulesReadTheListPageAgain) {
  serve_list_with_etag(server_, 3);
  fetch::Fetcher fetcher(options_);
  ASSERT_EQ(poll_feed(feed_, {fetcher, *store_}).new_items, 3);
  feed_.links = "li > a";  // as after a reload with new rules
  EXPECT_FALSE(poll_feed(feed_, {fetcher, *store_}).list_unchanged);
}

// A list page whose rows say when each story was published, relative to when it is read.
std::string list_page_with_dates(const std::vector<std::string>& dates) {
  std::string html = "<html><head><meta charset=\"utf-8\"></head><body><ul>";
  for (std::size_t i = 0; i < dates.size(); ++i) {
    html += "<li><a href=\"" + article_path(static_cast<int>(i)) + "\">Story " + std::to_string(i) +
            "</a><span>" + dates[i] + "</span></li>";
  }
  return html + "</ul></body></html>";
}

// An article page that gives no date, or only `day`.
std::string article_page_dated(int i, const std::string& day) {
  return "<html><head><meta charset=\"utf-8\"><title>Story " + std::to_string(i) +
         "</title></head><body><h1>Story " + std::to_string(i) + "</h1><p class=\"time\">" + day +
         "</p><div id=\"zoom\"><p>Body of story " + std::to_string(i) +
         ", long enough to be the main text of the page.</p></div></body></html>";
}

std::string published_of(store::Store& store, const std::string& feed_id, const std::string& url) {
  auto items = store.items(feed_id, 10);
  if (!items) return "error";
  for (const auto& item : *items) {
    if (item.article.url != url) continue;
    const auto& t = item.article.published;
    return t ? format_rfc3339(*t) + " " + std::string(precision_name(t->precision)) : "none";
  }
  return "missing";
}

TEST_F(PollFetch, ListDatesDateTheItemsAndARepollDoesNotMoveThem) {
  server_.on("/list.html", http_response(200, "Content-Type: text/html\r\n",
                                         list_page_with_dates({"3小时前", "昨天 09:30"})));
  server_.on(article_path(0),
             http_response(200, "Content-Type: text/html\r\n", article_page_dated(0, "")));
  server_.on(article_path(1), http_response(200, "Content-Type: text/html\r\n",
                                            article_page_dated(1, "2026年12月01日")));
  Timestamp now{std::chrono::seconds{1796194800}};  // 15:00 on 2 December 2026 in Shanghai
  fetch::Fetcher fetcher(options_);
  PollContext ctx{fetcher, *store_};
  ctx.clock = [&now] { return now; };
  ASSERT_EQ(poll_feed(feed_, ctx).new_items, 2);
  // No date on the page: the list's, to the hour it gives. Only the day: the list's time on it.
  EXPECT_EQ(published_of(*store_, feed_.id, server_.url(article_path(0))),
            "2026-12-02T12:00:00+08:00 hour");
  EXPECT_EQ(published_of(*store_, feed_.id, server_.url(article_path(1))),
            "2026-12-01T09:30:00+08:00 time");

  // An hour later the portal says 4小时前, and a new story arrived: the stored ones stay put.
  now += std::chrono::hours{1};
  server_.on("/list.html", http_response(200, "Content-Type: text/html\r\n",
                                         list_page_with_dates({"4小时前", "昨天 09:30", "刚刚"})));
  server_.on(article_path(2),
             http_response(200, "Content-Type: text/html\r\n", article_page_dated(2, "")));
  const PollSummary again = poll_feed(feed_, ctx);
  EXPECT_EQ(again.articles_fetched, 1);
  EXPECT_EQ(published_of(*store_, feed_.id, server_.url(article_path(0))),
            "2026-12-02T12:00:00+08:00 hour");
  EXPECT_EQ(published_of(*store_, feed_.id, server_.url(article_path(2))),
            "2026-12-02T16:00:00+08:00 time");
}

}  // namespace
}  // namespace fg::pipeline
