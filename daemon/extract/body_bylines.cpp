#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/header_fields.hpp"
#include "extract/labels.hpp"
#include "extract/lexicon.hpp"

namespace fg::extract::detail {

namespace {

namespace lx = lexicon;
using lx::kEdgeLines;
using lx::kMaxNames;
using lx::kNameMaxChars;
using lx::kSignatureMaxChars;
using lx::kTailLines;

// True for a line of Chinese prose: a sentence ends in it (an ASCII "?" is as often a URL's).
bool ends_a_sentence(std::string_view line) {
  for (std::string_view stop : lx::kSentenceEnds) {
    if (line.find(stop) != std::string_view::npos) return true;
  }
  return false;
}

// True for a token that can be a Chinese name: 2–4 Han characters (· allowed inside).
bool is_name(std::string_view token) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < token.size();) {
    const char32_t cp = next_code_point(token, i);
    if (!is_han(cp) && cp != U'·') return false;
    ++chars;
  }
  for (std::string_view word : lx::kNotNames) {
    if (token == word) return false;
  }
  return chars >= 2 && chars <= kNameMaxChars;
}

// Splits on spaces (ASCII, U+3000, U+00A0) and 、.
std::vector<std::string_view> tokens_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    if (end > start) out.push_back(s.substr(start, end - start));
  };
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t cp = next_code_point(s, i);
    if (cp == U' ' || cp == U'\u3000' || cp == U'\u00A0' || cp == U'、' || cp == U'\t') {
      flush(at);
      start = i;
    }
  }
  flush(s.size());
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The names of a signature such as "记者 王建宏 张文攀", "姚峰 上海报道" or "蔡雪婧": what
// follows the last 记者, up to a "…报道"/"…摄" token; empty unless every token is a name.
std::string signed_names(std::string_view s) {
  if (const std::size_t at = s.rfind("记者"); at != std::string_view::npos) {
    s = trim(s.substr(at + std::string_view("记者").size()));
    for (std::string_view colon : {":", "："}) {
      if (s.substr(0, colon.size()) == colon) s = trim(s.substr(colon.size()));
    }
  }
  std::vector<std::string_view> names;
  for (std::string_view token : tokens_of(s)) {
    if (std::any_of(lx::kSignatureEnds.begin(), lx::kSignatureEnds.end(),
                    [&](std::string_view end) { return ends_with(token, end); })) {
      break;
    }
    if (!is_name(token)) return {};
    names.push_back(token);
  }
  if (names.empty() || names.size() > kMaxNames) return {};
  const std::size_t begin = static_cast<std::size_t>(names.front().data() - s.data());
  const std::size_t end =
      static_cast<std::size_t>(names.back().data() - s.data()) + names.back().size();
  return std::string(s.substr(begin, end - begin));
}

// "…发展。（记者 胡晓蓉）", "(李楠)": the parenthesised group closing a line.
std::string closing_signature(std::string_view line) {
  line = trim(line);
  std::size_t open = std::string_view::npos;
  std::size_t close = 0;
  if (ends_with(line, "）")) {
    open = line.rfind("（");
    close = line.size() - std::string_view("）").size();
  } else if (ends_with(line, ")")) {
    open = line.rfind('(');
    close = line.size() - 1;
  }
  if (open == std::string_view::npos) return {};
  const std::size_t inner = open + (line[open] == '(' ? 1 : std::string_view("（").size());
  return signed_names(trim(line.substr(inner, close - inner)));
}

// "新京报记者 彭冲 山东冠县报道", "□ 本报记者 葛灵丹": a short line naming the reporters.
std::string reporter_line(std::string_view line) {
  line = trim(line);
  const std::size_t at = line.find("记者");
  if (at == std::string_view::npos || char_count(line) > kSignatureMaxChars) return {};
  for (std::string_view stop : {"，", "。", "“", "！", "？"}) {
    if (line.substr(0, at).find(stop) != std::string_view::npos) return {};
  }
  return signed_names(line);
}

}  // namespace

