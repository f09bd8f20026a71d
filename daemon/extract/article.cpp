#include "extract/article.hpp"

#include <array>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/labels.hpp"
#include "parse/selector.hpp"

namespace fg::extract {

namespace {

using parse::Node;

constexpr std::size_t kNearTitleChars = 600;     // the date/byline block under a headline
constexpr std::size_t kAfterContentChars = 300;  // bylines right below the body
constexpr std::size_t kBylineMaxChars = 80;

Result<void> apply_removals(parse::Document& page, const std::vector<std::string>& selectors) {
  for (const std::string& text : selectors) {
    auto selector = parse::Selector::compile(text);
    if (!selector) {
      return make_error(Errc::parse, "bad remove selector \"" + text +
                                         "\": " + selector.error().message +
                                         "; fix the feed's article rules");
    }
    for (Node* n : selector->select_all(*page.root())) n->detach();
  }
  std::vector<Node*> inert;  // never article text, whatever the rules say
  parse::walk(*page.root(), [&](Node& n) {
    const bool hidden = n.is_element("script") || n.is_element("style") ||
                        n.is_element("noscript") || n.is_element("template");
    if (hidden) inert.push_back(&n);
    return !hidden;
  });
  for (Node* n : inert) n->detach();
  return {};
}

// A date from an element: a machine-readable attribute first (datetime, content), then its text.
std::optional<PublishedTime> date_of(const Node& n, std::string_view zone) {
  for (std::string_view attr : {"datetime", "content"}) {
    if (auto t = find_date(n.attr(attr), zone)) return t;
  }
  return find_date(n.text_content(), zone);
}

// Publication time from <meta> tags, itemprop=datePublished, or <time datetime>.
std::optional<PublishedTime> date_from_markup(parse::Document& page, std::string_view zone) {
  static constexpr std::array<std::string_view, 8> kMetaNames = {
      "article:published_time", "og:published_time", "publishdate", "pubdate",
      "publish_date",           "published_time",    "publishtime", "og:release_date"};
  const Node* best_meta = nullptr;
  std::size_t best_rank = kMetaNames.size();
  const Node* item = nullptr;
  const Node* time = nullptr;
  parse::walk(*page.root(), [&](Node& n) {
    if (n.is_element("meta")) {
      const std::string key =
          ascii_lower(n.has_attr("property") ? n.attr("property") : n.attr("name"));
      for (std::size_t r = 0; r < best_rank; ++r) {
        if (key == kMetaNames[r]) best_meta = &n, best_rank = r;
      }
    }
    if (item == nullptr && n.is_element() && n.attr("itemprop") == "datePublished") item = &n;
    if (time == nullptr && n.is_element("time") && n.has_attr("datetime")) time = &n;
    return true;
  });
  for (const Node* n : {best_meta, item, time}) {
    if (n == nullptr) continue;
    if (auto t = date_of(*n, zone)) return t;
  }
  return std::nullopt;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// Fills the empty fields of `into` from the labelled lines among `lines`.
void fill_from_bylines(const std::vector<std::string>& lines, Byline& into) {
  for (const std::string& line : lines) {
    if (detail::char_count(line) > kBylineMaxChars || !has_byline_label(line)) continue;
    const Byline b = split_byline(line);
    if (into.source.empty()) into.source = b.source;
    if (into.author.empty()) into.author = b.author;
    if (into.editor.empty()) into.editor = b.editor;
  }
}

// A field named by a selector: the labelled value when the text carries labels, else the text.
Result<std::string> selected_field(parse::Document& page, const std::string& selector,
                                   std::string_view field, Byline& from_labels) {
  if (selector.empty()) return std::string{};
  auto match = detail::select_first(page, selector, field);
  if (!match) return match.error();
  if (*match == nullptr) return std::string{};
  std::string text = detail::node_text(**match);
  if (!has_byline_label(text)) return text;
  const Byline b = split_byline(text);
  if (from_labels.editor.empty()) from_labels.editor = b.editor;
  return field == "author" ? b.author : b.source;
}

struct Located {
  Node* title = nullptr;
  Node* content = nullptr;
  Node* near_title_stop =
      nullptr;  // where the headline block ends: the body, unless it holds the title
};

Located locate(Node* title, Node* content) {
  Located at{title, content, content};
  for (Node* n = title; n != nullptr && content != nullptr; n = n->parent) {
    if (n == content) at.near_title_stop = nullptr;
  }
  return at;
}

std::optional<PublishedTime> find_published(parse::Document& page, const Located& at,
                                            const ArticleRules& rules, Result<void>& status) {
  if (!rules.published.empty()) {
    auto match = detail::select_first(page, rules.published, "published");
    if (!match) {
      status = match.error();
      return std::nullopt;
    }
    if (*match != nullptr) {
      if (auto t = date_of(**match, rules.timezone)) return t;
    }
  }
  if (auto t = date_from_markup(page, rules.timezone)) return t;
  if (at.title == nullptr) return std::nullopt;  // the body's own dates are not the publication's
  const auto lines = detail::lines_after(*at.title, at.near_title_stop, kNearTitleChars);
  return find_date(join_lines(lines), rules.timezone);
}

std::string meta_author(parse::Document& page) {
  std::string out;
  parse::walk(*page.root(), [&](Node& n) {
    if (out.empty() && n.is_element("meta") && iequals(n.attr("name"), "author")) {
      out = collapse_whitespace(n.attr("content"));
    }
    return out.empty();
  });
  return out;
}

Result<void> find_byline(parse::Document& page, const Located& at, const ArticleRules& rules,
                         const std::vector<std::string>& trailing, ExtractedArticle& out) {
  Byline b;
  auto author = selected_field(page, rules.author, "author", b);
  if (!author) return author.error();
  auto source = selected_field(page, rules.source, "source", b);
  if (!source) return source.error();
  b.author = std::move(*author);
  b.source = std::move(*source);
  if (at.title != nullptr) {
    fill_from_bylines(detail::lines_after(*at.title, at.near_title_stop, kNearTitleChars), b);
  }
  fill_from_bylines(trailing, b);
  if (at.content != nullptr) {
    fill_from_bylines(detail::lines_after(*at.content, nullptr, kAfterContentChars), b);
  }
  if (b.author.empty()) b.author = meta_author(page);
  out.author = std::move(b.author);
  out.source = std::move(b.source);
  out.editor = std::move(b.editor);
  return {};
}

}  // namespace

Result<ExtractedArticle> extract_article(parse::Document& page, const std::string& page_url,
                                         const ArticleRules& rules) {
  const auto located_at = [&](Error e) {
    e.where = page_url;
    return e;
  };
  if (auto removed = apply_removals(page, rules.remove); !removed) {
    return located_at(removed.error());
  }
  ExtractedArticle out;
  auto title = detail::find_title(page, rules.title);
  if (!title) return located_at(title.error());
  out.title = title->text;

  if (!rules.content.empty()) {
    auto content = detail::select_first(page, rules.content, "content");
    if (!content) return located_at(content.error());
    out.content = *content;
  }
  if (out.content == nullptr && page.body() != nullptr) {
    out.content = detail::best_scoring_block(*page.body());
  }
  std::vector<std::string> trailing;
  if (out.content != nullptr) trailing = detail::trim_trailing_boilerplate(*out.content);

  const Located at = locate(title->element, out.content);
  Result<void> status;
  out.published = find_published(page, at, rules, status);
  if (!status) return located_at(status.error());
  if (auto byline = find_byline(page, at, rules, trailing, out); !byline) {
    return located_at(byline.error());
  }
  return out;
}

}  // namespace fg::extract
