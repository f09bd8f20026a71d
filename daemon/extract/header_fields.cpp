#include "extract/header_fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/lexicon.hpp"
#include "extract/page_meta.hpp"

namespace fg::extract::detail {

namespace {

using parse::Node;
namespace lx = lexicon;
using lx::kAroundChars;
using lx::kDateLineMaxChars;
using lx::kHintTextMaxChars;
using lx::kNearTitleChars;
using lx::kOpeningLines;

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// Elements of the header region in document order: after the title when it is known, always
// before the body container; the body itself is skipped.
template <class F>
void walk_header(parse::Document& page, const Located& at, F&& f) {
  if (page.body() == nullptr) return;
  bool after_title = at.title == nullptr;
  bool done = false;
  parse::walk(*page.body(), [&](Node& n) {
    if (done) return false;
    if (&n == at.content) {
      done = true;
      return false;
    }
    if (&n == at.title) {
      after_title = true;
      return false;
    }
    if (!after_title || !n.is_element()) return true;
    return f(n);
  });
}

}  // namespace

Chosen date_from_markup(parse::Document& page, const PageMeta& meta, std::string_view zone) {
  if (auto t = find_date(meta.ld_published, zone)) return {t, "JSON-LD datePublished"};
  if (auto t = find_date(meta.meta_published, zone)) return {t, "<meta> publication time"};
  Chosen out;
  parse::walk(*page.root(), [&](Node& n) {
    if (out.time || !n.is_element()) return !out.time;
    const bool item = n.attr("itemprop") == "datePublished";
    if (item || (n.is_element("time") && n.has_attr("datetime"))) {
      for (std::string_view attr : {"datetime", "content"}) {
        if (!out.time) out.time = find_date(n.attr(attr), zone);
      }
      if (!out.time && item) out.time = find_date(n.text_content(), zone);
      if (out.time) out.rule = item ? "itemprop=datePublished" : "<time datetime>";
    }
    return !out.time;
  });
  return out;
}

// The text of an element and of the element right after it: "发布时间：01-14" and "17:58" stand in
// two spans with nothing between them.
std::string with_next_sibling(const Node& n) {
  std::string text = node_text(n);
  if (n.parent == nullptr) return text;
  const std::vector<Node*> siblings = n.parent->element_children();
  const auto it = std::find(siblings.begin(), siblings.end(), &n);
  if (it != siblings.end() && it + 1 != siblings.end()) text += " " + node_text(**(it + 1));
  return text;
}

std::vector<std::string> date_attributes_in_header(parse::Document& page, const Located& at) {
  std::vector<std::string> out;
  if (at.title == nullptr) return out;  // without a title, the header region is the whole page
  walk_header(page, at, [&](Node& n) {
    for (std::string_view name : lx::kDateAttributes) {
      if (n.has_attr(name)) out.emplace_back(trim(n.attr(name)));
    }
    return true;
  });
  return out;
}

Chosen date_from_header(parse::Document& page, const Located& at, const DateReading& reading) {
  std::string under;
  if (at.title != nullptr) {
    under = join_lines(lines_after(*at.title, at.near_title_stop, kNearTitleChars));
    if (auto t = find_date(under, reading)) return {t, "text under the title"};
  }
  Chosen out;
  std::string yearless;  // the first date/time element with a date but no year
  walk_header(page, at, [&](Node& n) {
    if (!lx::class_hints(n).has(lx::kDateHints)) return true;
    const std::string text = node_text(n);
    if (char_count(text) > kHintTextMaxChars) return true;
    if (auto t = find_date(text, reading)) {
      out = {t, "element named time/date before the body"};
      return at.title == nullptr;  // without a title, the last one before the body is closest
    }
    if (yearless.empty()) yearless = with_next_sibling(n);
    return true;
  });
  if (out.time) return out;
  if (!reading.fetched) return out;  // a year is inferred from the time the page was read
  for (const std::string& text : {under, yearless}) {
    if (auto t = find_yearless_date(text, reading, *reading.fetched)) {
      return {t, "date without its year before the body (year from the URL or another date)"};
    }
  }
  return out;
}

Chosen date_before_body(parse::Document& page, const Located& at, const DateReading& reading) {
  if (page.body() == nullptr || at.content == nullptr || at.near_title_stop == nullptr) return {};
  // With a title in the page, the lines between it and the body were searched already; above it
  // stand the site's own bars ("2024年5月1日 星期三" is today, not the article's day).
  const std::vector<std::string> before =
      at.title == nullptr ? lines_before(*page.body(), *at.content) : std::vector<std::string>{};
  std::size_t seen = 0;
  for (auto it = before.rbegin(); it != before.rend() && seen < kAroundChars; ++it) {
    if (it->find(lx::kWeekdayMarker) != std::string::npos) continue;
    if (auto t = find_date(*it, reading)) return {t, "date in the lines right before the body"};
    seen += char_count(*it);
  }
  return {};
}

Chosen date_opening_body(const Located& at, const DateReading& reading) {
  if (at.content == nullptr) return {};
  const std::vector<std::string> lines = lines_within(*at.content);
  for (std::size_t i = 0; i < lines.size() && i < kOpeningLines; ++i) {
    const std::string& line = lines[i];
    // The first sentence ends the header lines: a date in it is the story's, not the page's.
    if (char_count(line) > kDateLineMaxChars || line.find("，") != std::string::npos ||
        line.find("。") != std::string::npos) {
      break;
    }
    if (auto t = find_date(line, reading)) return {t, "dated line opening the body"};
  }
  return {};
}

Chosen date_after_body(const Located& at, const DateReading& reading) {
  if (at.content == nullptr) return {};
  // Not relative dates: the short lines after a body are as often a related list's "3小时前".
  DateReading absolute = reading;
  absolute.fetched.reset();
  if (auto t = find_date(join_lines(lines_after(*at.content, nullptr, kAroundChars)), absolute)) {
    return {t, "date in the lines right after the body"};
  }
  return {};
}

Chosen issue_month(const Located& at, std::string_view zone) {
  if (at.content == nullptr) return {};
  const std::vector<std::string> lines = lines_within(*at.content);
  std::string tail;
  for (std::size_t k = 0; k < lines.size() && k < kOpeningLines; ++k) {
    tail += lines[lines.size() - 1 - k] + "\n";
  }
  tail += join_lines(lines_after(*at.content, nullptr, kAroundChars));
  if (auto t = find_issue_month(tail, zone)) return {t, "issue of the periodical named at the end"};
  return {};
}

std::optional<PublishedTime> reference_date(parse::Document& page, std::string_view url,
                                            std::string_view zone) {
  if (auto t = date_from_url(url, zone)) return t;
  DateReading full(zone);
  full.unambiguous_only = true;
  std::optional<PublishedTime> found;
  parse::walk(*page.root(), [&](Node& n) {
    if (n.is_element("meta")) found = find_date(n.attr("content"), full);
    return !found;
  });
  if (found || page.body() == nullptr) return found;
  for (const std::string& line : lines_within(*page.body())) {
    if (auto t = find_date(line, full)) return t;
  }
  return std::nullopt;
}

PublishedTime time_of_day(parse::Document& page, const PublishedTime& day, std::string_view zone) {
  constexpr auto kDay = std::chrono::hours(24);
  const auto local = day.utc + day.offset;
  const bool midnight = local.time_since_epoch() % kDay == kDay * 0;
  if (page.body() == nullptr || !midnight || day.precision == TimePrecision::month) return day;
  for (const std::string& line : lines_within(*page.body())) {
    auto t = find_date(line, zone);
    if (!t) continue;
    const auto other = t->utc + t->offset;
    const bool same_day = std::chrono::floor<std::chrono::days>(other) ==
                          std::chrono::floor<std::chrono::days>(local);
    if (same_day && other != local) return *t;
  }
  return day;
}

std::optional<PublishedTime> date_from_url(std::string_view url, std::string_view zone) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (path == std::string_view::npos) return std::nullopt;
  std::string s(url.substr(path));
  for (std::size_t i = 0; i + 8 <= s.size(); ++i) {
    // "/20200129/" or "t20200129_": eight digits become "2020-01-29" for find_date.
    const bool eight =
        std::all_of(s.begin() + static_cast<long>(i), s.begin() + static_cast<long>(i) + 8,
                    [](char c) { return c >= '0' && c <= '9'; });
    const bool bounded = (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9')) &&
                         (i + 8 == s.size() || !(s[i + 8] >= '0' && s[i + 8] <= '9'));
    if (eight && bounded) {
      s = s.substr(i, 4) + "-" + s.substr(i + 4, 2) + "-" + s.substr(i + 6, 2);
      return find_date(s, zone);
    }
  }
  for (char& c : s) {
    if (c == '/') c = '-';
  }
  // "/2020-01/29/" → "-2020-01-29-"; "/2020/01/29/" likewise.
  for (std::size_t i = 0; i + 10 <= s.size(); ++i) {
    if (s[i] != '-') continue;
    if (auto t = find_date(s.substr(i + 1, 10), zone)) return t;
  }
  return std::nullopt;
}

Chosen date_in_named_element(parse::Document& page, const Located& at, const DateReading& reading) {
  Chosen out;
  if (page.body() == nullptr) return out;
  parse::walk(*page.body(), [&](Node& n) {
    if (out.time || &n == at.content) return false;
    if (!n.is_element() || !lx::class_hints(n).has(lx::kDateHints)) return true;
    const std::string text = node_text(n);
    if (char_count(text) > lx::kDateOnlyChars ||
        text.find(lx::kWeekdayMarker) != std::string::npos) {
      return true;
    }
    if (auto t = find_date(text, reading)) out = {t, "date in an element named date/time"};
    return !out.time;
  });
  return out;
}

namespace {

bool links_to_author_archive(const Node& a) {
  const std::string href = ascii_lower(a.attr("href"));
  const std::string rel = ascii_lower(a.attr("rel"));
  // Not "&author=": a month or category archive filtered to one author, named by its month.
  return rel == "author" || href.find("?author=") != std::string::npos ||
         href.find("/author/") != std::string::npos;
}

}  // namespace

std::string author_archive_name(parse::Document& page) {
  std::string name;
  bool disagree = false;
  if (page.body() == nullptr) return {};
  parse::walk(*page.body(), [&](Node& n) {
    if (disagree) return false;
    if (!n.is_element("a")) return true;
    if (!links_to_author_archive(n)) return false;
    const std::string text = node_text(n);
    if (text.empty() || char_count(text) > lx::kArchiveNameMaxChars) return false;
    if (name.empty()) name = text;
    disagree = text != name;
    return false;
  });
  return disagree ? std::string{} : name;
}

Byline byline_from_hints(parse::Document& page, const Located& at) {
  Byline out;
  walk_header(page, at, [&](Node& n) {
    const lx::ClassHints hints = lx::class_hints(n);
    const bool source = hints.has(lx::kSourceHints);
    const bool author = hints.has(lx::kAuthorHints);
    if (!source && !author) return true;
    const std::string text = node_text(n);
    if (text.empty() || char_count(text) > kHintTextMaxChars) return true;
    if (has_byline_label(text)) {
      const Byline b = split_byline(text);
      if (out.source.empty()) out.source = b.source;
      if (out.author.empty()) out.author = b.author;
      return false;
    }
    if (char_count(text) > lx::kBareNameMaxChars || find_date(text, "UTC")) return true;
    std::string& field = source ? out.source : out.author;
    if (field.empty()) field = text;
    return false;
  });
  return out;
}

std::string dateline_reporter(const Node& content) {
  const std::vector<std::string> lines = lines_within(content);
  for (std::size_t i = 0; i < lines.size() && i < 2; ++i) {
    const std::string& line = lines[i];
    const std::size_t at = line.find("记者");
    if (at == std::string::npos || char_count(line.substr(0, at)) > lx::kDatelineLeadChars) {
      continue;
    }
    std::size_t end = line.find("）", at);
    if (end == std::string::npos) end = line.find(')', at);
    if (end == std::string::npos) continue;
    std::string_view value = trim(std::string_view(line).substr(at + 6, end - at - 6));
    for (std::string_view colon : {":", "："}) {
      if (value.substr(0, colon.size()) == colon) value = trim(value.substr(colon.size()));
    }
    if (!value.empty() && char_count(value) <= lx::kDatelineNameChars) return std::string(value);
  }
  return {};
}

namespace {

// A name standing alone in its element: short, no digits, no label, no punctuation of a
// sentence or a date, none of the tool-bar words that stand beside times (字号, 原创, 阅读).
bool bare_name(const Node& n) {
  if (!n.is_element() || lx::class_hints(n).has(lx::kAuthorHints)) return false;
  const std::string text = node_text(n);
  const std::size_t chars = char_count(text);
  if (chars < 2 || chars > lx::kShortNameChars || has_byline_label(text)) return false;
  bool han = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80 && !std::isalpha(c) && c != ' ') return false;  // digits, ':', '|', '/'
    han = han || (c >= 0xE4 && c <= 0xE9);  // a lead byte of the common CJK ideographs
  }
  // Chinese portals put the outlet there; English pages put the writer ("Chris Davies").
  if (!han) return false;
  for (std::string_view word : lx::kBesideTimeNotSources) {
    if (text.find(word) != std::string::npos) return false;
  }
  return text.find("：") == std::string::npos;
}

