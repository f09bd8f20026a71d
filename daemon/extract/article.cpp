#include "extract/article.hpp"

#include <array>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/header_fields.hpp"
#include "extract/labels.hpp"
#include "extract/page_meta.hpp"
#include "parse/selector.hpp"

namespace fg::extract {

namespace {

using detail::Chosen;
using detail::Located;
using detail::PageMeta;
using parse::Node;

constexpr std::size_t kNearTitleChars = 600;     // the date/byline block under a headline
constexpr std::size_t kAfterContentChars = 300;  // bylines right below the body
constexpr std::size_t kBylineMaxChars = 80;
constexpr std::string_view kUnderTitle = "labelled line under the title";
constexpr std::string_view kInBody = "labelled line at the end of the body";

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
                        n.is_element("noscript") || n.is_element("template") ||
                        detail::hidden_from_readers(n);
    if (hidden) inert.push_back(&n);
    return !hidden;
  });
  for (Node* n : inert) n->detach();
  return {};
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

Located locate(Node* title, Node* content) {
  Located at{title, content, content};
  for (Node* n = title; n != nullptr && content != nullptr; n = n->parent) {
    if (n == content) at.near_title_stop = nullptr;
  }
  return at;
}

// A date from an element: a machine-readable attribute first (datetime, content), then its text.
std::optional<PublishedTime> date_of(const Node& n, const DateReading& reading) {
  for (std::string_view attr : {"datetime", "content"}) {
    if (auto t = find_date(n.attr(attr), reading)) return t;
  }
  return find_date(n.text_content(), reading);
}

bool has_time_of_day(const PublishedTime& t) {
  const auto local = t.utc + t.offset;
  return local != std::chrono::floor<std::chrono::days>(local);
}

bool same_local_day(const PublishedTime& a, const PublishedTime& b) {
  const auto day = [](const PublishedTime& t) {
    return std::chrono::floor<std::chrono::days>(t.utc + t.offset);
  };
  return day(a) == day(b);
}

// The page's habit for "7/5/2005": day first in most languages that name one, month first in
// US English, Chinese, Japanese and Korean, and when the page does not say.
DayMonthOrder day_month_order(std::string_view language) {
  const std::string lang = ascii_lower(language);
  if (lang.empty() || lang == "en" || lang == "en-us" || lang == "en_us") {
    return DayMonthOrder::month_first;
  }
  for (std::string_view cjk : {"zh", "ja", "ko"}) {
    if (lang.substr(0, 2) == cjk) return DayMonthOrder::month_first;
  }
  return DayMonthOrder::day_first;
}

Result<Chosen> find_published(parse::Document& page, const std::string& url, const Located& at,
                              const PageMeta& meta, const ArticleRules& rules) {
  DateReading reading(rules.timezone);
  reading.order = day_month_order(meta.language);
  std::optional<std::optional<PublishedTime>> reference;  // looked up once, when needed
  reading.reference = [&]() {
    if (!reference) reference = detail::reference_date(page, url, rules.timezone);
    return *reference;
  };
  if (!rules.published.empty()) {
    auto match = detail::select_first(page, rules.published, "published");
    if (!match) return match.error();
    if (*match != nullptr) {
      if (auto t = date_of(**match, reading)) return Chosen{t, "selector"};
    }
  }
  const auto with_time = [&](Chosen c) {
    const PublishedTime timed = detail::time_of_day(page, *c.time, rules.timezone);
    if (!(timed == *c.time)) c = {timed, c.rule + ", time of day from the page's text"};
    return c;
  };
  const Chosen header = detail::date_from_header(page, at, reading);
  if (Chosen c = detail::date_from_markup(page, meta, rules.timezone); c.time) {
    // The time readers see under the title wins over markup giving the same day.
    if (header.time && has_time_of_day(*header.time) && same_local_day(*header.time, *c.time)) {
      return header;
    }
    return with_time(c);
  }
  if (header.time) return header;
  if (Chosen c = detail::date_before_body(page, at, reading); c.time) return c;
  if (Chosen c = detail::date_opening_body(at, reading); c.time) return c;
  if (auto t = detail::date_from_url(url, rules.timezone)) {
    return with_time(Chosen{t, "date in the URL"});
  }
  if (at.content != nullptr) {
    if (auto posted = detail::poster_line(*at.content, rules.timezone).time) {
      return Chosen{posted, "time of a forum or blog entry's posting line"};
    }
  }
  if (Chosen c = detail::date_after_body(at, reading); c.time) return c;
  if (Chosen c = detail::issue_month(at, rules.timezone); c.time) return c;
  return detail::date_in_named_element(page, at, reading);
}

// Fills `field` from the first non-empty candidate, noting which rule gave it.
void fill(std::string& field, std::string& rule, std::string value, std::string_view why) {
  if (!field.empty() || value.empty()) return;
  field = std::move(value);
  rule = why;
}

struct BylineRules {
  std::string author, source, editor;
};

