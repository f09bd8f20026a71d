#pragma once
// The cap on an article's stored size: content_html cut at an element boundary, with a link to
// the article for the rest, so that one huge page cannot fill the store and every feed document.

#include <cstddef>
#include <string>
#include <string_view>

namespace fg::pipeline {

// `html` as the sanitizer writes it (balanced tags, escaped text) cut to at most `max_bytes`
// (plus the closing tags and the link): the cut falls before a tag, the elements still open are
// closed, and a "Continue reading" link to `url` is appended. Unchanged when it fits.
std::string cap_content_html(std::string_view html, std::size_t max_bytes, std::string_view url);

// Plain text cut to at most `max_bytes` on a UTF-8 character boundary, "…" appended when cut.
std::string cap_text(std::string_view text, std::size_t max_bytes);

}  // namespace fg::pipeline
