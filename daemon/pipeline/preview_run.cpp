// One preview (preview.hpp: run_preview): the channel page and its first article, fetched and
// extracted the way poll_feed would, gathered into the page's view.
#include <string>

#include "core/url.hpp"
#include "extract/article.hpp"
#include "extract/links.hpp"
#include "fetch/fetcher.hpp"
#include "pipeline/page.hpp"
#include "pipeline/poll.hpp"
#include "pipeline/preview.hpp"

namespace fg::pipeline {

namespace {

const char* verdict_name(extract::GroupVerdict v) {
  switch (v) {
    case extract::GroupVerdict::chosen:
      return "chosen";
    case extract::GroupVerdict::merged:
      return "merged";
    case extract::GroupVerdict::rejected:
      break;
  }
  return "rejected";
}

// How list discovery saw the page, every group with its verdict and reason.
std::vector<render::PreviewGroup> link_groups(const fetch::Response& list,
                                              const config::FeedConfig& feed,
                                              const config::LimitsOptions& limits) {
  std::vector<render::PreviewGroup> out;
  auto page = decode_and_parse(list.body, list.content_type, list.final_url, feed,
                               limits.max_page_elements, "list page");
  if (!page) return out;
  for (const auto& g : extract::explain_links(*page, list.final_url).groups) {
    out.push_back({verdict_name(g.verdict), g.reason, g.path, g.example, g.score, g.links});
  }
  return out;
}

// The status and message for a page that could not be read at all.
PreviewOutcome refused(PreviewOutcome outcome, int status, std::string message) {
  outcome.status = status;
  outcome.page.refusal = std::move(message);
  return outcome;
}

// The first link's article as the feed would carry it, its time settled with the list's date
// as a poll settles it; the reason for its absence otherwise.
void first_article(const render::PreviewLink& link, const std::optional<PublishedTime>& listed,
                   const config::FeedConfig& feed, fetch::Fetcher& fetcher,
                   const config::Config& config, Timestamp now, render::PreviewResult& r) {
  auto page = fetcher.fetch({link.url, {}});
  if (!page) {
    r.article_error = "The first article could not be read: " + page.error().describe();
    return;
  }
  const std::string url = page->final_url.empty() ? link.url : page->final_url;
  auto explained =
      explain_article_page(page->body, page->content_type, url, feed, now, config.limits);
  if (!explained) {
    r.article_error = "The first article could not be extracted: " + explained.error().describe();
    return;
  }
  const auto choice = extract::choose_published(explained->article.published, listed, now);
  explained->article.published = choice.time;
  r.rules = std::move(explained->explain);
  if (listed) r.rules.push_back("published: with the list's date: " + choice.why);
  r.article = std::move(explained->article);
}

}  // namespace

PreviewOutcome run_preview(const render::PreviewForm& form, fetch::Fetcher& fetcher,
                           const config::Config& config, Timestamp now) {
  PreviewOutcome outcome;
  outcome.page.form = form;
  outcome.page.asks_token = !config.preview.token.empty();
  const std::string scheme = url_scheme(form.url);
  if ((scheme != "http" && scheme != "https") || url_host(form.url).empty()) {
    return refused(
        std::move(outcome), 400,
        "Enter the http:// or https:// URL of a channel page (got \"" + form.url + "\").");
  }
  auto list = fetcher.fetch({form.url, {}});
  if (!list) {
    if (fetch::refused_by_address_policy(list.error())) {
      return refused(std::move(outcome), 403,
                     "Refused by the address policy: " + list.error().describe());
    }
    return refused(std::move(outcome), 502,
                   "The page could not be read: " + list.error().describe());
  }
  if (list->final_url.empty()) list->final_url = form.url;
  const config::FeedConfig feed = preview_feed(form);
  auto links =
      extract_list_page(list->body, list->content_type, list->final_url, feed, now, config.limits);
  if (!links) {
    return refused(std::move(outcome), 422,
                   "The page could not be read as a list: " + links.error().describe());
  }
  render::PreviewResult r;
  r.page_url = list->final_url;
  r.fetched = format_rfc3339(now);
  r.links_by_selector = !feed.links.empty();
  r.groups = link_groups(*list, feed, config.limits);
  for (const FoundLink& link : *links) {
    r.links.push_back(
        {link.url, link.text, link.date ? format_rfc3339(*link.date) : "", link.date_text});
  }
  if (links->empty()) {
    r.article_error =
        "No article links were found; try a links selector or a link pattern, and look at the "
        "link groups below for why each was rejected.";
  } else {
    first_article(r.links.front(), links->front().date, feed, fetcher, config, now, r);
  }
  std::string title = r.article ? r.article->site_name : "";
  if (title.empty()) title = url_host(r.page_url);
  r.yaml = preview_yaml(form, title);
  outcome.page.result = std::move(r);
  return outcome;
}

}  // namespace fg::pipeline
