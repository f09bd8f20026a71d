#include "extract/list_features.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "core/text.hpp"
#include "extract/lexicon.hpp"

namespace fg::extract::list {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// [begin, end) of each run of ASCII digits.
std::vector<std::pair<std::size_t, std::size_t>> digit_runs(std::string_view s) {
  std::vector<std::pair<std::size_t, std::size_t>> runs;
  for (std::size_t i = 0; i < s.size();) {
    if (!is_digit(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && is_digit(s[j])) ++j;
    runs.emplace_back(i, j);
    i = j;
  }
  return runs;
}

int to_int(std::string_view digits) {
  int v = 0;
  for (char c : digits.substr(0, 9)) v = v * 10 + (c - '0');
  return v;
}

bool valid_year(int y) {
  return y >= lexicon::kUrlMinYear && y <= lexicon::kUrlMaxYear;
}
bool valid_month(int m) {
  return m >= 1 && m <= 12;
}
bool valid_day(int d) {
  return d >= 1 && d <= 31;
}
bool valid_mmdd(std::string_view s) {
  return s.size() == 4 && valid_month(to_int(s.substr(0, 2))) && valid_day(to_int(s.substr(2)));
}
bool valid_yyyymmdd(std::string_view s) {
  return s.size() == 8 && valid_year(to_int(s.substr(0, 4))) && valid_mmdd(s.substr(4));
}

// The file name's stem (before the last '.') and the directories of a path.
std::string_view file_name(std::string_view path) {
  return path.substr(path.rfind('/') + 1);
}
std::string_view stem_of(std::string_view name) {
  return name.substr(0, name.find('.'));
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return s.substr(0, p.size()) == p; });
}

// /2020-01/29/, /2020/0129/, /202001/29/, /20200129/, t20200129_123, /2020/1/29/.
bool path_has_date(std::string_view path) {
  const auto runs = digit_runs(path);
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const std::string_view run = path.substr(runs[k].first, runs[k].second - runs[k].first);
    if (valid_yyyymmdd(run)) return true;
    if (run.size() == 6 && valid_year(to_int(run.substr(0, 4))) &&
        valid_month(to_int(run.substr(4))) && k + 1 < runs.size() &&
        runs[k + 1].first == runs[k].second + 1 && path[runs[k].second] == '/')
      return true;
    if (run.size() != 4 || !valid_year(to_int(run)) || k + 1 >= runs.size()) continue;
    if (runs[k + 1].first != runs[k].second + 1) continue;  // exactly one separator between
    const char sep = path[runs[k].second];
    if (sep != '-' && sep != '/' && sep != '_') continue;
    const std::string_view next =
        path.substr(runs[k + 1].first, runs[k + 1].second - runs[k + 1].first);
    if ((next.size() <= 2 && valid_month(to_int(next))) || valid_mmdd(next)) return true;
  }
  return false;
}

// ?id=123, ?articleId=123, ?newsid=123 — but not ?classid= / ?channelid= (a channel's list).
bool query_has_article_id(std::string_view query) {
  static constexpr std::array<std::string_view, 12> kChannelKeys = {
      "class", "cat",  "channel",  "column", "node", "type",
      "sort",  "page", "category", "lanmu",  "menu", "list"};
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key = ascii_lower(pair.substr(0, eq));
    const std::string_view value = pair.substr(eq + 1);
    if (key.size() < 2 || key.substr(key.size() - 2) != "id" || value.size() < 2) continue;
    if (!std::all_of(value.begin(), value.end(), is_digit)) continue;
    const std::string prefix = key.substr(0, key.size() - 2);
    if (std::find(kChannelKeys.begin(), kChannelKeys.end(), prefix) == kChannelKeys.end())
      return true;
  }
  return false;
}

bool channel_stem(std::string_view stem) {
  return starts_with_any(
      stem, {"index", "default", "list", "node", "channel", "column", "lanmu", "more", "home"});
}

// Han, kana and Hangul code points: text in these scripts counts by character, not by word.
bool is_cjk(char32_t cp) {
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0x20000 && cp <= 0x2FFFF);
}

}  // namespace

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  std::size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  const std::size_t path_at = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, path_at - start);
  authority = authority.substr(authority.rfind('@') + 1);
  parts.host = ascii_lower(authority.substr(0, authority.find(':')));
  if (path_at == std::string_view::npos) {
    parts.path = "/";
    return parts;
  }
  std::string_view rest = url.substr(path_at);
  rest = rest.substr(0, rest.find('#'));
  const std::size_t q = rest.find('?');
  parts.path = std::string(rest.substr(0, q));
  if (parts.path.empty()) parts.path = "/";
  if (q != std::string_view::npos) parts.query = std::string(rest.substr(q + 1));
  return parts;
}

