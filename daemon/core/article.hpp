#pragma once
// The shape every pipeline stage hands on: one article as feedgate keeps and publishes it.

#include <optional>
#include <string>

#include "core/time.hpp"

namespace fg {

struct Article {
  std::string url;    // canonical absolute URL; the item's identity within a feed
  std::string title;  // plain text
  std::optional<PublishedTime> published;
  std::string author;        // the writer (作者/记者)
  std::string source;        // where the story comes from (来源), e.g. 新华网
  std::string editor;        // 编辑 / 责任编辑
  std::string language;      // as the page states it ("zh-CN"); empty when it does not
  std::string site_name;     // the portal's own name (og:site_name, 杭州网); may be empty
  std::string content_html;  // sanitized HTML fragment, absolute URLs
  std::string text;          // plain-text version of content_html

  friend bool operator==(const Article&, const Article&) = default;
};

}  // namespace fg
