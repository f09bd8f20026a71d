// Per-article cost of the pipeline, stage by stage (run by tests/bench/extract/run.py, not by
// make test): fetch → decode → parse → extract → normalize → store → render, each in CPU seconds
// (fetch: of the whole process, as curl runs on the fetcher's thread; the others: of this
// thread), with two baselines on the same decoded bytes: gumbo's own parse (what our parse
// wraps) and libxml2's HTML parser (an alternative Debian ships).
//
//   bench_extract LIST [--reps N] [--db PATH] [--baselines 0]   (0: skip them, for profiling)
// LIST: one page a line, SET<TAB>MODE<TAB>PATH<TAB>URL<TAB>CHARSET[<TAB>FETCH_URL]; MODE is
// "auto" (zero-config rules) or "selectors" (the poll benchmark's h1 / .time / #zoom). With a
// FETCH_URL the page is fetched from there (a local server) instead of read from PATH. Store
// and render run as a poll does, once per 20 pages: commit, then the feed rendered as RSS, Atom
// and JSON Feed (render) and prepared for serving with gzip and brotli variants (compress, by
// serve::make_resource); their cost is shared among the 20.

#include <gumbo.h>
#include <libxml/HTMLparser.h>
#include <time.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "decode/decode.hpp"
#include "extract/article.hpp"
#include "fetch/fetcher.hpp"
#include "normalize/normalize.hpp"
#include "parse/dom.hpp"
#include "render/render.hpp"
#include "serve/prepare.hpp"
#include "serve/server.hpp"
#include "store/store.hpp"

namespace {

constexpr std::size_t kPollBatch = 20;
bool g_baselines = true;

double cpu_now(clockid_t clock = CLOCK_THREAD_CPUTIME_ID) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct PageInput {
  std::string set, mode, path, url, charset, fetch_url, bytes;
};

enum Stage {
  kFetch,
  kDecode,
  kParse,
  kExtract,
  kNormalize,
  kStore,
  kRender,
  kCompress,
  kGumbo,
  kLibxml2,
  kStages
};
constexpr int kPipelineStages = kCompress + 1;
constexpr const char* kStageNames[kStages] = {"fetch",     "decode",     "parse",  "extract",
                                              "normalize", "store",      "render", "compress",
                                              "gumbo_raw", "libxml2_raw"};

struct SetTotals {
  double seconds[kStages] = {};
  long pages = 0;  // page runs (pages × reps)
  double kib = 0;  // input size summed over page runs
  long fetched = 0;
  long failed = 0;
};

std::vector<PageInput> read_list(const std::string& list_path) {
  std::vector<PageInput> pages;
  std::ifstream list(list_path);
  for (std::string line; std::getline(list, line);) {
    const auto f = fg::split(line, '\t');
    if (f.size() < 4) continue;
    PageInput p{f[0], f[1], f[2], f[3], f.size() > 4 ? f[4] : "", f.size() > 5 ? f[5] : "", ""};
    std::ifstream in(p.path, std::ios::binary);
    p.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!p.bytes.empty()) pages.push_back(std::move(p));
  }
  return pages;
}

fg::extract::ArticleRules rules_for(const std::string& mode) {
  fg::extract::ArticleRules rules;
  if (mode == "selectors") {
    rules.title = "h1";
    rules.published = ".time";
    rules.content = "#zoom";
  }
  return rules;
}

