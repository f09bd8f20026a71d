#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "app/args.hpp"
#include "app/common.hpp"
#include "app/list_explain.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/article.hpp"
#include "extract/links.hpp"
#include "parse/dom.hpp"
#include "pipeline/page.hpp"
#include "pipeline/poll.hpp"

namespace fg::app {

namespace {

constexpr const char* kUsage =
    "usage: feedgate extract [--list] [--explain] [--base-url URL] [--charset NAME] [-c FILE "
    "--feed ID] [--fetched RFC3339] [--list-date TEXT] "
    "(URL|FILE)\n"
    "       feedgate extract --batch LIST [--explain]   (LIST: one PATH<TAB>BASE_URL<TAB>CHARSET a "
    "line)\n";

struct Page {
  std::string bytes;
  std::string content_type;
  std::string url;
};

Result<Page> read_page(const std::string& target, const std::optional<std::string>& base_url,
                       const fetch::FetchOptions& options) {
  const std::string scheme = url_scheme(target);
  if (scheme == "http" || scheme == "https" || scheme == "file") {
    fetch::Fetcher fetcher(options);
    auto response = fetcher.fetch({target, {}});
    if (!response) return response.error();
    return Page{std::move(response->body), response->content_type,
                base_url.value_or(response->final_url.empty() ? target : response->final_url)};
  }
  std::ifstream in(target, std::ios::binary);
  if (!in) return make_error(Errc::not_found, "cannot read file", target);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string url = base_url.value_or("file://" + std::filesystem::absolute(target).string());
  return Page{std::move(bytes), "", url};
}

nlohmann::json article_json(const Article& a) {
  nlohmann::json j;
  j["url"] = a.url;
  j["title"] = a.title;
  j["published"] = a.published ? nlohmann::json(format_rfc3339(*a.published)) : nlohmann::json();
  if (a.published) j["published_precision"] = precision_name(a.published->precision);
  j["author"] = a.author;
  j["source"] = a.source;
  j["editor"] = a.editor;
  j["language"] = a.language;
  j["site_name"] = a.site_name;
  j["content_html"] = a.content_html;
  j["text"] = a.text;
  return j;
}

nlohmann::json explain_article(const Page& page, const config::FeedConfig& feed, Timestamp fetched);

// One batch line: the page's JSON, or its error. Only the extraction is timed, so the tool that
// reads these lines measures extraction speed without process start-up or file reading.
nlohmann::json batch_page(const std::string& line, const config::FeedConfig& feed, bool explain) {
  const auto fields = split(line, '\t');
  const std::string& path = fields[0];
  const std::string base_url = fields.size() > 1 ? fields[1] : "";
  const std::string charset = fields.size() > 2 ? fields[2] : "";
  auto page = read_page(path, base_url.empty() ? std::nullopt : std::optional(base_url), {});
  if (!page) return {{"path", path}, {"error", page.error().describe()}};
  // The corpus charset stands for the HTTP header, so it goes where a fetch would put it.
  const std::string content_type = charset.empty() ? "" : "text/html; charset=" + charset;
  const Timestamp fetched = now_seconds();  // a saved page is read as if fetched now
  const auto start = std::chrono::steady_clock::now();
  auto article =
      pipeline::extract_article_page(page->bytes, content_type, page->url, feed, fetched);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  nlohmann::json out = article ? article_json(*article) : nlohmann::json::object();
  if (!article) out["error"] = article.error().describe();
  out["path"] = path;
  out["elapsed_us"] = elapsed.count();
  // The rules that fired (tests/eval counts them per site), from a second, untimed extraction.
  if (explain) {
    out["explain"] = explain_article(Page{page->bytes, content_type, page->url}, feed, fetched);
  }
  return out;
}

// Why each field was chosen (the rule per field, the top body candidates with their scores):
// the extraction again on a fresh parse, with the feed's article rules.
nlohmann::json explain_article(const Page& page, const config::FeedConfig& feed,
                               Timestamp fetched) {
  auto doc = pipeline::decode_and_parse(page.bytes, page.content_type, page.url, feed);
  if (!doc) return nlohmann::json::array({doc.error().describe()});
  auto fields = extract::extract_article(*doc, page.url, pipeline::article_rules(feed), fetched);
  if (!fields) return nlohmann::json::array({fields.error().describe()});
  nlohmann::json out = fields->explain;
  out.push_back("language: " + fields->language);
  out.push_back("site name: " + fields->site_name);
  return out;
}

// Extracts every page of a list in one process (zero-config rules), one JSON object a line.
int run_batch(const std::string& list_path, const config::FeedConfig& feed, bool explain) {
  std::ifstream list(list_path);
  if (!list) {
    std::fprintf(stderr, "feedgate extract: cannot read the --batch list %s\n", list_path.c_str());
    return kExitUsage;
  }
  int failed = 0;
  for (std::string line; std::getline(list, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const nlohmann::json out = batch_page(line, feed, explain);
    failed += out.contains("error") ? 1 : 0;
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
  return failed == 0 ? kExitOk : kExitFailure;
}

// The links of a list page with the date beside each, as JSON.
int print_links(const Page& page, const config::FeedConfig& feed, Timestamp fetched) {
  auto links = pipeline::extract_list_page(page.bytes, page.content_type, page.url, feed, fetched);
  if (!links) {
    std::fprintf(stderr, "feedgate extract: %s\n", links.error().describe().c_str());
    return kExitFailure;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& link : *links) {
    nlohmann::json j = {{"url", link.url}, {"text", link.text}};
    if (link.date) {
      j["date"] = format_rfc3339(*link.date);
      j["date_precision"] = precision_name(link.date->precision);
      j["date_text"] = link.date_text;
    }
    out.push_back(std::move(j));
  }
  std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  return kExitOk;
}

// An article page's fields; with --list-date, the publication time the item would get from it
// and the list's date (and why, with --explain).
int print_article(const Page& page, const config::FeedConfig& feed, Timestamp fetched,
                  const Args& args) {
  auto article =
      pipeline::extract_article_page(page.bytes, page.content_type, page.url, feed, fetched);
  if (!article) {
    std::fprintf(stderr, "feedgate extract: %s\n", article.error().describe().c_str());
    return kExitFailure;
  }
  std::string why;
  if (const auto list_date = args.get("--list-date")) {
    const auto listed = extract::find_list_date(*list_date, feed.timezone, fetched);
    extract::PublishedChoice choice =
        extract::choose_published(article->published, listed, fetched);
    article->published = choice.time;
    why = "published with the list's \"" + *list_date + "\": " + choice.why;
  }
  nlohmann::json out = article_json(*article);
  if (args.has("--explain")) {
    out["explain"] = explain_article(page, feed, fetched);
    if (!why.empty()) out["explain"].push_back(why);
  }
  std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  return kExitOk;
}

}  // namespace

int cmd_extract(int argc, char** argv) {
  auto args = parse_args(
      argc, argv, 2,
      {"--config", "--feed", "--base-url", "--charset", "--batch", "--fetched", "--list-date"},
      {"--list", "--explain"});
  if (args && args->get("--batch") && args->positionals.empty()) {
    config::FeedConfig feed;
    if (auto charset = args->get("--charset")) feed.charset = *charset;
    return run_batch(*args->get("--batch"), feed, args->has("--explain"));
  }
  if (!args || args->positionals.size() != 1) {
    std::fprintf(stderr, "feedgate extract: %s\n%s",
                 args ? "expected one URL or FILE" : args.error().message.c_str(), kUsage);
    return kExitUsage;
  }
  config::FeedConfig feed;
  fetch::FetchOptions options;
  // A URL typed by hand, without a config: the operator chose it, so it may be on their network.
  options.allow_private = true;
  if (args->get("--config")) {
    auto config = load_or_report(*args->get("--config"));
    if (!config) return kExitUsage;
    options = fetch_options(config->fetch);
    const std::string id = args->get("--feed").value_or("");
    auto it = std::find_if(config->feeds.begin(), config->feeds.end(),
                           [&](const auto& f) { return f.id == id; });
    if (it == config->feeds.end()) {
      std::fprintf(stderr, "feedgate extract: --feed names no feed of %s (got \"%s\")\n",
                   config->path.c_str(), id.c_str());
      return kExitUsage;
    }
    feed = *it;
  }
  if (auto charset = args->get("--charset")) feed.charset = *charset;

  auto page = read_page(args->positionals[0], args->get("--base-url"), options);
  if (!page) {
    std::fprintf(stderr, "feedgate extract: %s\n", page.error().describe().c_str());
    return kExitFailure;
  }
  // Relative dates are read against when the page was read: now, or --fetched for a saved page.
  Timestamp fetched = now_seconds();
  if (const auto at = args->get("--fetched")) {
    const auto parsed = parse_rfc3339(*at);
    if (!parsed) {
      std::fprintf(stderr,
                   "feedgate extract: --fetched \"%s\" is not an RFC 3339 time with an offset "
                   "(2026-12-02T15:00:00+08:00)\n",
                   at->c_str());
      return kExitUsage;
    }
    fetched = *parsed;
  }
  if (args->has("--list") && args->has("--explain"))
    return print_list_explanation(page->bytes, page->content_type, page->url, feed, fetched);
  if (args->has("--list")) return print_links(*page, feed, fetched);
  return print_article(*page, feed, fetched, *args);
}

}  // namespace fg::app
