// Taking the tail of portal pages (related reading, copyright, share bars, bylines) out of the
// body container.

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/labels.hpp"

namespace fg::extract::detail {

namespace {

using parse::Node;

constexpr std::size_t kBylineMaxChars = 80;   // longer lines are prose that mentions a label
constexpr std::size_t kCaptionMaxChars = 40;  // share bars, QR-code captions, print links

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Headings that open a related-reading list: everything from them on is not the article.
bool opens_related_list(std::string_view t) {
  static constexpr std::array<std::string_view, 8> kMarkers = {
      "相关阅读", "相关新闻", "相关链接", "延伸阅读", "推荐阅读", "分享到", "上一篇", "下一篇"};
  static constexpr std::array<std::string_view, 5> kOpeners = {"『", "【", "[", "［", "〖"};
  for (std::string_view opener : kOpeners) {
    if (starts_with(t, opener)) t.remove_prefix(opener.size());
  }
  for (std::string_view marker : kMarkers) {
    if (starts_with(t, marker)) return true;
  }
  return false;
}

// "杭州网版权与免责声明:" — a site name may come first.
bool opens_copyright(std::string_view t) {
  for (std::string_view marker : {"版权与免责声明", "版权声明", "免责声明"}) {
    const std::size_t at = t.find(marker);
    if (at != std::string_view::npos && char_count(t.substr(0, at)) <= 8) return true;
  }
  return false;
}

std::string block_text(const Node& n) {
  return n.is_text() ? collapse_whitespace(n.text) : node_text(n);
}

bool has_media(Node& n) {
  bool found = false;
  parse::walk(n, [&](Node& d) {
    found = found || d.is_element("img") || d.is_element("video") || d.is_element("iframe") ||
            d.is_element("table") || d.is_element("audio");
    return !found;
  });
  return found || n.is_element("img");
}

// A line that closes many portal articles and is not body text.
bool is_tail_line(std::string_view t, bool& is_byline) {
  is_byline = false;
  const std::size_t n = char_count(t);
  for (std::string_view p : {"(原标题", "（原标题", "原标题:", "原标题："}) {
    if (starts_with(t, p)) return true;
  }
  if (n <= kBylineMaxChars && has_byline_label(t)) return is_byline = true;
  if (n <= kCaptionMaxChars) {
    for (std::string_view word : {"扫一扫", "二维码", "分享到", "打印本页", "关闭窗口", "返回顶部",
                                  "【纠错】", "【打印】", "【关闭】"}) {
      if (t.find(word) != std::string_view::npos) return true;
    }
  }
  return opens_related_list(t) || opens_copyright(t);
}

void capture_bylines(const Node& n, std::vector<std::string>& out) {
  std::vector<std::string> lines =
      n.is_text() ? std::vector<std::string>{collapse_whitespace(n.text)} : lines_within(n);
  for (std::string& line : lines) {
    if (char_count(line) <= kBylineMaxChars && has_byline_label(line))
      out.push_back(std::move(line));
  }
}

// Cuts from the first related-reading or copyright block on, once body text has been seen.
void cut_from_marker(Node& container, std::vector<std::string>& captured) {
  std::size_t seen = 0;
  const std::vector<Node*> children = container.children;
  for (std::size_t i = 0; i < children.size(); ++i) {
    const std::string t = block_text(*children[i]);
    // A related list is a short heading, or a block that is mostly links.
    const bool related =
        opens_related_list(t) &&
        (char_count(t) <= 30 || 2 * link_char_count(*children[i]) >= char_count(t));
    if (seen > 0 && (related || opens_copyright(t))) {
      for (std::size_t k = i; k < children.size(); ++k) {
        capture_bylines(*children[k], captured);
        children[k]->detach();
      }
      return;
    }
    seen += char_count(t);
  }
}

void trim_from_end(Node& container, std::vector<std::string>& captured) {
  cut_from_marker(container, captured);
  while (!container.children.empty()) {
    Node& last = *container.children.back();
    const std::string t = block_text(last);
    if (t.empty()) {
      if (last.is_element() && has_media(last)) return;
      last.detach();
      continue;
    }
    bool is_byline = false;
    if (is_tail_line(t, is_byline)) {
      if (is_byline)
        captured.push_back(t);
      else
        capture_bylines(last, captured);
      last.detach();
      continue;
    }
    if (last.is_element() && !last.is_element("p") &&
        std::any_of(last.children.begin(), last.children.end(),
                    [](const Node* c) { return is_block(*c); })) {
      trim_from_end(last, captured);  // the tail may sit inside a wrapper
    }
    return;
  }
}

}  // namespace

std::vector<std::string> trim_trailing_boilerplate(Node& content) {
  std::vector<std::string> captured;
  trim_from_end(content, captured);
  return captured;
}

}  // namespace fg::extract::detail
