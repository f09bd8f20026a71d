#include "pipeline/poll.hpp"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "extract/article.hpp"
#include "fetch/fetcher.hpp"
#include "pipeline/page_budget.hpp"
#include "store/store.hpp"

namespace fg::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

// A 304 for a list page means "nothing new for this feed" only if this feed, with these link
// rules, read the page last time: two feeds on one URL, or a feed whose rules changed on reload,
// must not skip a page some other reading saw. So list validators are kept per feed and rules.
std::string list_validators_key(const config::FeedConfig& feed) {
  return feed.url + "\tfeed=" + feed.id + "\tlinks=" + feed.links +
         "\tpattern=" + feed.link_pattern;
}

fetch::Validators stored_validators(store::Store& store, const std::string& key) {
  auto v = store.validators(key);
  if (!v || !v->has_value()) return {};
  return {(*v)->etag, (*v)->last_modified};
}

// Responses handed from the fetcher's thread to the polling thread, tagged with their index.
struct Inbox {
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<std::pair<std::size_t, Result<fetch::Response>>> responses;

  std::pair<std::size_t, Result<fetch::Response>> next() {
    std::unique_lock lock(mutex);
    arrived.wait(lock, [&] { return !responses.empty(); });
    auto front = std::move(responses.front());
    responses.pop_front();
    return front;
  }
};

// The first max_items links not stored yet, in page order.
std::vector<std::string> new_article_urls(const config::FeedConfig& feed,
                                          const std::vector<FoundLink>& links,
                                          const PollContext& ctx, PollSummary& summary) {
  std::vector<std::string> urls;
  for (const auto& link : links) urls.push_back(link.url);
  auto known = ctx.store.known_urls(feed.id, urls);
  if (!known) {
    summary.problems.push_back(known.error().describe());
    return {};
  }
  std::vector<std::string> wanted;
  for (std::string& url : urls) {
    if (static_cast<int>(wanted.size()) >= feed.max_items) break;
    if (known->count(url) == 0) wanted.push_back(std::move(url));
  }
  return wanted;
}

// Problems of one extracted article page: its error, or warnings about what is missing.
std::vector<std::string> article_problems(const std::string& url, const Result<Article>& a) {
  if (!a) return {a.error().describe()};
  std::vector<std::string> out;
  if (a->title.empty()) out.push_back(url + ": warning: no title found");
  if (!a->published) {
    out.push_back(url + ": warning: no publication date found; using the time it was first seen");
  }
  if (a->text.empty()) out.push_back(url + ": warning: no article body found");
  return out;
}

// Article fetches a poll keeps in flight or answered and not read yet, besides the one being
// read. Each holds up to fetch.max_body bytes, so fifty of them waiting for the parser were
// hundreds of MiB; with one, fetching the next article overlaps reading this one.
constexpr std::size_t kArticlesAhead = 1;

// Fetches the new articles, kArticlesAhead ahead of the one being read (the fetcher keeps to the
// concurrency, per-host and gap limits), and extracts each on this thread, in a parse slot of the
// page budget, as it arrives; the result keeps page order.
std::vector<Article> fetch_new_articles(const config::FeedConfig& feed,
                                        const std::vector<FoundLink>& links, const PollContext& ctx,
                                        PageBudget& pages, PollSummary& summary,
                                        const ArticleProgress& progress) {
  const std::vector<std::string> urls = new_article_urls(feed, links, ctx, summary);
  // The date beside each link: an item's publication time when its page gives none, or only the
  // day. Only new links are read, so a stored item keeps the time it was first given, whatever
  // "3小时前" became since.
  std::unordered_map<std::string, std::optional<PublishedTime>> listed;
  for (const FoundLink& link : links) listed.emplace(link.url, link.date);
  auto inbox = std::make_shared<Inbox>();
  std::size_t submitted = 0;
  auto submit_next = [&] {
    if (submitted == urls.size()) return;
    const std::size_t i = submitted++;
    ctx.fetcher.fetch_async({urls[i], {}}, [inbox, i](Result<fetch::Response> r) {
      {
        std::lock_guard lock(inbox->mutex);
        inbox->responses.emplace_back(i, std::move(r));
      }
      inbox->arrived.notify_one();
    });
  };
  for (std::size_t k = 0; k < kArticlesAhead; ++k) submit_next();
  std::vector<std::optional<Article>> slots(urls.size());
  std::vector<std::vector<std::string>> problems(urls.size());
  for (std::size_t n = 0; n < urls.size(); ++n) {
    auto [i, response] = inbox->next();
    submit_next();
    if (response) summary.bytes += response->body.size();
    Result<Article> article = [&, i = i, &response = response]() -> Result<Article> {
      if (!response) return response.error();
      const Timestamp fetched = ctx.clock ? ctx.clock() : now_seconds();
      PageBudget::Slot slot(pages, response->body.size());
      auto a = extract_article_page(response->body, response->content_type, urls[i], feed, fetched,
                                    pages.limits());
      if (a) a->published = extract::choose_published(a->published, listed[urls[i]], fetched).time;
      return a;
    }();
    ++summary.articles_fetched;
    if (progress) progress(urls[i], article.ok());
    problems[i] = article_problems(urls[i], article);
    if (article) {
      slots[i] = std::move(*article);
    } else {
      ++summary.articles_failed;
    }
  }
  std::vector<Article> articles;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    for (auto& p : problems[i]) summary.problems.push_back(std::move(p));
    if (slots[i]) articles.push_back(std::move(*slots[i]));
  }
  return articles;
}

}  // namespace

