#pragma once
// The pieces extract_article is built from; internal to the extract module (tested directly).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "parse/dom.hpp"

namespace fg::extract::detail {

// Collapsed text of a node (whitespace runs become one space, trimmed).
std::string node_text(const parse::Node& node);

// "zh", "ja" or "ko" when the script of `text` decides it (Han alone; Han with at least 5% kana;
// mostly Hangul), else "" (Latin script, mixed, or under 20 letters).
std::string guess_language(std::string_view text);

// The page's language: the declared one, unless it is missing, is no language tag at all
// ("utf-8"), or names a language of another script than the text's CJK one (templates saying
// lang="en" on Chinese pages); then the guess.
std::string settle_language(const std::string& declared, const std::string& guessed);

// Number of code points in UTF-8 text.
std::size_t char_count(std::string_view utf8);

// Code points of link text inside a node (the node itself included when it is an <a>).
std::size_t link_char_count(parse::Node& node);

// True for elements that start a new line of text (div, p, li, h1, tr, ...).
bool is_block(const parse::Node& node);

// Lines of text that follow `start` in document order (its own subtree excluded): block
// elements and <br> break lines. Stops before `stop` (when not null) or after about
// `max_chars` code points.
std::vector<std::string> lines_after(const parse::Node& start, const parse::Node* stop,
                                     std::size_t max_chars);

// True for an element readers do not see: the hidden attribute, an inline display:none or
// visibility:hidden, or a class saying so ("hidden", "hide", "…-hide", "d-none").
bool hidden_from_readers(const parse::Node& n);

// Lines of text inside `root` that come before `stop` in document order.
std::vector<std::string> lines_before(const parse::Node& root, const parse::Node& stop);

// Lines of text inside `node`, broken the same way.
std::vector<std::string> lines_within(const parse::Node& node);

// The first element matching a selector; Errc::parse naming `field` when the selector is bad.
Result<parse::Node*> select_first(parse::Document& page, const std::string& selector,
                                  std::string_view field);

struct TitleMatch {
  std::string text;
  parse::Node* element = nullptr;  // where the title stands in <body>; null when unknown
  std::string rule;                // which rule chose it (for --explain)
};

struct PageMeta;

// The title by selector, else the body heading most in agreement with og:title, JSON-LD
// headline and <title>, else the JSON-LD headline or og:title, else <title> without the site.
Result<TitleMatch> find_title(parse::Document& page, const std::string& selector,
                              const PageMeta& meta);

// The owner of a blog, when <title> names one: "张三的博客", "标题_张三_新浪博客",
// "张三 | blog.example.com" (the one short part that is not the blog, nor `title` when there are
// several).
std::string blog_owner(std::string_view doc_title, std::string_view title);

// The body container with the most paragraph text, weighed by class/id hints; null when none.
// When `explain` is given, the top candidates and their scores are appended to it.
parse::Node* best_scoring_block(parse::Node& body, std::vector<std::string>* explain = nullptr);

// Removes related-reading lists, copyright notes, share bars, 责任编辑 lines and the like from
// the end of `content`. Returns the short labelled lines it removed (来源/作者/编辑 bylines),
// so their fields are not lost.
std::vector<std::string> trim_trailing_boilerplate(parse::Node& content);

}  // namespace fg::extract::detail