std::string url_shape(const UrlParts& url) {
  std::string shape = url.host;
  const std::size_t slash = url.path.rfind('/');
  for (std::size_t i = 0; i <= slash; ++i) {  // directories, digit runs as '#'
    if (!is_digit(url.path[i])) {
      shape += url.path[i];
    } else if (shape.empty() || shape.back() != '#') {
      shape += '#';
    }
  }
  const std::string_view name = file_name(url.path);
  const std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) shape += name.substr(dot);
  if (!url.query.empty()) {  // script pages: the name and the query keys tell them apart
    shape += std::string(name.substr(0, dot)) + "?";
    std::string_view q = url.query;
    std::vector<std::string> keys;
    for (std::size_t amp; !q.empty(); q = amp == std::string_view::npos ? "" : q.substr(amp + 1)) {
      amp = q.find('&');
      keys.push_back(ascii_lower(q.substr(0, std::min(q.find('='), amp))));
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& k : keys) shape += k + "&";
  }
  return shape;
}

bool is_article_url(const UrlParts& url) {
  if (query_has_article_id(url.query)) return true;
  const std::string stem = ascii_lower(stem_of(file_name(url.path)));
  if (stem.empty() || channel_stem(stem)) return false;
  if (path_has_date(url.path)) return true;
  for (const auto& [b, e] : digit_runs(stem)) {
    if (e - b >= 4) return true;
    if (e - b >= 3 && b == 0 && e == stem.size()) return true;  // /a/123.html
  }
  return false;
}

bool is_channel_url(const UrlParts& url) {
  if (url.path.empty() || url.path.back() == '/') return url.query.empty();
  if (!url.query.empty() && query_has_article_id(url.query)) return false;
  return channel_stem(ascii_lower(stem_of(file_name(url.path))));
}

bool is_more_text(std::string_view text) {
  const std::string t = ascii_lower(trim(text));
  static constexpr std::array<std::string_view, 10> kMore = {
      "更多", "more", "详细", "详情", "查看更多", "全文", "阅读全文", "进入", "点击进入", "查看"};
  for (std::string_view m : kMore) {
    if (t.substr(0, m.size()) == m && t.size() <= m.size() + 8) return true;
  }
  return false;
}

bool is_pagination(std::string_view text, const UrlParts& url) {
  const std::string t = ascii_lower(trim(text));
  static constexpr std::array<std::string_view, 22> kPager = {
      "下一页", "上一页", "下页",   "上页", "首页", "尾页",     "末页", "最后一页",
      "第一页", "前一页", "后一页", "next", "prev", "previous", "last", "first",
      "»",      "«",      ">>",     "<<",   ">",    "<"};
  for (std::string_view p : kPager) {
    if (t == p || (t.size() > p.size() && t.substr(0, p.size()) == p && p.size() >= 4 &&
                   t.size() <= p.size() + 4))
      return true;
  }
  std::string_view digits = t;
  if (digits.size() >= 2 && digits.front() == '[' && digits.back() == ']')
    digits = digits.substr(1, digits.size() - 2);
  if (!digits.empty() && digits.size() <= 4 && std::all_of(digits.begin(), digits.end(), is_digit))
    return true;
  const std::string stem = ascii_lower(stem_of(file_name(url.path)));
  const std::size_t us = stem.rfind('_');
  if (us != std::string::npos && us + 1 < stem.size() && stem.size() - us - 1 <= 3 &&
      channel_stem(stem) &&
      std::all_of(stem.begin() + static_cast<std::ptrdiff_t>(us) + 1, stem.end(), is_digit))
    return true;  // index_2.html, list_3.htm
  const std::string query = "&" + ascii_lower(url.query);
  return query.find("&page=") != std::string::npos || query.find("&p=") != std::string::npos ||
         query.find("&pageno=") != std::string::npos || query.find("&pn=") != std::string::npos;
}