std::string PollSummary::describe() const {
  if (!ok) return problems.empty() ? "failed" : problems.front();
  if (list_unchanged) return "list page unchanged (304)";
  std::string out = std::to_string(links_found) + " links, " + std::to_string(articles_fetched) +
                    " fetched, " + std::to_string(new_items) + " new";
  if (!problems.empty())
    out += "; " + std::to_string(problems.size()) + " warning(s): " + problems.front();
  return out;
}

namespace {

// The /metrics outcome of a list page that could not be fetched.
const char* fetch_outcome(Errc code) {
  switch (code) {
    case Errc::http_status:
      return "http_error";
    case Errc::network:
      return "network_error";
    case Errc::timeout:
      return "timeout";
    case Errc::too_large:
      return "too_large";
    default:
      return "fetch_error";
  }
}

}  // namespace

PollSummary poll_feed(const config::FeedConfig& feed, const PollContext& ctx,
                      const ArticleProgress& progress) {
  const auto started_wall = now_seconds();
  const auto started = Clock::now();
  PollSummary summary;
  summary.feed_id = feed.id;

  auto finish = [&](bool ok) {
    summary.ok = ok;
    summary.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    store::PollRecord record;
    record.started = started_wall;
    record.duration = summary.duration;
    record.ok = summary.ok && summary.articles_failed == 0;  // shows on the status page
    record.http_status = summary.http_status;
    record.new_items = summary.new_items;
    record.articles_fetched = summary.articles_fetched;
    record.bytes = summary.bytes;
    for (const auto& p : summary.problems) record.error += (record.error.empty() ? "" : "\n") + p;
    (void)ctx.store.record_poll(feed.id, record);  // a failure to record must not fail the poll
    return summary;
  };

  // Shutting down: whatever this poll got so far is dropped, not stored half-done.
  auto cancel = [&] {
    summary.cancelled = true;
    summary.outcome = "cancelled";
    summary.problems.insert(summary.problems.begin(),
                            feed.id + ": poll cancelled, feedgate is stopping; nothing stored");
    summary.duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    return summary;
  };

  const fetch::Validators validators = stored_validators(ctx.store, list_validators_key(feed));
  const auto fetch_started = Clock::now();
  auto list = ctx.fetcher.fetch({feed.url, validators});
  const Timestamp list_fetched = ctx.clock ? ctx.clock() : now_seconds();
  summary.fetch_seconds = std::chrono::duration<double>(Clock::now() - fetch_started).count();
  if (!list && ctx.fetcher.stopped()) return cancel();
  if (!list) {
    summary.outcome = fetch_outcome(list.error().code);
    summary.problems.push_back(list.error().describe());
    summary.http_status = fetch::http_status_of(list.error());
    summary.connection_failure =
        list.error().code == Errc::network || list.error().code == Errc::timeout;
    summary.retry_after = fetch::retry_after_of(list.error());
    return finish(false);
  }
  summary.http_status = list->status;
  summary.bytes += list->body.size();
  if (list->not_modified()) {
    summary.list_unchanged = true;
    summary.outcome = "not_modified";
    return finish(true);
  }
  PageBudget& pages = ctx.pages != nullptr ? *ctx.pages : default_page_budget();
  auto links = [&] {
    PageBudget::Slot slot(pages, list->body.size());
    return extract_list_page(list->body, list->content_type,
                             list->final_url.empty() ? feed.url : list->final_url, feed,
                             list_fetched, pages.limits());
  }();
  std::string().swap(list->body);  // only the links are needed from here on
  if (!links) {
    summary.problems.push_back(links.error().describe());
    summary.outcome = "parse_error";
    return finish(false);
  }
  summary.links_found = static_cast<int>(links->size());
  if (links->empty())
    summary.problems.push_back(
        feed.url +
        ": warning: no article links found on the list page; check `links`/`link_pattern`");

  std::vector<Article> articles = fetch_new_articles(feed, *links, ctx, pages, summary, progress);
  if (ctx.fetcher.stopped()) return cancel();
  auto committed = ctx.store.commit_items(feed.id, articles, feed.kept_items(), now_seconds());
  if (!committed) {
    summary.problems.push_back(committed.error().describe());
    summary.outcome = "store_error";
    return finish(false);
  }
  summary.new_items = *committed;
  summary.outcome = "ok";
  // Keep the list page's validators only when every article made it, so that a failed article
  // is retried on the next poll instead of being hidden behind a 304.
  if (summary.articles_failed == 0) {
    (void)ctx.store.save_validators(list_validators_key(feed),
                                    {list->validators.etag, list->validators.last_modified});
  }
  return finish(true);
}

}  // namespace fg::pipeline
