#pragma once
// What the extract tests share: a fixture page from tests/fixtures/extract/ parsed, and the
// extracted article's fields as they compare in assertions.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "extract/article.hpp"
#include "parse/dom.hpp"
#include "support/source_paths.hpp"

namespace fg::test {

// When the tests' pages were read (2026-12-02T07:00:00Z, 15:00 in Shanghai): extraction reads
// relative dates against it, never against the clock.
inline constexpr Timestamp kFetched{std::chrono::seconds{1796194800}};

inline parse::Document load(const std::string& name) {
  std::ifstream in(std::string(FG_FIXTURES) + "/extract/" + name, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  EXPECT_FALSE(buf.str().empty()) << name;
  return parse::Document::parse(buf.str());
}

// The published time as RFC 3339, or "none".
inline std::string published(const extract::ExtractedArticle& a) {
  return a.published ? format_rfc3339(*a.published) : "none";
}

// Whether some line of the article's explanation contains `line`.
inline bool explains(const extract::ExtractedArticle& a, std::string_view line) {
  for (const std::string& e : a.explain) {
    if (e.find(line) != std::string::npos) return true;
  }
  return false;
}

}  // namespace fg::test