void time_baselines(const std::string& html, SetTotals& t) {
  double t0 = cpu_now();
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
  gumbo_destroy_output(&options, out);
  double t1 = cpu_now();
  htmlDocPtr doc = htmlReadMemory(
      html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  xmlFreeDoc(doc);
  double t2 = cpu_now();
  t.seconds[kGumbo] += t1 - t0;
  t.seconds[kLibxml2] += t2 - t1;
}

// The page's bytes and Content-Type: fetched when it has a FETCH_URL, else as read from PATH.
std::pair<std::string, std::string> page_bytes(const PageInput& p, fg::fetch::Fetcher& fetcher,
                                               SetTotals& t) {
  const std::string header = p.charset.empty() ? "" : "text/html; charset=" + p.charset;
  if (p.fetch_url.empty()) return {p.bytes, header};
  const double t0 = cpu_now(CLOCK_PROCESS_CPUTIME_ID);
  auto response = fetcher.fetch({p.fetch_url, {}});
  t.seconds[kFetch] += cpu_now(CLOCK_PROCESS_CPUTIME_ID) - t0;
  ++t.fetched;
  if (!response) {
    std::fprintf(stderr, "fetch: %s\n", response.error().describe().c_str());
    ++t.failed;
    return {p.bytes, header};
  }
  return {std::move(response->body), header.empty() ? response->content_type : header};
}

// One page through fetch, decode, parse, extract and normalize; the article is kept for the
// store.
fg::Article run_page(const PageInput& p, int rep, fg::fetch::Fetcher& fetcher, SetTotals& t) {
  const auto [bytes, content_type] = page_bytes(p, fetcher, t);
  double t0 = cpu_now();
  auto decoded = fg::decode::to_utf8(bytes, content_type);
  double t1 = cpu_now();
  fg::Article article;
  article.url = p.url + "#rep" + std::to_string(rep);
  if (!decoded) return article;
  fg::parse::Document doc = fg::parse::Document::parse(decoded->text);
  double t2 = cpu_now();
  auto fields = fg::extract::extract_article(doc, p.url, rules_for(p.mode), fg::now_seconds());
  double t3 = cpu_now();
  if (fields && fields->content != nullptr) {
    auto content = fg::normalize::normalize_content(*fields->content, p.url);
    article.content_html = std::move(content.html);
    article.text = std::move(content.text);
  }
  double t4 = cpu_now();
  if (fields) {
    article.title = fields->title;
    article.published = fields->published;
    article.author = fields->author;
    article.source = fields->source;
  }
  if (article.text.empty()) ++t.failed;
  t.seconds[kDecode] += t1 - t0;
  t.seconds[kParse] += t2 - t1;
  t.seconds[kExtract] += t3 - t2;
  t.seconds[kNormalize] += t4 - t3;
  if (g_baselines) time_baselines(decoded->text, t);
  return article;
}

// As a poll does: look up which links are stored, commit the new ones in one transaction, then
// render the feed's representations again from the store (as the publisher does after a poll).
void run_store_and_render(fg::store::Store& store, const std::string& feed_id,
                          const std::vector<fg::Article>& batch, SetTotals& t) {
  std::vector<std::string> urls;
  for (const auto& a : batch) urls.push_back(a.url);
  double t0 = cpu_now();
  (void)store.known_urls(feed_id, urls);
  auto committed = store.commit_items(feed_id, batch, kPollBatch, fg::now_seconds());
  double t1 = cpu_now();
  if (!committed) std::fprintf(stderr, "store: %s\n", committed.error().describe().c_str());
  fg::render::FeedInfo info;
  info.id = info.title = feed_id;
  info.source_url = "http://127.0.0.1/";
  info.self_base = "http://127.0.0.1:8080";
  std::vector<fg::render::FeedItem> items;
  if (auto stored = store.items(feed_id, kPollBatch)) {
    for (auto& s : *stored) items.push_back({std::move(s.article), s.first_seen, s.updated});
  }
  info.updated = fg::now_seconds();
  const std::string bodies[] = {fg::render::render_rss(info, items),
                                fg::render::render_atom(info, items),
                                fg::render::render_json_feed(info, items)};
  double t2 = cpu_now();
  for (const std::string& body : bodies) {
    (void)fg::serve::make_resource("application/xml", body, info.updated, 60);
  }
  t.seconds[kStore] += t1 - t0;
  t.seconds[kRender] += t2 - t1;
  t.seconds[kCompress] += cpu_now() - t2;
}

void print_header() {
  std::printf("%-22s %5s %4s", "set (ms CPU per page)", "runs", "KiB");
  for (const char* name : kStageNames) std::printf(" %7.7s", name);
  std::printf(" %7s %7s %7s %7s\n", "total", "pages/s", "p/gumbo", "xml/gmb");
}

void print_row(const std::string& set, const SetTotals& t) {
  const double n = static_cast<double>(t.pages);
  double total = 0;
  for (int s = 0; s < kPipelineStages; ++s) total += t.seconds[s];
  std::printf("%-22s %5ld %4.0f", set.c_str(), t.pages, t.kib / n);
  for (int s = 0; s < kStages; ++s) {
    if (s == kFetch && t.fetched == 0) {
      std::printf(" %7s", "-");
    } else {
      std::printf(" %7.3f", 1000 * t.seconds[s] / n);
    }
  }
  std::printf(" %7.3f %7.1f %7.2f %7.2f\n", 1000 * total / n, n / total,
              t.seconds[kParse] / t.seconds[kGumbo], t.seconds[kLibxml2] / t.seconds[kGumbo]);
  if (t.failed > 0) std::printf("  (%ld page runs failed or found no body)\n", t.failed);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_extract LIST [--reps N] [--db PATH] [--baselines 0]\n");
    return 2;
  }
  int reps = 5;
  std::string db_path = "/tmp/feedgate-bench-extract.db";
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--reps") reps = std::stoi(argv[i + 1]);
    if (flag == "--db") db_path = argv[i + 1];
    if (flag == "--baselines") g_baselines = std::string(argv[i + 1]) != "0";
  }
  const std::vector<PageInput> pages = read_list(argv[1]);
  if (pages.empty()) {
    std::fprintf(stderr, "bench_extract: no readable pages in %s\n", argv[1]);
    return 2;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path + suffix);
  auto store = fg::store::open_sqlite_store(db_path);
  if (!store) {
    std::fprintf(stderr, "bench_extract: %s\n", store.error().describe().c_str());
    return 2;
  }
  fg::fetch::FetchOptions fetch_options;
  fetch_options.allow_private = true;  // the page server is on 127.0.0.1
  fetch_options.min_gap = std::chrono::milliseconds{0};
  fg::fetch::Fetcher fetcher(fetch_options);
  std::map<std::string, SetTotals> totals;
  std::vector<std::string> order;
  for (int rep = 0; rep < reps; ++rep) {
    std::vector<fg::Article> batch;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      const PageInput& p = pages[i];
      if (!totals.count(p.set)) order.push_back(p.set);
      SetTotals& t = totals[p.set];
      batch.push_back(run_page(p, rep, fetcher, t));
      ++t.pages;
      t.kib += static_cast<double>(p.bytes.size()) / 1024;
      if (batch.size() == kPollBatch || i + 1 == pages.size() || pages[i + 1].set != p.set) {
        run_store_and_render(**store, "bench-" + std::to_string(i) + "-" + std::to_string(rep),
                             batch, t);
        batch.clear();
      }
    }
  }
  print_header();
  for (const std::string& set : order) print_row(set, totals[set]);
  return 0;
}
