#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "app/args.hpp"
#include "app/common.hpp"
#include "core/log.hpp"
#include "pipeline/page_budget.hpp"
#include "pipeline/poll.hpp"
#include "store/store.hpp"

namespace fg::app {

namespace {

// Live progress on a terminal; plain lines when piped.
class Progress {
 public:
  explicit Progress(std::size_t total) : total_(total), tty_(isatty(STDOUT_FILENO) != 0) {}

  void article(bool ok) {
    ++articles_;
    if (!ok) ++errors_;
    redraw();
  }
  void feed_done(const pipeline::PollSummary& s) {
    std::lock_guard lock(mutex_);
    ++done_;
    if (tty_) std::fputs("\r\033[K", stdout);
    std::printf("%s: %s %s (%.1fs)\n", s.feed_id.c_str(),
                s.ok ? "ok," : "FAILED:", s.describe().c_str(),
                static_cast<double>(s.duration.count()) / 1000.0);
    for (std::size_t i = s.ok ? 0 : 1; i < s.problems.size(); ++i) {
      std::printf("  %s\n", s.problems[i].c_str());
    }
    draw_locked();
  }

 private:
  void redraw() {
    std::lock_guard lock(mutex_);
    draw_locked();
  }
  void draw_locked() {
    if (!tty_) return;
    std::printf("\r\033[K[%zu/%zu feeds] %d articles fetched, %d errors", done_, total_,
                articles_.load(), errors_.load());
    std::fflush(stdout);
  }

  std::mutex mutex_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::atomic<int> articles_{0};
  std::atomic<int> errors_{0};
  bool tty_;
};

}  // namespace

int cmd_poll(int argc, char** argv) {
  auto args = parse_args(argc, argv, 2, {"--config", "--feed"}, {});
  if (!args) {
    std::fprintf(stderr, "feedgate poll: %s\nusage: feedgate poll [-c FILE] [--feed ID]\n",
                 args.error().message.c_str());
    return kExitUsage;
  }
  auto config = load_or_report(args->get("--config").value_or(kDefaultConfigPath));
  if (!config) return kExitUsage;
  std::vector<const config::FeedConfig*> feeds;
  for (const auto& feed : config->feeds) {
    if (!feed.polls()) continue;  // merged and same_as feeds poll nothing of their own
    if (!args->get("--feed") || feed.id == *args->get("--feed")) feeds.push_back(&feed);
  }
  if (args->get("--feed") && feeds.empty()) {
    std::fprintf(stderr, "feedgate poll: no feed with id \"%s\" in %s\n",
                 args->get("--feed")->c_str(), config->path.c_str());
    return kExitUsage;
  }
  auto store = open_store(config->storage);
  if (!store) {
    std::fprintf(stderr, "feedgate poll: %s\n", store.error().describe().c_str());
    return kExitFailure;
  }
  fetch::Fetcher fetcher(fetch_options(config->fetch));
  pipeline::PageBudget pages(config->limits);
  const pipeline::PollContext ctx{fetcher, **store, &pages};

  Progress progress(feeds.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> all_ok{true};
  // A worker thread. poll_feed does not throw; should anything else (out of memory), the feed
  // counts as failed, the thread says so and goes on with the next feed.
  auto worker = [&] {
    for (std::size_t i = next++; i < feeds.size(); i = next++) {
      try {
        auto summary = pipeline::poll_feed(
            *feeds[i], ctx, [&](const std::string&, bool ok) { progress.article(ok); });
        if (!summary.ok || summary.articles_failed > 0) all_ok = false;
        progress.feed_done(summary);
      } catch (...) {
        all_ok = false;
        log::thread_failed("poll", "feed " + feeds[i]->id + " failed; the next feed is polled");
      }
    }
  };
  const auto n_threads =
      std::clamp<std::size_t>(feeds.size(), 1, static_cast<std::size_t>(config->fetch.concurrency));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < n_threads; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (isatty(STDOUT_FILENO) != 0) std::puts("");
  return all_ok ? kExitOk : kExitFailure;
}

}  // namespace fg::app
