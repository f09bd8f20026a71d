#pragma once
// The /preview page as bytes: a form for a channel page URL (with the optional charset, link
// pattern and selectors a feed may set) and, once it ran, what feedgate would make of that
// portal. Server-rendered HTML, inline CSS, no script, no external asset, readable on a phone.
// Everything taken from the fetched pages is escaped here, except the article body, which is
// the sanitized HTML the feed would carry.

#include <optional>
#include <string>
#include <vector>

#include "core/article.hpp"

namespace fg::render {

// What the person typed, shown again in the form.
struct PreviewForm {
  std::string url;           // the channel (list) page
  std::string charset;       // overrides the page's own declaration
  std::string links;         // CSS selector of the article links
  std::string link_pattern;  // ECMAScript regex the links' URLs must match
  std::string title;         // article selectors; empty: worked out
  std::string published;
  std::string author;
  std::string source;
  std::string content;
  std::string remove;  // selector of what to take out of article pages first
  bool any_optional() const {
    return !(charset + links + link_pattern + title + published + author + source + content +
             remove)
                .empty();
  }
};

struct PreviewLink {
  std::string url;
  std::string text;
  std::string date;       // RFC 3339; empty when the list shows none beside it
  std::string date_text;  // the row's text the date was read from
};

// A group of links as list discovery scored it.
struct PreviewGroup {
  std::string verdict;  // "chosen", "merged" or "rejected"
  std::string reason;
  std::string path;
  std::string example;
  double score = 0;
  int links = 0;
};

struct PreviewResult {
  std::string page_url;  // the channel page as fetched (after redirects)
  std::string fetched;   // when, RFC 3339: the links' relative dates are read against it
  std::vector<PreviewLink> links;
  std::vector<PreviewGroup> groups;  // every group discovery saw, best first
  bool links_by_selector = false;    // the form's `links` chose them, not discovery
  std::optional<Article> article;    // the first link's article, as the feed would carry it
  std::string article_error;         // why there is no article (no link, fetch failed, ...)
  // Why each field is what it is, as `feedgate extract --explain` prints it ("title: <h1>").
  std::vector<std::string> rules;
  std::string yaml;  // the feed entry to paste into the config
};

struct PreviewPage {
  PreviewForm form;
  bool asks_token = false;  // the form has a token field
  std::string refusal;      // why nothing (or not everything) could be shown; empty: nothing
  std::optional<PreviewResult> result;
};

std::string render_preview_page(const PreviewPage& page);

}  // namespace fg::render
