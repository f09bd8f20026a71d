#pragma once
// Module-private helpers shared by the feed renderers (not part of the public API).

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "render/render.hpp"

namespace fg::render {

// Where this server publishes a feed: self_base + "/feeds/" + id + "." + extension.
std::string feed_url(const std::string& self_base, const std::string& id,
                     std::string_view extension);

// Where this server publishes archive page `page` of a feed (RFC 5005).
std::string archive_url(const std::string& self_base, const std::string& id, int page,
                        std::string_view extension);
// The URL of the document being rendered: the feed, or the archive page it is.
std::string document_url(const FeedInfo& feed, std::string_view extension);

// The plain-text summary of an article: whitespace collapsed, at most max_chars code points,
// cut ones ending in "…". XML-safe.
std::string excerpt(std::string_view text, std::size_t max_chars = 300);

// Plain text made inert for readers that splice a text field into HTML unescaped: a "<" that
// would open a tag, an end tag, a comment or a declaration (followed by a letter, "/", "!" or "?")
// becomes U+FF1C FULLWIDTH LESS-THAN SIGN; nothing else changes, so "1 < 2" and "AT&T" stay.
// XML-safe.
std::string inert_text(std::string_view text);

// The item's byline on one line, only the parts it has, source first:
// "来源：新华网　作者：张三　编辑：李四" ("Source: Reuters · By Jane Doe · Editor: …" for an item
// whose language is neither Chinese, Japanese nor Korean); empty when it has none. Plain text.
std::string byline_line(const Article& a);

// The content feeds carry: the sanitized HTML, closed by the byline as a paragraph of text when
// the feed asks for it (FeedInfo::byline_in_content) and there is content to close.
std::string content_html_of(const FeedInfo& feed, const Article& a);

// The same for plain-text content (JSON Feed's content_text).
std::string content_text_of(const FeedInfo& feed, const Article& a);

// The date an entry is shown with: its publication time when known, otherwise the moment we
// first saw it (in UTC), which never changes across polls so readers don't resurface it.
PublishedTime entry_date(const FeedItem& item);

// The language every item that states one agrees on (compared case-insensitively, spelled as
// the first item has it); empty when none states one or two disagree.
std::string agreed_language(const std::vector<FeedItem>& items);

// The site name every item that has one agrees on; empty otherwise.
std::string agreed_site_name(const std::vector<FeedItem>& items);

// The polling interval in whole minutes, rounded up, at least 1 (RSS <ttl>).
long ttl_minutes(std::chrono::milliseconds interval);

struct UpdateSchedule {
  const char* period;  // "hourly", "daily" or "weekly"
  long frequency;      // times per period, at least 1
};

// The RSS syndication module's spelling of the polling interval.
UpdateSchedule update_schedule(std::chrono::milliseconds interval);

}  // namespace fg::render