// The element siblings right before and after `n`.
std::array<Node*, 2> element_neighbours(const Node& n) {
  std::array<Node*, 2> out{};
  if (n.parent == nullptr) return out;
  const std::vector<Node*> siblings = n.parent->element_children();
  for (std::size_t i = 0; i < siblings.size(); ++i) {
    if (siblings[i] != &n) continue;
    if (i > 0) out[0] = siblings[i - 1];
    if (i + 1 < siblings.size()) out[1] = siblings[i + 1];
  }
  return out;
}

}  // namespace

std::string source_beside_time(parse::Document& page, const Located& at) {
  std::string out;
  bool seen_time = false;
  walk_header(page, at, [&](Node& n) {
    if (seen_time) return false;
    const std::string text = node_text(n);
    if (text.empty() || char_count(text) > lx::kDateOnlyChars || !find_date(text, "UTC")) {
      return true;
    }
    for (const Node* c : n.element_children()) {
      if (find_date(node_text(*c), "UTC")) return true;  // the smallest element holding it
    }
    seen_time = true;  // only the first time under the title: the article's
    for (Node* beside : element_neighbours(n)) {
      if (beside != nullptr && bare_name(*beside)) {
        out = node_text(*beside);
        break;
      }
    }
    return false;
  });
  return out;
}

bool looks_like_site(std::string_view author) {
  return author.find('.') != std::string_view::npos || author.find(',') != std::string_view::npos;
}

}  // namespace fg::extract::detail
