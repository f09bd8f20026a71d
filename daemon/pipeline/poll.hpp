#pragma once
// One refresh of one feed: fetch the list page → did it change? → find links → fetch the new
// articles → extract → normalize → store. The pipeline is the only place where stages are
// composed: this is its ingest half, publish.hpp its publish half (store → render → serve).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/article.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace fg::fetch {
class Fetcher;
}
namespace fg::store {
class Store;
}

namespace fg::pipeline {

class PageBudget;

struct PollSummary {
  std::string feed_id;
  bool ok = false;  // list page read and new items committed (some articles may have failed)
  bool list_unchanged = false;  // the list page answered 304
  // The fetcher was stopped mid-poll (shutting down): nothing was stored, not even the poll.
  bool cancelled = false;
  int http_status = 0;
  int links_found = 0;
  int articles_fetched = 0;
  int articles_failed = 0;          // fetched or extracted with an error
  int new_items = 0;                // inserted or changed in the store
  std::uint64_t bytes = 0;          // bodies fetched (list and articles), after decompression
  bool connection_failure = false;  // the list page's host could not be reached or timed out
  std::optional<std::chrono::seconds> retry_after;  // the portal asked for this much quiet
  std::vector<std::string> problems;                // errors (when !ok) and warnings, one line each
  std::chrono::milliseconds duration{0};
  // For /metrics: "ok", "not_modified", or what went wrong ("http_error", "network_error",
  // "timeout", "too_large", "fetch_error", "parse_error", "store_error", "cancelled").
  std::string outcome;
  double fetch_seconds = -1;  // time to fetch the list page; -1 when it was not fetched

  // "12 links, 6 fetched, 6 new" or the first problem.
  std::string describe() const;
};

// Called after each article page (for progress displays); may be empty.
using ArticleProgress = std::function<void(const std::string& url, bool ok)>;

// What a poll works with; owned by the caller and shared between polls. The fetcher applies
// the concurrency, per-host and minimum-gap limits across every poll that shares it.
struct PollContext {
  fetch::Fetcher& fetcher;
  store::Store& store;
  PageBudget* pages = nullptr;  // the limits config asks for; nullptr: default_page_budget()
  // When a page was read, which its relative dates ("3小时前") are read against; empty: the
  // system clock (tests set a fixed one).
  std::function<Timestamp()> clock = {};
};

// Polls a feed once and records the outcome in the store. Never throws; a failure leaves every
// stored item as it was. When ctx.fetcher is stopped during the poll, the poll is cancelled: it
// stores no item, no validator and no poll record, so the next run starts from the same state.
PollSummary poll_feed(const config::FeedConfig& feed, const PollContext& ctx,
                      const ArticleProgress& progress = {});

// Extracts one article page (bytes as fetched at `fetched`, which relative dates are read
// against) with the feed's rules: decode, parse, extract, normalize; content over
// limits.max_article_size is cut (cap_content_html). Used by poll_feed and by `feedgate extract`.
Result<Article> extract_article_page(std::string_view bytes, std::string_view content_type,
                                     const std::string& url, const config::FeedConfig& feed,
                                     Timestamp fetched, const config::LimitsOptions& limits = {});

// An article as extract_article_page makes it, with why each field is what it is (the lines
// `feedgate extract --explain` prints: "title: <h1>", body candidates with their scores, ...).
struct ExplainedArticle {
  Article article;
  std::vector<std::string> explain;
};
Result<ExplainedArticle> explain_article_page(std::string_view bytes, std::string_view content_type,
                                              const std::string& url,
                                              const config::FeedConfig& feed, Timestamp fetched,
                                              const config::LimitsOptions& limits = {});

struct FoundLink {
  std::string url;
  std::string text;
  std::optional<PublishedTime> date;  // the date beside it on the list page
  std::string date_text;              // the row's text it was read from
};
// Finds the article links of a list page (bytes as fetched at `fetched`) with the feed's rules,
// each with the date beside it.
Result<std::vector<FoundLink>> extract_list_page(std::string_view bytes,
                                                 std::string_view content_type,
                                                 const std::string& url,
                                                 const config::FeedConfig& feed, Timestamp fetched,
                                                 const config::LimitsOptions& limits = {});

}  // namespace fg::pipeline
