// RFC 5005 archives end to end through the Publisher: page arithmetic, walking back from the
// current feed, pages that stay the same when items arrive; and merged feeds.

#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <set>

#include "app/publisher.hpp"
#include "pipeline/publish.hpp"
#include "support/temp_dir.hpp"

namespace fg::app {
namespace {

using namespace std::chrono_literals;
using pipeline::PagePlan;
using pipeline::plan_pages;

const Timestamp kDay = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1};

TEST(PlanPages, NoPagesWhileEverythingFitsTheCurrentFeed) {
  const PagePlan plan = plan_pages({1, 4}, 4);
  EXPECT_EQ(plan.page_size, 2);
  EXPECT_EQ(plan.current_from, 1);
  EXPECT_EQ(plan.last_page, 0);
}

TEST(PlanPages, FullPagesGoToTheArchiveAndTheCurrentFeedKeepsAtMostMaxItems) {
  // max_items 4, pages of 2: seq 1..9 -> pages 1 (1-2), 2 (3-4), 3 (5-6); current 7..9.
  PagePlan plan = plan_pages({1, 9}, 4);
  EXPECT_EQ(plan.current_from, 7);
  EXPECT_EQ(plan.first_page, 1);
  EXPECT_EQ(plan.last_page, 3);
  // One more item: the current feed holds 7..10 (4 items), the pages stay.
  plan = plan_pages({1, 10}, 4);
  EXPECT_EQ(plan.current_from, 7);
  EXPECT_EQ(plan.last_page, 3);
  // Trimmed to seq 4..11: page 2 holds only seq 4 now, page 1 is gone.
  plan = plan_pages({4, 11}, 4);
  EXPECT_EQ(plan.current_from, 9);
  EXPECT_EQ(plan.first_page, 2);
  EXPECT_EQ(plan.last_page, 4);
}

Article article(int n) {
  Article a;
  a.url = "https://news.example.cn/a/" + std::to_string(n) + ".html";
  a.title = "第" + std::to_string(n) + "条";
  a.text = "正文";
  a.published = PublishedTime{kDay + std::chrono::hours(n), 8h};
  return a;
}

std::string body_of(const serve::Resource& r) {
  if (!r.file) return r.body;
  std::string out(r.spans[0].length, '\0');
  const auto n =
      ::pread(r.file->fd(), out.data(), out.size(), static_cast<off_t>(r.spans[0].offset));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

std::vector<std::string> entry_ids(const std::string& atom) {
  static const std::regex kEntryId("<entry>\\s*<id>([^<]+)</id>");
  std::vector<std::string> ids;
  for (std::sregex_iterator it(atom.begin(), atom.end(), kEntryId), end; it != end; ++it) {
    ids.push_back((*it)[1]);
  }
  return ids;
}

// The href of the atom:link with this rel, as a path on this server; empty when absent.
std::string link_path(const std::string& atom, const std::string& rel) {
  const std::regex link("<link rel=\"" + rel +
                        "\" type=\"[^\"]+\" href=\"http://127.0.0.1:8080([^\"]+)\"");
  std::smatch m;
  return std::regex_search(atom, m, link) ? m[1].str() : std::string{};
}

class PublisherTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite_store(db_.path());
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    publisher_ = std::make_unique<Publisher>(
        *store_, server_, [](const std::string&) { return std::optional<Timestamp>{}; });
    if (GetParam()) {
      auto bodies = serve::BodyDir::open(db_.path() + ".bodies");
      ASSERT_TRUE(bodies.ok());
      publisher_->use_body_dir(*bodies);
    }
  }
  void TearDown() override { std::filesystem::remove_all(db_.path() + ".bodies"); }

  void commit(const std::string& feed, std::vector<int> numbers, int keep) {
    std::vector<Article> batch;
    for (int n : numbers) batch.push_back(article(n));
    ASSERT_TRUE(store_->commit_items(feed, batch, keep, kDay + 48h).ok());
  }
  std::shared_ptr<const config::Config> config_with(std::vector<config::FeedConfig> feeds) {
    auto config = std::make_shared<config::Config>();
    config->server.base_url = "http://127.0.0.1:8080";
    config->feeds = std::move(feeds);
    return config;
  }
  std::string get(const std::string& path) {
    auto site = server_.site();
    auto found = site->resources.find(path);
    if (found != site->resources.end()) return body_of(*found->second);
    auto page = serve::find_archive_page(*site, path);
    // A feed the start-up pass has not rendered yet: rendered for the request, as the server does.
    if (!page && site->renderer) page = site->renderer->render(path);
    return page ? body_of(*page) : std::string{};
  }

  test::TempDb db_;
  std::unique_ptr<store::Store> store_;
  serve::Server server_{serve::ServerOptions{}};
  std::unique_ptr<Publisher> publisher_;
};

