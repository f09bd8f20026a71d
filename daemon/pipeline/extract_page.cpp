#include "decode/decode.hpp"
#include "extract/article.hpp"
#include "extract/links.hpp"
#include "normalize/normalize.hpp"
#include "parse/dom.hpp"
#include "pipeline/article_cap.hpp"
#include "pipeline/page.hpp"
#include "pipeline/page_budget.hpp"
#include "pipeline/poll.hpp"

namespace fg::pipeline {

extract::ArticleRules article_rules(const config::FeedConfig& feed) {
  extract::ArticleRules rules;
  rules.title = feed.article.title;
  rules.published = feed.article.published;
  rules.author = feed.article.author;
  rules.source = feed.article.source;
  rules.content = feed.article.content;
  rules.remove = feed.article.remove;
  rules.timezone = feed.timezone;
  return rules;
}

Result<parse::Document> decode_and_parse(std::string_view bytes, std::string_view content_type,
                                         const std::string& url, const config::FeedConfig& feed,
                                         std::size_t max_elements, std::string_view what) {
  auto decoded = decode::to_utf8(bytes, content_type, feed.charset);
  if (!decoded) {
    Error e = decoded.error();
    if (e.where.empty()) e.where = url;
    return e;
  }
  if (auto fits = check_page_elements(decoded->text, max_elements, what, url); !fits) {
    return fits.error();
  }
  return parse::Document::parse(decoded->text);
}

Result<ExplainedArticle> explain_article_page(std::string_view bytes, std::string_view content_type,
                                              const std::string& url,
                                              const config::FeedConfig& feed, Timestamp fetched,
                                              const config::LimitsOptions& limits) {
  auto doc =
      decode_and_parse(bytes, content_type, url, feed, limits.max_page_elements, "article page");
  if (!doc) return doc.error();
  auto fields = extract::extract_article(*doc, url, article_rules(feed), fetched);
  if (!fields) return fields.error();
  ExplainedArticle out;
  Article& article = out.article;
  article.url = url;
  article.title = fields->title;
  article.published = fields->published;
  article.author = fields->author;
  article.source = fields->source;
  article.editor = fields->editor;
  article.language = fields->language;
  article.site_name = fields->site_name;
  if (fields->content != nullptr) {
    normalize::NormalizedContent content = normalize::normalize_content(*fields->content, url);
    article.content_html = cap_content_html(content.html, limits.max_article_size, url);
    article.text = cap_text(content.text, limits.max_article_size);
  }
  out.explain = std::move(fields->explain);
  return out;
}

Result<Article> extract_article_page(std::string_view bytes, std::string_view content_type,
                                     const std::string& url, const config::FeedConfig& feed,
                                     Timestamp fetched, const config::LimitsOptions& limits) {
  auto explained = explain_article_page(bytes, content_type, url, feed, fetched, limits);
  if (!explained) return explained.error();
  return std::move(explained->article);
}

Result<std::vector<FoundLink>> extract_list_page(std::string_view bytes,
                                                 std::string_view content_type,
                                                 const std::string& url,
                                                 const config::FeedConfig& feed, Timestamp fetched,
                                                 const config::LimitsOptions& limits) {
  auto doc =
      decode_and_parse(bytes, content_type, url, feed, limits.max_page_elements, "list page");
  if (!doc) return doc.error();
  auto links =
      extract::find_links(*doc, url, {feed.links, feed.link_pattern, feed.timezone}, fetched);
  if (!links) return links.error();
  std::vector<FoundLink> out;
  out.reserve(links->size());
  for (auto& link : *links) {
    out.push_back(
        {std::move(link.url), std::move(link.text), link.date, std::move(link.date_text)});
  }
  return out;
}

}  // namespace fg::pipeline