std::string body_signature(const parse::Node& content) {
  const std::vector<std::string> lines = lines_within(content);
  const std::size_t n = lines.size();
  for (std::size_t k = 0; k < n && k < kEdgeLines; ++k) {
    const std::string& line = lines[n - 1 - k];
    if (std::string name = closing_signature(line); !name.empty()) return name;
    if (std::string name = reporter_line(line); !name.empty()) return name;
  }
  for (std::size_t k = 0; k < n && k < kEdgeLines; ++k) {
    if (std::string name = reporter_line(lines[k]); !name.empty()) return name;
  }
  // Past the tail lines no sentence ends in (links, tool bars, "相关链接" lists), the body's last
  // sentence may still be signed: "…信息交流。(信报记者 蔡雪婧)".
  for (std::size_t k = 0; k < n && k < kTailLines; ++k) {
    const std::string& line = lines[n - 1 - k];
    if (!ends_a_sentence(line)) continue;
    return closing_signature(line);
  }
  return {};
}

std::string body_author_line(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    if (char_count(line) > kSignatureMaxChars || !has_byline_label(line)) continue;
    const std::string author = split_byline(line).author;
    const std::size_t at = author.empty() ? std::string::npos : line.find(author);
    if (at == std::string::npos) continue;  // "采写：南都记者 林子沛": the names follow 记者
    if (std::string names = signed_names(line.substr(at)); !names.empty()) return names;
    if (!ends_with(author, "记者")) return author;  // "作者： 周思博 (Joel Spolsky)"
  }
  return {};
}

Poster poster_line(const parse::Node& content, std::string_view zone) {
  constexpr std::size_t kAfterChars = 200;
  constexpr std::size_t kLineMaxChars = 80;
  constexpr std::size_t kPosterMaxChars = 20;
  std::vector<std::string> lines = lines_within(content);
  const std::vector<std::string> after = lines_after(content, nullptr, kAfterChars);
  lines.insert(lines.end(), after.begin(), after.end());
  for (const std::string& line : lines) {
    if (char_count(line) > kLineMaxChars) continue;
    const std::size_t by = line.find("由");
    const std::size_t at = by == std::string::npos ? by : line.find("于", by);
    if (at == std::string::npos) continue;
    const std::string_view name = trim(std::string_view(line).substr(by + 3, at - by - 3));
    const std::size_t chars = char_count(name);
    if (chars == 0 || chars > kPosterMaxChars || name.find(' ') != std::string_view::npos) continue;
    if (auto t = find_date(std::string_view(line).substr(at), zone)) {
      return {std::string(name), t};
    }
  }
  return {};
}

std::string bracketed_name(const std::vector<std::string>& lines) {
  constexpr std::size_t kInfoLines = 4;
  for (std::size_t i = 0; i < lines.size() && i < kInfoLines; ++i) {
    const std::string_view line = lines[i];
    if (!find_date(line, "UTC")) continue;
    for (std::size_t open = line.find('['); open != std::string_view::npos;
         open = line.find('[', open + 1)) {
      const std::size_t close = line.find(']', open);
      if (close == std::string_view::npos) break;
      const std::string_view before = trim(line.substr(0, open));
      if (ends_with(before, "：") || ends_with(before, ":")) continue;  // 来源：[ 国际金融报 ]
      const std::string_view inner = trim(line.substr(open + 1, close - open - 1));
      if (is_name(inner)) return std::string(inner);
    }
  }
  return {};
}

std::string leading_name_line(const parse::Node& content) {
  const std::vector<std::string> lines = lines_within(content);
  for (std::size_t k = 0; k + 1 < lines.size() && k < kEdgeLines; ++k) {
    const std::string_view line = trim(lines[k]);
    if (!is_name(line) || char_count(line) > 3) continue;
    for (std::size_t j = k + 1; j < lines.size() && j <= k + kEdgeLines; ++j) {
      if (char_count(lines[j]) > kSignatureMaxChars) return std::string(line);
    }
  }
  return {};
}

}  // namespace fg::extract::detail
