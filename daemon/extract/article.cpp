#include "extract/article.hpp"

#include <array>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/header_fields.hpp"
#include "extract/labels.hpp"
#include "extract/lexicon.hpp"
#include "extract/page_meta.hpp"
#include "parse/selector.hpp"

namespace fg::extract {

namespace {

using detail::Chosen;
using detail::Located;
using detail::PageMeta;
using parse::Node;

using lexicon::kAfterContentChars;
using lexicon::kBylineMaxChars;
using lexicon::kNearTitleChars;
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
    // What an <iframe> holds is shown only by browsers without frames (ad markup, as text).
    if (n.is_element("iframe") && lexicon::rule_on("body.iframe_fallback")) {
      inert.insert(inert.end(), n.children.begin(), n.children.end());
      return false;
    }
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

// Fills `field` from the first non-empty candidate, noting which rule gave it.
void fill(std::string& field, std::string& rule, std::string value, std::string_view why) {
  if (!field.empty() || value.empty()) return;
  field = std::move(value);
  rule = why;
}

// What the byline rules read; the lines they share are looked up once.
struct BylineContext {
  parse::Document& page;
  const Located& at;
  const PageMeta& meta;
  const std::vector<std::string>& trailing;  // bylines cut from the body's tail
  const std::string& title;
  std::optional<std::vector<std::string>> under{};
  std::optional<std::vector<std::string>> body_lines{};
  std::optional<Byline> hinted{};

