// The article title: by selector, a prominent <h1>, og:title, or <title> without the site name.

#include <array>

#include "core/text.hpp"
#include "extract/article.hpp"
#include "extract/article_parts.hpp"

namespace fg::extract {

namespace {

using parse::Node;

struct Segment {
  std::size_t begin, end;  // byte range in the title
};

// Separators between a title and its channel/site names, longest spellings first.
constexpr std::array<std::string_view, 12> kSeparators = {" - ", " – ", " — ", " | ", " _ ", " ｜ ",
                                                          "——",  "--",  "_",   "|",   "｜",  "—"};

std::vector<Segment> split_segments(std::string_view title) {
  std::vector<Segment> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < title.size();) {
    std::size_t len = 0;
    for (std::string_view sep : kSeparators) {
      if (title.substr(i, sep.size()) == sep) {
        len = sep.size();
        break;
      }
    }
    if (len == 0) {
      ++i;
      continue;
    }
    if (!trim(title.substr(start, i - start)).empty()) out.push_back({start, i});
    i += len;
    start = i;
  }
  if (!trim(title.substr(start)).empty()) out.push_back({start, title.size()});
  return out;
}

// Channel and site names are short: a dozen characters, or twenty in Latin script.
bool is_short(std::string_view text) {
  const std::string_view t = trim(text);
  bool latin = true;
  for (char c : t) {
    if (static_cast<unsigned char>(c) >= 0x80) latin = false;
  }
  return detail::char_count(t) <= (latin ? 20u : 12u);
}

// "标题-杭州网": a bare hyphen only separates a tail that reads like a portal's name, so that
// "COVID-19 疫情通报" stays whole.
std::string_view strip_bare_hyphen_site(std::string_view title) {
  const std::size_t dash = title.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return title;
  const std::string_view tail = trim(title.substr(dash + 1));
  if (tail.empty() || !is_short(tail)) return title;
  if (tail.find_first_of("0123456789 ") != std::string_view::npos) return title;
  static constexpr std::array<std::string_view, 10> kSiteEndings = {
      "网", "日报", "晚报", "时报", "商报", "快报", "在线", "门户", "政府", "电视台"};
  for (std::string_view ending : kSiteEndings) {
    if (tail.size() >= ending.size() && tail.substr(tail.size() - ending.size()) == ending) {
      return trim(title.substr(0, dash));
    }
  }
  return title;
}

}  // namespace

std::string strip_site_suffix(std::string_view title) {
  const std::string_view t = trim(title);
  const std::vector<Segment> segs = split_segments(t);
  if (segs.empty()) return {};
  const auto text = [&](const Segment& s) { return t.substr(s.begin, s.end - s.begin); };
  std::size_t end = segs.size();
  while (end > 1 && is_short(text(segs[end - 1]))) --end;  // trailing channel and site names
  std::size_t begin = 0;
  std::size_t long_count = 0, long_at = 0;
  for (std::size_t i = 0; i < end; ++i) {
    if (!is_short(text(segs[i]))) ++long_count, long_at = i;
  }
  if (long_count == 1) begin = long_at, end = long_at + 1;  // "新华网 - 长标题": the long part
  const std::string_view kept =
      trim(t.substr(segs[begin].begin, segs[end - 1].end - segs[begin].begin));
  return std::string(strip_bare_hyphen_site(kept));
}

namespace detail {

namespace {

std::string meta_content(parse::Document& page, std::string_view attr, std::string_view value) {
  std::string out;
  parse::walk(*page.root(), [&](Node& n) {
    if (out.empty() && n.is_element("meta") && iequals(n.attr(attr), value)) {
      out = collapse_whitespace(n.attr("content"));
    }
    return out.empty();
  });
  return out;
}

std::string document_title(parse::Document& page) {
  std::string out;
  parse::walk(*page.root(), [&](Node& n) {
    if (out.empty() && n.is_element("title")) out = node_text(n);
    return out.empty() && !n.is_element("body");
  });
  return out;
}

// A logo heading ("<h1>杭州网</h1>") is the site name that <title> ends with, not a title.
bool is_site_name(std::string_view h1, std::string_view doc_title, std::string_view stripped) {
  return h1 != stripped && doc_title.size() > h1.size() &&
         doc_title.substr(doc_title.size() - h1.size()) == h1;
}

Node* prominent_h1(parse::Document& page, std::string_view doc_title, std::string_view stripped) {
  std::vector<Node*> candidates;
  if (page.body() == nullptr) return nullptr;
  parse::walk(*page.body(), [&](Node& n) {
    if (n.is_element("h1")) {
      const std::string text = node_text(n);
      if (!text.empty() && !is_site_name(text, doc_title, stripped)) candidates.push_back(&n);
      return false;
    }
    return true;
  });
  if (candidates.empty()) return nullptr;
  for (Node* h1 : candidates) {  // several: the one <title> repeats
    if (doc_title.find(node_text(*h1)) != std::string_view::npos) return h1;
  }
  return candidates.front();
}

// The element showing `title` in the body: the parent of the first text node that reads it.
Node* element_showing(parse::Document& page, const std::string& title) {
  Node* found = nullptr;
  if (page.body() == nullptr || title.empty()) return nullptr;
  parse::walk(*page.body(), [&](Node& n) {
    if (found == nullptr && n.is_text() && collapse_whitespace(n.text) == title) found = n.parent;
    return found == nullptr;
  });
  return found;
}

}  // namespace

Result<TitleMatch> find_title(parse::Document& page, const std::string& selector) {
  if (!selector.empty()) {
    auto match = select_first(page, selector, "title");
    if (!match) return match.error();
    if (*match != nullptr) {
      std::string text = node_text(**match);
      if (!text.empty()) return TitleMatch{std::move(text), *match};
    }
  }
  const std::string doc_title = document_title(page);
  const std::string stripped = strip_site_suffix(doc_title);
  if (Node* h1 = prominent_h1(page, doc_title, stripped)) return TitleMatch{node_text(*h1), h1};
  std::string title = meta_content(page, "property", "og:title");
  if (title.empty()) title = stripped;
  Node* shown = element_showing(page, title);
  return TitleMatch{std::move(title), shown};
}

}  // namespace detail

}  // namespace fg::extract
