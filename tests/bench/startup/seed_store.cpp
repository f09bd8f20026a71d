// Seeds a SQLite store for tests/bench/startup/run.py: FEEDS feeds "f0".."f<FEEDS-1>" of ITEMS
// articles each (Chinese text of a news item's size), through store::Store as a poll would
// commit them, so that start-up has every feed's items to render without polling anything.
//
// usage: bench_startup_seed DB FEEDS ITEMS [BASE]
// BASE (default https://news.example.cn): the articles' URLs are BASE/a/<feed>/<item>.htm, so
// that a portal serving list pages with those links has nothing new for a poll to fetch
// (tests/bench/cluster/scale_up.py).

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "support/cjk_text.hpp"

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: bench_startup_seed DB FEEDS ITEMS [BASE]\n");
    return 2;
  }
  const int feeds = std::stoi(argv[2]), items = std::stoi(argv[3]);
  const std::string base = argc == 5 ? argv[4] : "https://news.example.cn";
  auto store = fg::store::open_sqlite_store(argv[1]);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().describe().c_str());
    return 1;
  }
  const fg::Timestamp now{std::chrono::seconds{1'700'000'000}};
  for (int f = 0; f < feeds; ++f) {
    std::vector<fg::Article> batch;
    std::uint32_t seed = static_cast<std::uint32_t>(f);
    for (int i = 0; i < items; ++i) {
      fg::Article a;
      const std::string n = std::to_string(f) + "-" + std::to_string(i);
      a.url = base + "/a/" + std::to_string(f) + "/" + std::to_string(i) + ".htm";
      a.title = "杭州市推进城市更新行动 第" + n + "期";
      a.published = fg::PublishedTime{now - std::chrono::hours(i)};
      a.text = fg::test::cjk_text(seed, 400);
      a.content_html = "<p>" + a.text + "</p>";
      batch.push_back(std::move(a));
    }
    if (auto done = (*store)->commit_items("f" + std::to_string(f), batch, items, now); !done) {
      std::fprintf(stderr, "%s\n", done.error().describe().c_str());
      return 1;
    }
  }
  return 0;
}
