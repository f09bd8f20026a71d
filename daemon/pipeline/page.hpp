#pragma once
// The first steps every page goes through (decode, parse) and the feed's article rules, shared by
// polling and by `feedgate extract`.

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/result.hpp"
#include "extract/article.hpp"
#include "parse/dom.hpp"

namespace fg::pipeline {

// The extraction rules a feed's config asks for (empty selectors mean "work it out").
extract::ArticleRules article_rules(const config::FeedConfig& feed);

// Decodes bytes as fetched (Content-Type, the feed's charset override, meta, detection) and
// parses them. Errc::charset with `url` as the place when the charset is unknown; Errc::too_large
// ("<what> has more than N elements") when the page has more than max_elements start tags.
Result<parse::Document> decode_and_parse(std::string_view bytes, std::string_view content_type,
                                         const std::string& url, const config::FeedConfig& feed,
                                         std::size_t max_elements = SIZE_MAX,
                                         std::string_view what = "page");

}  // namespace fg::pipeline
