#include "pipeline/poll.hpp"

#include "core/url.hpp"
#include "fetch/fetcher.hpp"
#include "pipeline/host_gate.hpp"
#include "store/store.hpp"

namespace fg::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

// Fetches a URL with stored validators, within the host's slots.
Result<fetch::Response> fetch_url(fetch::Fetcher& fetcher, HostGate* gate, const std::string& url,
                                  const fetch::Validators& validators) {
  if (gate == nullptr) return fetcher.fetch({url, validators});
  HostGate::Pass pass = gate->enter(url_host(url));
  return fetcher.fetch({url, validators});
}

fetch::Validators stored_validators(store::Store& store, const std::string& url) {
  auto v = store.validators(url);
  if (!v || !v->has_value()) return {};
  return {(*v)->etag, (*v)->last_modified};
}

// Fetches and extracts the articles not stored yet (at most max_items of them, in page order).
std::vector<Article> fetch_new_articles(const config::FeedConfig& feed,
                                        const std::vector<FoundLink>& links, const PollContext& ctx,
                                        PollSummary& summary, const ArticleProgress& progress) {
  std::vector<std::string> urls;
  for (const auto& link : links) urls.push_back(link.url);
  auto known = ctx.store.known_urls(feed.id, urls);
  if (!known) {
    summary.problems.push_back(known.error().describe());
    return {};
  }
  std::vector<Article> articles;
  for (const std::string& url : urls) {
    if (known->count(url) > 0) continue;
    if (static_cast<int>(articles.size()) + summary.articles_failed >= feed.max_items) break;
    auto response = fetch_url(ctx.fetcher, ctx.gate, url, {});
    Result<Article> article =
        response ? extract_article_page(response->body, response->content_type, url, feed)
                 : Result<Article>(response.error());
    ++summary.articles_fetched;
    if (progress) progress(url, article.ok());
    if (!article) {
      ++summary.articles_failed;
      summary.problems.push_back(article.error().describe());
      continue;
    }
    if (article->title.empty()) summary.problems.push_back(url + ": warning: no title found");
    if (!article->published) {
      summary.problems.push_back(
          url + ": warning: no publication date found; using the time it was first seen");
    }
    if (article->text.empty()) summary.problems.push_back(url + ": warning: no article body found");
    articles.push_back(std::move(*article));
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
    for (const auto& p : summary.problems) record.error += (record.error.empty() ? "" : "\n") + p;
    (void)ctx.store.record_poll(feed.id, record);  // a failure to record must not fail the poll
    return summary;
  };

  const fetch::Validators validators = stored_validators(ctx.store, feed.url);
  auto list = fetch_url(ctx.fetcher, ctx.gate, feed.url, validators);
  if (!list) {
    summary.problems.push_back(list.error().describe());
    return finish(false);
  }
  summary.http_status = list->status;
  if (list->not_modified()) {
    summary.list_unchanged = true;
    return finish(true);
  }
  auto links = extract_list_page(list->body, list->content_type,
                                 list->final_url.empty() ? feed.url : list->final_url, feed);
  if (!links) {
    summary.problems.push_back(links.error().describe());
    return finish(false);
  }
  summary.links_found = static_cast<int>(links->size());
  if (links->empty())
    summary.problems.push_back(
        feed.url +
        ": warning: no article links found on the list page; check `links`/`link_pattern`");

  std::vector<Article> articles = fetch_new_articles(feed, *links, ctx, summary, progress);
  auto committed = ctx.store.commit_items(feed.id, articles, feed.max_items, now_seconds());
  if (!committed) {
    summary.problems.push_back(committed.error().describe());
    return finish(false);
  }
  summary.new_items = *committed;
  // Keep the list page's validators only when every article made it, so that a failed article
  // is retried on the next poll instead of being hidden behind a 304.
  if (summary.articles_failed == 0) {
    (void)ctx.store.save_validators(feed.url,
                                    {list->validators.etag, list->validators.last_modified});
  }
  return finish(true);
}

}  // namespace fg::pipeline
