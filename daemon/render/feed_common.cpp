#include "render/feed_common.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace fg::render {

std::string feed_url(const std::string& self_base, const std::string& id,
                     std::string_view extension) {
  std::string base = self_base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/feeds/" + id + "." + std::string(extension);
}

std::string archive_url(const std::string& self_base, const std::string& id, int page,
                        std::string_view extension) {
  std::string base = self_base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/feeds/" + id + "/archive/" + std::to_string(page) + "." + std::string(extension);
}

std::string document_url(const FeedInfo& feed, std::string_view extension) {
  if (feed.archive_page > 0) {
    return archive_url(feed.self_base, feed.id, feed.archive_page, extension);
  }
  const std::string url = feed_url(feed.self_base, feed.id, extension);
  return feed.self_query.empty() ? url : url + "?" + feed.self_query;
}

namespace {

struct BylineLabels {
  std::string_view source, author, editor, separator;
};
// 来源 first, as portals print it; the ideographic space is their separator.
constexpr BylineLabels kChineseLabels{"来源：", "作者：", "编辑：", "\u3000"};
constexpr BylineLabels kEnglishLabels{"Source: ", "By ", "Editor: ", " \u00B7 "};

// Chinese labels unless the item states a language of another script: a reader of an English
// page should not meet 来源.
const BylineLabels& labels_for(std::string_view language) {
  const std::string lang = ascii_lower(language.substr(0, 2));
  const bool cjk = lang.empty() || lang == "zh" || lang == "ja" || lang == "ko";
  return cjk ? kChineseLabels : kEnglishLabels;
}

}  // namespace

std::string byline_line(const Article& a) {
  const BylineLabels& labels = labels_for(a.language);
  std::string out;
  const auto add = [&](std::string_view label, std::string_view value) {
    value = trim(value);
    if (value.empty()) return;
    if (!out.empty()) out += labels.separator;
    out += std::string(label) + std::string(value);
  };
  add(labels.source, a.source);
  add(labels.author, a.author);
  add(labels.editor, a.editor);
  return out;
}

std::string content_html_of(const FeedInfo& feed, const Article& a) {
  if (!feed.byline_in_content || a.content_html.empty()) return a.content_html;
  const std::string byline = byline_line(a);
  if (byline.empty()) return a.content_html;
  return a.content_html + "<p class=\"feedgate-byline\">" + text_as_html(byline) + "</p>";
}

std::string content_text_of(const FeedInfo& feed, const Article& a) {
  if (!feed.byline_in_content || a.text.empty()) return a.text;
  const std::string byline = byline_line(a);
  return byline.empty() ? a.text : a.text + "\n\n" + byline;
}

std::string excerpt(std::string_view text, std::size_t max_chars) {
  const std::string flat = collapse_whitespace(xml_safe_utf8(text));
  std::size_t chars = 0;
  for (std::size_t i = 0; i < flat.size(); ++i) {
    // Count code points by their lead bytes so the cut never splits a character.
    if ((static_cast<unsigned char>(flat[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) {
      return std::string(trim(std::string_view(flat).substr(0, i))) + "\xE2\x80\xA6";
    }
    ++chars;
  }
  return flat;
}

std::string inert_text(std::string_view text) {
  const std::string safe = xml_safe_utf8(text);
  std::string out;
  out.reserve(safe.size());
  for (std::size_t i = 0; i < safe.size(); ++i) {
    const char next = i + 1 < safe.size() ? safe[i + 1] : '\0';
    const bool opens_markup = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
                              next == '/' || next == '!' || next == '?';
    if (safe[i] == '<' && opens_markup) {
      out += "\xEF\xBC\x9C";  // U+FF1C: reads as "<", never opens markup
    } else {
      out += safe[i];
    }
  }
  return out;
}

std::string text_as_html(std::string_view text, bool in_attributes) {
  const std::string safe = xml_safe_utf8(text);
  std::string out;
  out.reserve(safe.size() + safe.size() / 8);
  for (const char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += in_attributes ? "&quot;" : "\"";
        break;
      case '\'':
        out += in_attributes ? "&#39;" : "'";
        break;
      default:
        out += c;
    }
  }
  return out;
}

PublishedTime entry_date(const FeedItem& item) {
  if (item.article.published) return *item.article.published;
  return PublishedTime{item.first_seen, std::chrono::minutes{0}};
}

namespace {

// Case and "_" against "-" do not count as disagreeing ("zh_CN", "zh-cn").
std::string folded(std::string_view s) {
  std::string out = ascii_lower(s);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

template <class Field>
std::string agreed(const std::vector<FeedItem>& items, Field field) {
  std::string value;
  for (const FeedItem& item : items) {
    const std::string& v = field(item.article);
    if (v.empty()) continue;
    if (value.empty()) {
      value = v;
    } else if (folded(v) != folded(value)) {
      return {};
    }
  }
  return value;
}

}  // namespace

std::string agreed_language(const std::vector<FeedItem>& items) {
  std::string lang =
      agreed(items, [](const Article& a) -> const std::string& { return a.language; });
  std::replace(lang.begin(), lang.end(), '_', '-');  // og:locale's "zh_CN" is "zh-CN" in feeds
  return lang;
}

std::string agreed_site_name(const std::vector<FeedItem>& items) {
  return agreed(items, [](const Article& a) -> const std::string& { return a.site_name; });
}

long ttl_minutes(std::chrono::milliseconds interval) {
  const auto minutes = std::chrono::ceil<std::chrono::minutes>(interval).count();
  return std::max<long>(1, static_cast<long>(minutes));
}

UpdateSchedule update_schedule(std::chrono::milliseconds interval) {
  const long minutes = ttl_minutes(interval);
  constexpr long hour = 60, day = 24 * hour, week = 7 * day;
  if (minutes <= hour) return {"hourly", std::max<long>(1, hour / minutes)};
  if (minutes <= day) return {"daily", std::max<long>(1, day / minutes)};
  return {"weekly", std::max<long>(1, week / minutes)};
}

}  // namespace fg::render