Result<void> find_byline(parse::Document& page, const Located& at, const PageMeta& meta,
                         const ArticleRules& rules, const std::vector<std::string>& trailing,
                         ExtractedArticle& out) {
  Byline b;
  auto author = selected_field(page, rules.author, "author", b);
  if (!author) return author.error();
  auto source = selected_field(page, rules.source, "source", b);
  if (!source) return source.error();
  BylineRules why;
  fill(out.author, why.author, std::move(*author), "selector");
  fill(out.source, why.source, std::move(*source), "selector");
  std::string closing_editor;  // an editor signing the body's end, inside the body
  const auto from_lines = [&](const std::vector<std::string>& lines, std::string_view rule) {
    Byline got;
    fill_from_bylines(lines, got);
    if (closing_editor.empty() && rule == kInBody) closing_editor = got.editor;
    fill(out.author, why.author, got.author, rule);
    fill(out.source, why.source, got.source, rule);
    fill(out.editor, why.editor, got.editor, rule);
  };
  fill(out.editor, why.editor, b.editor, "selector");
  if (at.title != nullptr) {
    const auto under = detail::lines_after(*at.title, at.near_title_stop, kNearTitleChars);
    from_lines(under, kUnderTitle);
    fill(out.author, why.author, detail::bracketed_name(under), "[name] on the dated info line");
  }
  const Byline hinted = detail::byline_from_hints(page, at);
  fill(out.author, why.author, hinted.author, "element named author before the body");
  fill(out.source, why.source, hinted.source, "element named source before the body");
  if (at.content != nullptr) {
    from_lines(detail::lines_after(*at.content, nullptr, kAfterContentChars),
               "labelled line after the body");
    std::vector<std::string> lines = detail::lines_within(*at.content);
    lines.insert(lines.end(), trailing.begin(), trailing.end());
    fill(out.author, why.author, detail::dateline_reporter(*at.content), "（记者…） dateline");
    fill(out.author, why.author, detail::body_author_line(lines),
         "short labelled line in the body");
    fill(out.author, why.author, detail::body_signature(*at.content), "reporter signing the body");
    fill(out.author, why.author, detail::poster_line(*at.content, "UTC").name,
         "poster of a forum or blog entry");
  }
  from_lines(trailing, kInBody);
  fill(out.author, why.author, meta.ld_author, "JSON-LD author");
  if (!detail::looks_like_site(meta.meta_author)) {
    fill(out.author, why.author, meta.meta_author, "<meta name=author>");
  }
  fill(out.author, why.author, meta.script_author, "author field of an inline script");
  fill(out.source, why.source, meta.script_source, "source field of an inline script");
  if (std::string owner = detail::blog_owner(meta.doc_title, out.title); !owner.empty()) {
    // Only a name the page shows (the blog's profile, its header): not a site's tagline.
    if (page.body() != nullptr && page.body()->text_content().find(owner) != std::string::npos) {
      fill(out.author, why.author, owner, "blog owner named by <title>");
    }
  }
  if (out.author.empty()) {
    fill(out.author, why.author, detail::author_archive_name(page),
         "links to the author's archive");
  }
  fill(out.author, why.author, closing_editor, "editor signing the body, as no writer is named");
  if (at.content != nullptr) {
    fill(out.author, why.author, detail::leading_name_line(*at.content),
         "name line opening the body");
  }
  out.explain.push_back("author: " + (why.author.empty() ? "none found" : why.author));
  out.explain.push_back("source: " + (why.source.empty() ? "none found" : why.source));
  out.explain.push_back("editor: " + (why.editor.empty() ? "none found" : why.editor));
  return {};
}

}  // namespace

Result<ExtractedArticle> extract_article(parse::Document& page, const std::string& page_url,
                                         const ArticleRules& rules) {
  const auto located_at = [&](Error e) {
    e.where = page_url;
    return e;
  };
  const detail::PageMeta meta = detail::read_page_meta(page);
  if (auto removed = apply_removals(page, rules.remove); !removed) {
    return located_at(removed.error());
  }
  ExtractedArticle out;
  out.language = meta.language;
  out.site_name = meta.site_name;
  auto title = detail::find_title(page, rules.title, meta);
  if (!title) return located_at(title.error());
  out.title = title->text;
  out.explain.push_back("title: " + title->rule);
  if (out.site_name.empty()) out.site_name = site_suffix(meta.doc_title);

  if (!rules.content.empty()) {
    auto content = detail::select_first(page, rules.content, "content");
    if (!content) return located_at(content.error());
    out.content = *content;
  }
  if (out.content == nullptr && page.body() != nullptr) {
    out.content = detail::best_scoring_block(*page.body(), &out.explain);
  }
  std::vector<std::string> trailing;
  if (out.content != nullptr) trailing = detail::trim_trailing_boilerplate(*out.content);
  if (out.content != nullptr) {
    out.language = detail::settle_language(
        out.language, detail::guess_language(out.title + detail::node_text(*out.content)));
  }

  const Located at = locate(title->element, out.content);
  auto published = find_published(page, page_url, at, meta, rules);
  if (!published) return located_at(published.error());
  out.published = published->time;
  out.explain.push_back("published: " + (published->time ? published->rule : "none found"));
  if (auto byline = find_byline(page, at, meta, rules, trailing, out); !byline) {
    return located_at(byline.error());
  }
  return out;
}

}  // namespace fg::extract