bool same_site(std::string_view a, std::string_view b) {
  auto registrable = [](std::string_view host) {
    if (!host.empty() && is_digit(host.back())) return host;  // an IP address
    std::size_t dot = host.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return host;
    std::size_t dot2 = host.rfind('.', dot - 1);
    const std::string_view second =
        host.substr(dot2 == std::string_view::npos ? 0 : dot2 + 1,
                    dot - (dot2 == std::string_view::npos ? 0 : dot2 + 1));
    const bool public_suffix2 = host.size() - dot == 3 &&  // a two-letter country code
                                (second == "com" || second == "net" || second == "org" ||
                                 second == "gov" || second == "edu" || second == "ac");
    if (public_suffix2 && dot2 != std::string_view::npos && dot2 > 0)
      dot2 = host.rfind('.', dot2 - 1);
    return dot2 == std::string_view::npos ? host : host.substr(dot2 + 1);
  };
  return registrable(a) == registrable(b);
}

int headline_units(std::string_view text) {
  int units = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    const bool word_char =
        cp < 0x80 && (is_alpha(static_cast<char>(cp)) || is_digit(static_cast<char>(cp)));
    if (word_char && !in_word) units += 2;
    in_word = word_char;
    if (is_cjk(cp)) ++units;
  }
  return units;
}

bool contains_date(std::string_view text) {
  const auto runs = digit_runs(text);
  auto piece = [&](std::size_t k) {
    return text.substr(runs[k].first, runs[k].second - runs[k].first);
  };
  auto separated = [&](std::size_t k) {  // one date separator between run k and run k+1
    const std::string_view sep = text.substr(runs[k].second, runs[k + 1].first - runs[k].second);
    return sep == "-" || sep == "/" || sep == "." || sep == "年" || sep == "月";
  };
  for (std::size_t k = 0; k + 1 < runs.size(); ++k) {
    if (!separated(k)) continue;
    const std::string_view a = piece(k);
    const std::string_view b = piece(k + 1);
    if (a.size() == 4 && valid_year(to_int(a)) && b.size() <= 2 && valid_month(to_int(b)) &&
        k + 2 < runs.size() && separated(k + 1) && piece(k + 2).size() <= 2 &&
        valid_day(to_int(piece(k + 2))))
      return true;
    if (a.size() <= 2 && b.size() <= 2 && b.size() >= 1 && valid_month(to_int(a)) &&
        valid_day(to_int(b)) && text.substr(runs[k].second, 1) != ".")
      return true;  // 01-29, 1月29日, 01/29 (not 3.5, a decimal)
  }
  return false;
}

bool has_word(std::string_view value, bool (*pred)(std::string_view word)) {
  std::string word;
  auto flush = [&] {
    const bool hit = !word.empty() && pred(word);
    word.clear();
    return hit;
  };
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool hump = c >= 'A' && c <= 'Z' && i > 0 && value[i - 1] >= 'a' && value[i - 1] <= 'z';
    if (!is_alpha(c) || hump) {
      if (flush()) return true;
    }
    if (is_alpha(c)) word += static_cast<char>(c | 0x20);
  }
  return flush();
}

bool is_negative_word(std::string_view w) {
  static constexpr std::array<std::string_view, 44> kNegative = {
      "nav",       "navbar",  "navi",      "menu",    "menus",   "footer",     "foot",
      "side",      "sidebar", "aside",     "sidebox", "hot",     "hots",       "hotnews",
      "rank",      "ranking", "paihang",   "phb",     "friend",  "friends",    "flink",
      "links",     "yqlj",    "copyright", "crumb",   "crumbs",  "breadcrumb", "position",
      "location",  "weizhi",  "dqwz",      "share",   "related", "relate",     "xgxw",
      "recommend", "tuijian", "header",    "banner",  "pager",   "pagination", "paging",
      "fenye",     "pages"};
  return std::find(kNegative.begin(), kNegative.end(), w) != kNegative.end();
}

bool is_positive_word(std::string_view w) {
  static constexpr std::array<std::string_view, 10> kPositive = {
      "list", "lists", "news", "main", "content", "article", "articles", "lb", "xwlb", "wzlb"};
  return std::find(kPositive.begin(), kPositive.end(), w) != kPositive.end();
}

bool is_sidebar_heading(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kHeadings = {
      "热门",     "排行",   "推荐",   "相关",   "友情链接", "热读",
      "猜你喜欢", "点击榜", "阅读榜", "排行榜", "热帖",     "精彩图片"};
  return std::any_of(kHeadings.begin(), kHeadings.end(),
                     [&](std::string_view h) { return text.find(h) != std::string_view::npos; });
}

}  // namespace fg::extract::list