INSTANTIATE_TEST_SUITE_P(Bodies, PublisherTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "InFiles" : "InMemory"; });

TEST_P(PublisherTest, WalkingBackFromTheCurrentFeedYieldsEveryKeptItemOnce) {
  config::FeedConfig feed;
  feed.id = "hz";
  feed.url = "https://news.example.cn/list/";
  feed.max_items = 4;
  feed.keep_items = 8;
  commit("hz", {1, 2, 3, 4, 5}, 8);
  commit("hz", {6, 7, 8, 9, 10, 11}, 8);  // seq 1..11, trimmed to 4..11
  publisher_->set_config(config_with({feed}));

  std::multiset<std::string> seen;
  std::string path = "/feeds/hz.atom";
  int documents = 0;
  while (!path.empty() && documents < 10) {
    const std::string atom = get(path);
    ASSERT_FALSE(atom.empty()) << path;
    if (documents > 0) {
      EXPECT_EQ(link_path(atom, "current"), "/feeds/hz.atom");
      EXPECT_NE(atom.find("<fh:archive />"), std::string::npos) << path;
    }
    for (const auto& id : entry_ids(atom)) seen.insert(id);
    path = link_path(atom, "prev-archive");
    ++documents;
  }
  // Current 9..11 (3 items), page 4 (7, 8), page 3 (5, 6), page 2 (only 4: 3 was trimmed).
  EXPECT_EQ(documents, 4);
  std::multiset<std::string> expected;
  for (int n = 4; n <= 11; ++n) expected.insert(article(n).url);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(link_path(get("/feeds/hz/archive/3.atom"), "next-archive"), "/feeds/hz/archive/4.atom");
  EXPECT_NE(get("/feeds/hz/archive/4.json")
                .find("\"next_url\": \"http://127.0.0.1:8080/feeds/hz/archive/3.json\""),
            std::string::npos);
  EXPECT_NE(get("/feeds/hz/archive/2.rss")
                .find("<atom:link href=\"http://127.0.0.1:8080/feeds/hz/archive/3.rss\" "
                      "rel=\"next-archive\""),
            std::string::npos);
}

TEST_P(PublisherTest, ArchivePagesStayTheSameWhenItemsArrive) {
  config::FeedConfig feed;
  feed.id = "hz";
  feed.url = "https://news.example.cn/list/";
  feed.max_items = 4;
  feed.keep_items = 100;
  commit("hz", {1, 2, 3, 4, 5, 6, 7}, 100);  // pages 1, 2; current 5..7
  publisher_->set_config(config_with({feed}));
  const std::string page1 = get("/feeds/hz/archive/1.atom");
  const std::string page2 = get("/feeds/hz/archive/2.rss");
  ASSERT_FALSE(page1.empty());
  ASSERT_FALSE(page2.empty());
  EXPECT_EQ(get("/feeds/hz/archive/3.atom"), "");

  commit("hz", {8, 9}, 100);  // seq 8, 9: page 3 (5, 6) completes; current 7..9
  publisher_->feed_polled("hz", true);
  EXPECT_EQ(get("/feeds/hz/archive/1.atom"), page1);
  // The newest page only gains its next-archive link; the entries of a page never change.
  const std::string page2_now = get("/feeds/hz/archive/2.rss");
  EXPECT_EQ(page2.find("next-archive"), std::string::npos);
  EXPECT_NE(page2_now.find("next-archive"), std::string::npos);
  EXPECT_EQ(page2_now.substr(page2_now.find("<item>")), page2.substr(page2.find("<item>")));
  EXPECT_EQ(entry_ids(get("/feeds/hz/archive/3.atom")),
            (std::vector<std::string>{article(6).url, article(5).url}));
  EXPECT_EQ(link_path(get("/feeds/hz.atom"), "prev-archive"), "/feeds/hz/archive/3.atom");
}

TEST_P(PublisherTest, AMergedFeedIsNewestFirstEachArticleOnceAtMostMaxItems) {
  config::FeedConfig a, b, merged;
  a.id = "a";
  a.url = "https://a.example.cn/";
  b.id = "b";
  b.url = "https://b.example.cn/";
  merged.id = "both";
  merged.merge = {"a", "b"};
  merged.max_items = 4;
  commit("a", {1, 5, 9}, 50);
  commit("b", {3, 5, 7, 2}, 50);  // 5 is the same story on both portals
  publisher_->set_config(config_with({a, b, merged}));
  EXPECT_EQ(
      entry_ids(get("/feeds/both.atom")),
      (std::vector<std::string>{article(9).url, article(7).url, article(5).url, article(3).url}));
}

}  // namespace
}  // namespace fg::app
