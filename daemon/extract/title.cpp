// The article title: by selector, a prominent <h1>, og:title, or <title> without the site name.

#include <array>

#include "core/text.hpp"
#include "extract/article.hpp"
#include "extract/article_parts.hpp"
#include "extract/lexicon.hpp"
#include "extract/page_meta.hpp"

namespace fg::extract {

namespace {

using parse::Node;
namespace lx = lexicon;

struct Segment {
  std::size_t begin, end;  // byte range in the title
};

std::vector<Segment> split_segments(std::string_view title) {
  std::vector<Segment> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < title.size();) {
    std::size_t len = 0;
    for (std::string_view sep : lx::kTitleSeparators) {
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
  return detail::char_count(t) <= (latin ? lx::kShortLatinNameChars : lx::kShortNameChars);
}

// "标题-杭州网": a bare hyphen only separates a tail that reads like a portal's name, so that
// "COVID-19 疫情通报" stays whole.
std::string_view strip_bare_hyphen_site(std::string_view title) {
  const std::size_t dash = title.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return title;
  const std::string_view tail = trim(title.substr(dash + 1));
  if (tail.empty() || !is_short(tail)) return title;
  if (tail.find_first_of("0123456789 ") != std::string_view::npos) return title;
  for (std::string_view ending : lx::kSiteEndings) {
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

std::string site_suffix(std::string_view title) {
  const std::string_view t = trim(title);
  const std::vector<Segment> segs = split_segments(t);
  if (segs.size() < 2) return {};
  const Segment& last = segs.back();
  const std::string_view tail = trim(t.substr(last.begin, last.end - last.begin));
  return is_short(tail) ? std::string(tail) : std::string{};
}

namespace detail {

namespace {

// A logo heading ("<h1>杭州网</h1>") is the site name that <title> ends with, not a title.
bool is_site_name(std::string_view h1, std::string_view doc_title, std::string_view stripped) {
  return h1 != stripped && doc_title.size() > h1.size() &&
         doc_title.substr(doc_title.size() - h1.size()) == h1;
}

// Headings that could be the article's title: <h1>–<h4>, and elements named "title".
bool is_heading_candidate(const Node& n) {
  if (n.is_element("h1") || n.is_element("h2") || n.is_element("h3") || n.is_element("h4")) {
    return true;
  }
  if (!n.is_element() || n.is_element("body") || n.is_element("a")) return false;
  return lx::class_hints(n).has(lx::kTitleHints);
}

// How many of the page's other statements of its title agree with a heading's text.
int agreement(const Node& n, std::string_view t, const PageMeta& meta, std::string_view stripped) {
  const std::string_view doc = meta.doc_title;
  int score = n.is_element("h1") ? 1 : 0;
  if (t == meta.og_title || t == meta.headline) score += 3;
  if (t == stripped || doc.substr(0, t.size()) == t) {
    score += 3;
  } else if (!stripped.empty() && t.substr(0, stripped.size()) == stripped) {
    score += 2;  // <title> shortened the headline
  } else if (doc.find(t) != std::string_view::npos) {
    score += 1;
  }
  return score;
}

struct HeadingChoice {
  Node* node = nullptr;
  int score = 0;
};

HeadingChoice best_heading(parse::Document& page, const PageMeta& meta, std::string_view stripped) {
  HeadingChoice best;
  if (page.body() == nullptr) return best;
  parse::walk(*page.body(), [&](Node& n) {
    if (!is_heading_candidate(n)) return true;
    const std::string t = node_text(n);
    const std::size_t chars = char_count(t);
    if (chars < lx::kHeadingMinChars || chars > lx::kHeadingMaxChars ||
        is_site_name(t, meta.doc_title, stripped)) {
      return true;
    }
    const int score = agreement(n, t, meta, stripped);
    if (score > best.score) best = {&n, score};
    return !n.is_element("h1") && !n.is_element("h2");
  });
  return best;
}

// A heading's text; when it holds the title and a subtitle or translation on lines of their own
// ("淘宝网物流配送…<br>Study on Problems…"), only the line <title> names.
std::string heading_line(const Node& heading, std::string_view stripped) {
  std::string text = node_text(heading);
  if (stripped.empty() || text == stripped || text.substr(0, stripped.size()) != stripped ||
      !lx::rule_on("title.heading_line")) {
    return text;
  }
  for (std::string& line : lines_within(heading)) {
    if (line == stripped) return std::move(line);
  }
  return text;
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

// "标题-频道": a <title> whose part before a bare -, _ or | is shown alone in the page (the
// headline's own element) ends there; the rest is a channel or site the suffix rules missed.
TitleMatch shown_prefix(parse::Document& page, const std::string& title) {
  for (std::size_t at = title.size(); at-- > 0;) {
    if (title[at] != '-' && title[at] != '_' && title[at] != '|') continue;
    const std::string prefix(trim(std::string_view(title).substr(0, at)));
    if (char_count(prefix) < 4) break;
    if (Node* shown = element_showing(page, prefix)) {
      return {prefix, shown,
              "<title> up to a separator, as shown in the page [title.shown_prefix]"};
    }
  }
  return {};
}

// "[太小心]的博客" → "太小心".
std::string_view without_brackets(std::string_view name) {
  name = trim(name);
  for (auto [open, close] :
       {std::pair<std::string_view, std::string_view>{"[", "]"}, {"【", "】"}, {"《", "》"}}) {
    if (name.size() > open.size() + close.size() && name.substr(0, open.size()) == open &&
        name.substr(name.size() - close.size()) == close) {
      return trim(name.substr(open.size(), name.size() - open.size() - close.size()));
    }
  }
  return name;
}

bool names_a_blog(std::string_view segment) {
  return segment.find("博客") != std::string_view::npos ||
         ascii_lower(segment).find("blog") != std::string::npos;
}

}  // namespace

std::string blog_owner(std::string_view doc_title, std::string_view title) {
  const std::string_view t = trim(doc_title);
  std::vector<std::string_view> others;
  bool blog = false;
  constexpr std::string_view kOwnBlog = "的博客";
  for (const Segment& seg : split_segments(t)) {
    const std::string_view text = trim(t.substr(seg.begin, seg.end - seg.begin));
    if (text.size() > kOwnBlog.size() && text.substr(text.size() - kOwnBlog.size()) == kOwnBlog) {
      return std::string(without_brackets(text.substr(0, text.size() - kOwnBlog.size())));
    }
    if (names_a_blog(text)) {
      blog = true;
    } else if (is_short(text) && char_count(text) >= 2) {
      others.push_back(text);
    }
  }
  // "标题_张三_新浪博客": the part that is not the headline; "张三 | blog.example.com": the only
  // one.
  if (others.size() > 1) std::erase(others, title);
  if (!blog || others.size() != 1) return {};
  return std::string(without_brackets(others.front()));
}

Result<TitleMatch> find_title(parse::Document& page, const std::string& selector,
                              const PageMeta& meta) {
  if (!selector.empty()) {
    auto match = select_first(page, selector, "title");
    if (!match) return match.error();
    if (*match != nullptr) {
      std::string text = node_text(**match);
      if (!text.empty()) return TitleMatch{std::move(text), *match, "selector"};
    }
  }
  const std::string stripped = strip_site_suffix(meta.doc_title);
  const HeadingChoice heading =
      lx::rule_on("title.heading") ? best_heading(page, meta, stripped) : HeadingChoice{};
  if (heading.node != nullptr) {
    return TitleMatch{heading_line(*heading.node, stripped), heading.node,
                      "heading <" + heading.node->tag + "> agreeing with " +
                          std::to_string(heading.score) +
                          " point(s) of og:title/JSON-LD/<title> [title.heading]"};
  }
  std::string title = strip_site_suffix(!meta.headline.empty() ? meta.headline : meta.og_title);
  std::string rule = !meta.headline.empty() ? "JSON-LD headline" : "og:title";
  if (title.empty()) title = stripped, rule = "<title> without site affixes";
  if (title == stripped && stripped != meta.doc_title && lx::rule_on("title.shown_whole")) {
    // "对比试车—测试昌河北斗星": what looked like a channel prefix is part of the headline shown.
    Node* whole = element_showing(page, meta.doc_title);
    if (whole != nullptr && !whole->is_element("title")) {
      return TitleMatch{meta.doc_title, whole,
                        "<title> shown whole in the page [title.shown_whole]"};
    }
  }
  Node* shown = element_showing(page, title);
  if (shown == nullptr && lx::rule_on("title.shown_prefix")) {
    if (TitleMatch prefix = shown_prefix(page, title); prefix.element != nullptr) return prefix;
  }
  return TitleMatch{std::move(title), shown, rule};
}

}  // namespace detail

}  // namespace fg::extract
