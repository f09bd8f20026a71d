// The cost of durability: the store's writes of one poll (commit_items, record_poll,
// save_validators) with SQLite's synchronous=NORMAL and =FULL in WAL mode. Run by hand, on the
// disk the daemon will use: `bench_store_sync [DIR] [POLLS] [ITEMS_PER_POLL]` (default: the
// current directory, 300 polls, 5 new items of ~6 KB each). Prints ms per poll and the ratio.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

fg::Article article(int poll, int i) {
  fg::Article a;
  a.url = "http://portal.example/news/" + std::to_string(poll) + "_" + std::to_string(i) + ".htm";
  a.title = "市政府新闻发布会 " + std::to_string(poll) + "." + std::to_string(i);
  a.text = std::string(2000, 'x');
  a.content_html = "<p>" + std::string(4000, 'y') + "</p>";
  return a;
}

// Milliseconds per poll over `polls` polls of a fresh store in `dir`.
double run(const std::string& dir, bool full, int polls, int items) {
  const std::string path = dir + (full ? "/bench-full.db" : "/bench-normal.db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  fg::store::SqliteOptions options;
  options.synchronous_full = full;
  auto opened = fg::store::open_sqlite_store(path, options);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().describe().c_str());
    std::exit(1);
  }
  fg::store::Store& store = **opened;
  const auto start = Clock::now();
  for (int p = 0; p < polls; ++p) {
    std::vector<fg::Article> batch;
    for (int i = 0; i < items; ++i) batch.push_back(article(p, i));
    const std::string feed = "feed-" + std::to_string(p % 20);
    if (!store.commit_items(feed, batch, 500, fg::now_seconds())) std::exit(1);
    fg::store::PollRecord record;
    record.started = fg::now_seconds();
    record.ok = true;
    record.new_items = items;
    if (!store.record_poll(feed, record)) std::exit(1);
    if (!store.save_validators(feed + "-list", {"\"etag\"", ""})) std::exit(1);
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return ms / polls;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  const int polls = argc > 2 ? std::atoi(argv[2]) : 300;
  const int items = argc > 3 ? std::atoi(argv[3]) : 5;
  const double normal = run(dir, false, polls, items);
  const double full = run(dir, true, polls, items);
  std::printf("store writes of one poll (%d new items), %d polls in %s:\n", items, polls,
              dir.c_str());
  std::printf("  synchronous=NORMAL  %.2f ms/poll\n  synchronous=FULL    %.2f ms/poll\n", normal,
              full);
  std::printf("  FULL/NORMAL = %.2f, +%.2f ms per poll\n", full / normal, full - normal);
  return 0;
}
