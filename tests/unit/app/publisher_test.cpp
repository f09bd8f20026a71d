// Start-up publishing: the server is never handed a site that would answer 404 for a configured
// feed. Start-up and a reload publish at once a site whose renderer renders any feed not rendered
// yet, and a pass renders the rest.

#include "app/publisher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"

namespace fg::app {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const config::Config> config_of(int feeds) {
  auto c = std::make_shared<config::Config>();
  c->server.base_url = "http://127.0.0.1:8080";
  for (int i = 0; i < feeds; ++i) {
    config::FeedConfig feed;
    feed.id = "f" + std::to_string(i);
    feed.url = "http://127.0.0.1:9/" + feed.id + ".html";
    c->feeds.push_back(feed);
  }
  return c;
}

bool has_every_feed(const serve::Site& site, const config::Config& config) {
  for (const auto& feed : config.feeds) {
    for (const char* ext : {".rss", ".atom", ".json"}) {
      auto it = site.resources.find("/feeds/" + feed.id + ext);
      if (it == site.resources.end() || !it->second) return false;
    }
  }
  return true;
}

// Whether every feed of `config` is servable from `site`: in it, or rendered by its renderer.
bool serves_every_feed(const serve::Site& site, const config::Config& config) {
  for (const auto& feed : config.feeds) {
    for (const char* ext : {".rss", ".atom", ".json"}) {
      const std::string path = "/feeds/" + feed.id + ext;
      auto it = site.resources.find(path);
      if (it != site.resources.end() && it->second) continue;
      if (!site.renderer || !site.renderer->render(path)) return false;
    }
  }
  return true;
}

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite_store(tmp_.path());
    ASSERT_TRUE(opened.ok());
    store_ = std::move(*opened);
    serve::ServerOptions options;
    options.listen = "127.0.0.1:0";
    server_ = std::make_unique<serve::Server>(options);
  }
  test::TempDb tmp_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<serve::Server> server_;
};

TEST_F(PublisherTest, StartUpServesEveryFeedAtOnceAndRendersTheRestOnAPass) {
  auto starting = std::make_shared<serve::Site>();
  starting->starting = true;
  server_->publish(starting);
  const auto config = config_of(60);

  // Watches every snapshot the server is handed while the publisher renders.
  std::atomic<bool> done{false};
  std::vector<std::shared_ptr<const serve::Site>> seen;
  std::thread watcher([&] {
    std::shared_ptr<const serve::Site> last;
    while (!done) {
      auto now = server_->site();
      if (now != last) seen.push_back(now);
      last = now;
      std::this_thread::yield();
    }
  });
  {
    Publisher publisher(*store_, *server_, nullptr);
    publisher.publish_every(0ms);  // publish after every feed, the harshest case
    publisher.set_config(config);
    // set_config() returned: the pass may still run, but the site serves every feed.
    EXPECT_FALSE(server_->site()->starting);
    EXPECT_TRUE(server_->site()->resources.contains("/"));
    ASSERT_TRUE(server_->site()->renderer);
    // The last feed, asked for first, is rendered for the request.
    EXPECT_TRUE(server_->site()->renderer->render("/feeds/f59.atom"));
    EXPECT_FALSE(server_->site()->renderer->render("/feeds/nope.atom"));
    EXPECT_FALSE(server_->site()->renderer->render("/feeds/f1.html"));
    for (int i = 0; i < 500 && !has_every_feed(*server_->site(), *config); ++i) {
      std::this_thread::sleep_for(20ms);
    }
    done = true;
    watcher.join();
    seen.push_back(server_->site());
    EXPECT_TRUE(has_every_feed(*seen.back(), *config)) << "the pass never finished";
    std::size_t partial = 0;
    for (const auto& site : seen) {
      if (site->starting) continue;  // the daemon's own, before set_config()
      EXPECT_TRUE(serves_every_feed(*site, *config)) << "a site lacks a feed";
      partial += has_every_feed(*site, *config) ? 0 : 1;
    }
    std::printf("snapshots seen: %zu, of them with feeds still to render: %zu\n", seen.size(),
                partial);

    // A reload serves every feed of the new config at once, under the new config (a changed
    // title shows in the very next request), never a removed feed, and never goes back to
    // starting; its pass then renders the rest.
    auto reloaded = std::make_shared<config::Config>(*config_of(3));
    reloaded->feeds[1].title = "改过的标题";
    publisher.set_config(reloaded);
    auto site = server_->site();
    EXPECT_FALSE(site->starting);
    EXPECT_TRUE(serves_every_feed(*site, *reloaded));
    EXPECT_FALSE(site->resources.contains("/feeds/f10.atom"));
    EXPECT_FALSE(site->renderer->render("/feeds/f10.atom"));
    auto retitled = site->resources.contains("/feeds/f1.atom")
                        ? site->resources.at("/feeds/f1.atom")
                        : site->renderer->render("/feeds/f1.atom");
    ASSERT_TRUE(retitled);
    EXPECT_NE(retitled->body.find("改过的标题"), std::string::npos);
    for (int i = 0; i < 500 && !has_every_feed(*server_->site(), *reloaded); ++i) {
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(has_every_feed(*server_->site(), *reloaded)) << "the reload's pass never finished";
  }
  // The publisher is gone: its sites render nothing more.
  EXPECT_FALSE(server_->site()->renderer->render("/feeds/f1.atom"));
}

// The daemon's reload and the cluster's re-render may call set_config() at the same moment: each
// ends the other's pass and starts its own, and the last one's feeds are served.
TEST_F(PublisherTest, ReloadsFromTwoThreadsAtOnceEndWithOneConfigServed) {
  Publisher publisher(*store_, *server_, nullptr);
  publisher.set_config(config_of(40));
  std::vector<std::thread> reloaders;
  for (int t = 0; t < 2; ++t) {
    reloaders.emplace_back([&publisher, t] {
      for (int i = 0; i < 10; ++i) publisher.set_config(config_of(20 + t * 10 + i));
    });
  }
  for (auto& r : reloaders) r.join();
  publisher.set_config(config_of(5));
  EXPECT_TRUE(serves_every_feed(*server_->site(), *config_of(5)));
  EXPECT_FALSE(server_->site()->renderer->render("/feeds/f5.atom"));
}

}  // namespace
}  // namespace fg::app
