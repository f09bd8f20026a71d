#pragma once
// Article fields from an article page, by CSS selectors with sensible fallbacks.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "parse/dom.hpp"

namespace fg::extract {

struct ArticleRules {
  std::string title;      // selector; empty: <h1>, then <title> without the site suffix
  std::string published;  // selector of text holding the date; empty: meta tags, then page text
  std::string author;     // selector; empty: labelled byline (作者/记者)
  std::string source;     // selector; empty: labelled byline (来源)
  std::string content;    // selector of the body container; empty: best-scoring block
  std::vector<std::string> remove;  // selectors removed from the page before anything else
  std::string timezone = "Asia/Shanghai";
};

struct ExtractedArticle {
  std::string title;
  std::optional<PublishedTime> published;
  std::string author;
  std::string source;
  std::string editor;
  std::string language;   // <html lang> or og:locale as stated ("zh-CN"), else zh/ja/ko by script
  std::string site_name;  // og:site_name, JSON-LD publisher, else the site part of <title>
  parse::Node* content = nullptr;    // the body container (in the page's Document); may be null
  std::vector<std::string> explain;  // which rule chose each field, top body candidates
};

// Extracts the fields of an article page read at `fetched` (relative dates such as "3小时前" are
// read against it, and a date is never later than it; the clock is not looked at). The Document
// is modified (remove selectors applied, trailing boilerplate such as 『相关阅读』 and 责任编辑
// lines taken out of the content). Errc::parse for a bad selector; a field that cannot be found
// is left empty.
Result<ExtractedArticle> extract_article(parse::Document& page, const std::string& page_url,
                                         const ArticleRules& rules, Timestamp fetched);

// An item's publication time from its article page and the date its list page shows beside the
// link, and why (for --explain).
struct PublishedChoice {
  std::optional<PublishedTime> time;
  std::string why;
};

// The article page's own date, except: the list's date when the article gives none, and the
// list's time when the article gives only the same day (or month) and the list the time of day.
// Never later than `fetched` (the article page's fetch).
PublishedChoice choose_published(const std::optional<PublishedTime>& article,
                                 const std::optional<PublishedTime>& listed, Timestamp fetched);

// Removes a trailing site name from a page title: "标题 - 杭州网", "标题_新华网", "标题|站点".
std::string strip_site_suffix(std::string_view title);

// The site name a title ends with ("标题 - 杭州网" → "杭州网"); empty when there is none.
std::string site_suffix(std::string_view title);

}  // namespace fg::extract
