// Serves N generated feeds through fg::serve::Server exactly as `feedgate serve` does (same
// make_resource, same Server), for tests/bench/serve/run.sh. Writes feed 0's identity and gzip
// bytes to DIR/feed.atom and DIR/feed.atom.gz, so nginx can serve the very same bytes.
//
// Bodies go to files in DIR/bodies and are sent with sendfile(2), as `feedgate serve` does;
// BODIES "memory" keeps them in the heap instead (the previous design, for comparison).
//
// Query parameters (?filter_title=...&opencc=s2t) are answered by the same pipeline::FeedShaping
// as `feedgate serve`, from items kept in memory here instead of read from a store (feeds 0-5).
//
// usage: serve_fixture PORT DIR FEEDS ITEMS [COMPRESS [BODIES]]   (COMPRESS 0: identity only)

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "pipeline/feed_shaping.hpp"
#include "render/render.hpp"
#include "serve/prepare.hpp"
#include "serve/server.hpp"
#include "support/cjk_text.hpp"

namespace {

fg::render::FeedItem item(int feed, int i) {
  fg::render::FeedItem it;
  const std::string n = std::to_string(feed) + "-" + std::to_string(i);
  it.article.url = "https://news.example.cn/a/" + n + ".html";
  it.article.title = "杭州市推进城市更新行动 第" + n + "期 重点项目建设取得新进展";
  std::uint32_t seed = static_cast<std::uint32_t>(feed * 7919 + i);
  std::string para;
  for (int k = 0; k < 5; ++k) para += "<p>" + fg::test::cjk_text(seed, 110) + "</p>";
  it.article.content_html = para;
  it.article.text = "记者从市发展和改革委员会获悉，今年以来全市重点项目建设总体进展顺利。";
  it.article.author = "记者 王" + std::to_string(i);
  it.first_seen = fg::Timestamp{std::chrono::seconds{1700000000 - i * 600}};
  it.updated = it.first_seen;
  return it;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || argc > 7) {
    std::fprintf(stderr, "usage: serve_fixture PORT DIR FEEDS ITEMS [COMPRESS [BODIES]]\n");
    return 2;
  }
  const std::string port = argv[1], dir = argv[2];
  const int feeds = std::stoi(argv[3]), items = std::stoi(argv[4]);
  const bool compress = argc < 6 || std::string(argv[5]) != "0";
  std::shared_ptr<const fg::serve::BodyDir> bodies;
  if (argc < 7 || std::string(argv[6]) != "memory") {
    auto opened = fg::serve::BodyDir::open(dir + "/bodies");
    if (!opened) {
      std::fprintf(stderr, "%s\n", opened.error().describe().c_str());
      return 1;
    }
    bodies = *opened;
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  fg::serve::ServerOptions options;
  options.listen = "127.0.0.1:" + port;
  options.threads = 1;
  fg::serve::Server server(options);
  auto site = std::make_shared<fg::serve::Site>();
  auto config = std::make_shared<fg::config::Config>();
  auto published = std::make_shared<std::map<std::string, fg::pipeline::FeedShaping::Published>>();
  for (int f = 0; f < feeds; ++f) {
    fg::render::FeedInfo info;
    info.id = "feed" + std::to_string(f);
    info.title = "杭州网 " + info.id;
    info.source_url = "https://news.example.cn/list/";
    info.self_base = "http://127.0.0.1:" + port;
    info.interval = std::chrono::minutes(10);
    info.updated = fg::Timestamp{std::chrono::seconds{1700000000}};
    std::vector<fg::render::FeedItem> list;
    for (int i = 0; i < items; ++i) list.push_back(item(f, i));
    std::string body = fg::render::render_atom(info, list);
    if (f == 0) {  // the same bytes for nginx, taken from an in-memory twin
      auto twin = fg::serve::make_resource("application/atom+xml; charset=utf-8", body,
                                           info.updated, 300, compress);
      std::ofstream(dir + "/feed.atom", std::ios::binary) << twin->body;
      std::ofstream(dir + "/feed.atom.gz", std::ios::binary) << twin->body_gzip;
    }
    auto atom = fg::serve::make_resource("application/atom+xml; charset=utf-8", std::move(body),
                                         info.updated, 300, compress, bodies.get());
    site->resources["/feeds/" + info.id + ".atom"] = std::move(atom);
    // Shaped: feeds 0-5 only (run.sh asks for variants of those), so that the memory figures
    // stay those of serving.
    if (f < 6) {
      fg::config::FeedConfig feed;
      feed.id = info.id;
      config->feeds.push_back(feed);
      (*published)[info.id] = {info, std::move(list)};
    }
  }
  site->shaping = std::make_shared<fg::pipeline::FeedShaping>(
      config, [published](const fg::config::FeedConfig& feed) { return published->at(feed.id); });
  server.publish(std::move(site));
  if (auto started = server.start(); !started) {
    std::fprintf(stderr, "%s\n", started.error().describe().c_str());
    return 1;
  }
  // As `feedgate serve` does: OpenCC's dictionaries load beside serving, not in a first request.
  std::thread preload([] {
    fg::pipeline::preload_shaping();
    std::printf("preloaded\n");  // run.sh times first requests only after this
    std::fflush(stdout);
  });
  std::printf("ready\n");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  server.stop();
  preload.join();
  return 0;
}