  const std::vector<std::string>& under_title() {
    if (!under) under = detail::lines_after(*at.title, at.near_title_stop, kNearTitleChars);
    return *under;
  }
  // The body's lines and the bylines cut from its tail.
  const std::vector<std::string>& lines() {
    if (!body_lines) {
      body_lines = detail::lines_within(*at.content);
      body_lines->insert(body_lines->end(), trailing.begin(), trailing.end());
    }
    return *body_lines;
  }
  const Byline& named_elements() {
    if (!hinted) hinted = detail::byline_from_hints(page, at);
    return *hinted;
  }
};

Byline labelled(const std::vector<std::string>& lines) {
  Byline got;
  fill_from_bylines(lines, got);
  return got;
}
Byline author_only(std::string name) {
  return Byline{{}, std::move(name), {}};
}

Byline by_under_title(BylineContext& c) {
  return c.at.title != nullptr ? labelled(c.under_title()) : Byline{};
}
Byline by_bracketed(BylineContext& c) {
  return c.at.title != nullptr ? author_only(detail::bracketed_name(c.under_title())) : Byline{};
}
Byline by_hinted_author(BylineContext& c) {
  return author_only(c.named_elements().author);
}
Byline by_hinted_source(BylineContext& c) {
  return Byline{c.named_elements().source, {}, {}};
}
Byline by_beside_time(BylineContext& c) {
  return Byline{detail::source_beside_time(c.page, c.at), {}, {}};
}
Byline by_after_body(BylineContext& c) {
  if (c.at.content == nullptr) return {};
  return labelled(detail::lines_after(*c.at.content, nullptr, kAfterContentChars));
}
Byline by_dateline(BylineContext& c) {
  return c.at.content ? author_only(detail::dateline_reporter(*c.at.content)) : Byline{};
}
Byline by_body_line(BylineContext& c) {
  return c.at.content ? author_only(detail::body_author_line(c.lines())) : Byline{};
}
Byline by_signature(BylineContext& c) {
  return c.at.content ? author_only(detail::body_signature(*c.at.content)) : Byline{};
}
Byline by_poster(BylineContext& c) {
  return c.at.content ? author_only(detail::poster_line(*c.at.content, "UTC").name) : Byline{};
}
Byline by_closing_lines(BylineContext& c) {
  return labelled(c.trailing);
}
Byline by_ld_author(BylineContext& c) {
  return author_only(c.meta.ld_author);
}
Byline by_meta_author(BylineContext& c) {
  return detail::looks_like_site(c.meta.meta_author) ? Byline{} : author_only(c.meta.meta_author);
}
Byline by_script_author(BylineContext& c) {
  return author_only(c.meta.script_author);
}
Byline by_script_source(BylineContext& c) {
  return Byline{c.meta.script_source, {}, {}};
}
Byline by_blog_owner(BylineContext& c) {
  std::string owner = detail::blog_owner(c.meta.doc_title, c.title);
  // Only a name the page shows (the blog's profile, its header): not a site's tagline.
  if (owner.empty() || c.page.body() == nullptr ||
      c.page.body()->text_content().find(owner) == std::string::npos) {
    return {};
  }
  return author_only(std::move(owner));
}
Byline by_archive(BylineContext& c) {
  return author_only(detail::author_archive_name(c.page));
}
// An editor signing the body's end, inside the body, when no writer is named.
Byline by_closing_editor(BylineContext& c) {
  return author_only(labelled(c.trailing).editor);
}
Byline by_leading_name(BylineContext& c) {
  return c.at.content ? author_only(detail::leading_name_line(*c.at.content)) : Byline{};
}

struct BylineStep {
  std::string_view id;   // the rule's name in tests/eval and FEEDGATE_EXTRACT_OFF
  std::string_view why;  // what --explain says gave the field
  Byline (*find)(BylineContext&);
};

// The author/source/editor cascade: each field takes the first rule that gives it a value.
constexpr std::array<BylineStep, 19> kBylineCascade = {{
    {"byline.under_title", kUnderTitle, by_under_title},
    {"byline.bracketed_name", "[name] on the dated info line", by_bracketed},
    {"byline.named_author", "element named author before the body", by_hinted_author},
    {"byline.named_source", "element named source before the body", by_hinted_source},
    {"byline.beside_time", "name in its own element beside the time", by_beside_time},
    {"byline.after_body", "labelled line after the body", by_after_body},
    {"byline.dateline", "（记者…） dateline", by_dateline},
    {"byline.body_line", "short labelled line in the body", by_body_line},
    {"byline.signature", "reporter signing the body", by_signature},
    {"byline.poster", "poster of a forum or blog entry", by_poster},
    {"byline.closing_lines", kInBody, by_closing_lines},
    {"byline.ld_author", "JSON-LD author", by_ld_author},
    {"byline.meta_author", "<meta name=author>", by_meta_author},
    {"byline.script_author", "author field of an inline script", by_script_author},
    {"byline.script_source", "source field of an inline script", by_script_source},
    {"byline.blog_owner", "blog owner named by <title>", by_blog_owner},
    {"byline.archive_links", "links to the author's archive", by_archive},
    {"byline.closing_editor", "editor signing the body, as no writer is named", by_closing_editor},
    {"byline.leading_name", "name line opening the body", by_leading_name},
}};

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
  fill(out.editor, why.editor, b.editor, "selector");
  BylineContext context{page, at, meta, trailing, out.title};
  for (const BylineStep& step : kBylineCascade) {
    if (!out.author.empty() && !out.source.empty() && !out.editor.empty()) break;
    if (!lexicon::rule_on(step.id)) continue;
    const Byline got = step.find(context);
    const std::string named = std::string(step.why) + " [" + std::string(step.id) + "]";
    fill(out.author, why.author, got.author, named);
    fill(out.source, why.source, got.source, named);
    fill(out.editor, why.editor, got.editor, named);
  }
  out.explain.push_back("author: " + (why.author.empty() ? "none found" : why.author));
  out.explain.push_back("source: " + (why.source.empty() ? "none found" : why.source));
  out.explain.push_back("editor: " + (why.editor.empty() ? "none found" : why.editor));
  return {};
}

}  // namespace

Result<ExtractedArticle> extract_article(parse::Document& page, const std::string& page_url,
                                         const ArticleRules& rules, Timestamp fetched) {
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
  auto published = detail::find_published(page, page_url, at, meta, rules, fetched);
  if (!published) return located_at(published.error());
  out.published = published->time;
  out.explain.push_back("published: " + (published->time ? published->rule : "none found"));
  if (auto byline = find_byline(page, at, meta, rules, trailing, out); !byline) {
    return located_at(byline.error());
  }
  return out;
}

}  // namespace fg::extract
