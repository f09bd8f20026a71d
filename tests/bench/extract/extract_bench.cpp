// Per-article cost of the pipeline, stage by stage (run by tests/bench/extract/run.py, not by
// make test): decode → parse → extract → normalize → store, each timed in CPU seconds of this
// thread, with two baselines on the same decoded bytes: gumbo's own parse (what our parse
// wraps) and libxml2's HTML parser (an alternative Debian ships).
//
//   bench_extract LIST [--reps N] [--db PATH]
// LIST: one page a line, SET<TAB>MODE<TAB>PATH<TAB>URL<TAB>CHARSET; MODE is "auto" (zero-config
// rules) or "selectors" (the poll benchmark's h1 / .time / #zoom). Prints one row per SET.

#include <gumbo.h>
#include <libxml/HTMLparser.h>
#include <time.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "decode/decode.hpp"
#include "extract/article.hpp"
#include "normalize/normalize.hpp"
#include "parse/dom.hpp"
#include "store/store.hpp"

namespace {

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct PageInput {
  std::string set, mode, path, url, charset, bytes;
};

enum Stage { kDecode, kParse, kExtract, kNormalize, kStore, kGumbo, kLibxml2, kStages };
constexpr const char* kStageNames[kStages] = {"decode", "parse",     "extract",    "normalize",
                                              "store",  "gumbo_raw", "libxml2_raw"};

struct SetTotals {
  double seconds[kStages] = {};
  long pages = 0;  // page runs (pages × reps)
  double kib = 0;  // input size summed over page runs
  long no_content = 0;
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
    fields.push_back(line.substr(start, tab - start));
  fields.push_back(line.substr(start));
  return fields;
}

std::vector<PageInput> read_list(const std::string& list_path) {
  std::vector<PageInput> pages;
  std::ifstream list(list_path);
  for (std::string line; std::getline(list, line);) {
    const auto f = split_tabs(line);
    if (f.size() < 4) continue;
    PageInput p{f[0], f[1], f[2], f[3], f.size() > 4 ? f[4] : "", ""};
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

// One page through decode, parse, extract and normalize; the article is kept for the store.
fg::Article run_page(const PageInput& p, int rep, SetTotals& t) {
  const std::string content_type = p.charset.empty() ? "" : "text/html; charset=" + p.charset;
  double t0 = cpu_now();
  auto decoded = fg::decode::to_utf8(p.bytes, content_type);
  double t1 = cpu_now();
  fg::Article article;
  article.url = p.url + "#rep" + std::to_string(rep);
  if (!decoded) return article;
  fg::parse::Document doc = fg::parse::Document::parse(decoded->text);
  double t2 = cpu_now();
  auto fields = fg::extract::extract_article(doc, p.url, rules_for(p.mode));
  double t3 = cpu_now();
  if (fields && fields->content != nullptr) {
    auto content = fg::normalize::normalize_content(*fields->content, p.url);
    article.content_html = std::move(content.html);
    article.text = std::move(content.text);
  } else {
    ++t.no_content;
  }
  double t4 = cpu_now();
  if (fields) {
    article.title = fields->title;
    article.published = fields->published;
    article.author = fields->author;
    article.source = fields->source;
  }
  t.seconds[kDecode] += t1 - t0;
  t.seconds[kParse] += t2 - t1;
  t.seconds[kExtract] += t3 - t2;
  t.seconds[kNormalize] += t4 - t3;
  time_baselines(decoded->text, t);
  return article;
}

// As a poll does: look up which links are stored, then commit the new ones in one transaction.
void run_store(fg::store::Store& store, const std::string& feed_id,
               const std::vector<fg::Article>& batch, SetTotals& t) {
  std::vector<std::string> urls;
  for (const auto& a : batch) urls.push_back(a.url);
  double t0 = cpu_now();
  (void)store.known_urls(feed_id, urls);
  auto committed = store.commit_items(feed_id, batch, 20, fg::now_seconds());
  t.seconds[kStore] += cpu_now() - t0;
  if (!committed) std::fprintf(stderr, "store: %s\n", committed.error().describe().c_str());
}

void print_row(const std::string& set, const SetTotals& t) {
  const double n = static_cast<double>(t.pages);
  double total = 0;
  for (int s = kDecode; s <= kStore; ++s) total += t.seconds[s];
  std::printf("%-22s %6ld %7.0f", set.c_str(), t.pages, t.kib / n);
  for (int s = 0; s < kStages; ++s) std::printf(" %9.3f", 1000 * t.seconds[s] / n);
  std::printf(" %9.3f %8.1f %7.2f %7.2f\n", 1000 * total / n, n / total,
              t.seconds[kParse] / t.seconds[kGumbo], t.seconds[kLibxml2] / t.seconds[kGumbo]);
  if (t.no_content > 0) std::printf("  (%ld page runs found no body)\n", t.no_content);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_extract LIST [--reps N] [--db PATH]\n");
    return 2;
  }
  int reps = 5;
  std::string db_path = "/tmp/feedgate-bench-extract.db";
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--reps") reps = std::stoi(argv[i + 1]);
    if (flag == "--db") db_path = argv[i + 1];
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
  std::map<std::string, SetTotals> totals;
  std::vector<std::string> order;
  for (int rep = 0; rep < reps; ++rep) {
    std::vector<fg::Article> batch;
    for (const PageInput& p : pages) {
      if (!totals.count(p.set)) order.push_back(p.set);
      SetTotals& t = totals[p.set];
      batch.push_back(run_page(p, rep, t));
      ++t.pages;
      t.kib += static_cast<double>(p.bytes.size()) / 1024;
      if (batch.size() == 20 || &p == &pages.back() || pages[&p - &pages[0] + 1].set != p.set) {
        run_store(**store, "bench-" + p.set + "-" + std::to_string(rep), batch, t);
        batch.clear();
      }
    }
  }
  std::printf("%-22s %6s %7s", "set (ms CPU per page)", "runs", "KiB");
  for (const char* name : kStageNames) std::printf(" %9s", name);
  std::printf(" %9s %8s %7s %7s\n", "total", "pages/s", "p/gumbo", "xml/gmb");
  for (const std::string& set : order) print_row(set, totals[set]);
  return 0;
}
