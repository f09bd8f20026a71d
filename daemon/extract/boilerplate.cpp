// Taking the tail of portal pages (related reading, copyright, share bars, bylines) out of the
// body container.

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "extract/article_parts.hpp"
#include "extract/labels.hpp"
#include "extract/lexicon.hpp"

namespace fg::extract::detail {

namespace {

using parse::Node;
namespace lx = lexicon;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Headings that open a related-reading list: everything from them on is not the article.
bool opens_related_list(std::string_view t) {
  for (std::string_view opener : lx::kRelatedOpeners) {
    if (starts_with(t, opener)) t.remove_prefix(opener.size());
  }
  for (std::string_view marker : lx::kRelatedMarkers) {
    if (starts_with(t, marker)) return true;
  }
  return false;
}

// "杭州网版权与免责声明:" — a site name may come first.
bool opens_copyright(std::string_view t) {
  for (std::string_view marker : lx::kCopyrightMarkers) {
    const std::size_t at = t.find(marker);
    if (at != std::string_view::npos && char_count(t.substr(0, at)) <= lx::kCopyrightLeadChars) {
      return true;
    }
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

// A related list is a short heading, or a block that is mostly links; a long paragraph that
// happens to start with 相关新闻 is body text.
bool is_related_list(Node& n, std::string_view t) {
  const std::size_t chars = char_count(t);
  return opens_related_list(t) &&
         (chars <= lx::kRelatedHeadingChars || 2 * link_char_count(n) >= chars);
}

bool has_block_children(const Node& n) {
  return std::any_of(n.children.begin(), n.children.end(),
                     [](const Node* c) { return is_block(*c); });
}

enum class Tail { body, junk, byline };

// A closing byline line ("来源：新华网 编辑：陈东"), not a sentence that ends with a signature
// ("……推动工业高质量发展。（记者 胡晓蓉）"), which is the body's last paragraph.
bool is_byline_line(std::string_view t) {
  for (std::string_view stop : lx::kSentenceEnds) {
    if (t.find(stop) != std::string_view::npos) return false;
  }
  return char_count(t) <= lx::kBylineMaxChars && has_byline_label(t);
}

// What a trailing block is: one of the lines that close portal articles, or body text.
Tail classify_tail(Node& n, std::string_view t) {
  const std::size_t chars = char_count(t);
  if (has_block_children(n)) {  // a wrapper: only a whole related list or notice goes
    return is_related_list(n, t) || opens_copyright(t) ? Tail::junk : Tail::body;
  }
  for (std::string_view p : lx::kOriginalTitlePrefixes) {
    if (starts_with(t, p)) return Tail::junk;
  }
  if (is_byline_line(t)) return Tail::byline;
  if (chars <= lx::kCaptionMaxChars) {
    for (std::string_view word : lx::kToolbarWords) {
      if (t.find(word) != std::string_view::npos) return Tail::junk;
    }
  }
  return is_related_list(n, t) || opens_copyright(t) ? Tail::junk : Tail::body;
}

void capture_bylines(const Node& n, std::vector<std::string>& out) {
  std::vector<std::string> lines =
      n.is_text() ? std::vector<std::string>{collapse_whitespace(n.text)} : lines_within(n);
  for (std::string& line : lines) {
    if (char_count(line) <= lx::kBylineMaxChars && has_byline_label(line)) {
      out.push_back(std::move(line));
    }
  }
}

std::size_t plain_chars(Node& n, std::string_view t) {
  const std::size_t chars = char_count(t);
  const std::size_t links = n.is_element() ? link_char_count(n) : 0;
  return chars > links ? chars - links : 0;
}

// Cuts from the first related-reading or copyright block on, once body text has been seen —
// unless more prose follows it than came before (a related list in the middle of the body):
// then only the list goes, its heading and the link blocks right after it.
void cut_from_marker(Node& container, std::vector<std::string>& captured) {
  std::size_t seen = 0;
  const std::vector<Node*> children = container.children;
  for (std::size_t i = 0; i < children.size(); ++i) {
    const std::string t = block_text(*children[i]);
    if (seen > 0 && (is_related_list(*children[i], t) || opens_copyright(t))) {
      std::size_t rest = 0;
      for (std::size_t k = i + 1; k < children.size(); ++k) {
        rest += plain_chars(*children[k], block_text(*children[k]));
      }
      std::size_t end = children.size();
      if (rest > std::max<std::size_t>(seen, lx::kMidBodyProse)) {
        end = i + 1;
        while (end < children.size()) {
          const std::string next = block_text(*children[end]);
          const bool blank = next.empty();  // whitespace between the list's blocks
          if (!blank && 2 * plain_chars(*children[end], next) >= char_count(next)) break;
          ++end;
        }
      }
      for (std::size_t k = i; k < end; ++k) {
        capture_bylines(*children[k], captured);
        children[k]->detach();
      }
      if (end == children.size()) return;
      i = end - 1;
      continue;
    }
    seen += char_count(t);
  }
}

// Removes tail blocks from the end of `container`; captured bylines come out in page order.
void trim_from_end(Node& container, std::vector<std::string>& captured) {
  std::vector<std::string> cut;
  if (lx::rule_on("tail.related_list")) cut_from_marker(container, cut);
  std::vector<std::string> tail;  // page order reversed: filled from the end
  while (lx::rule_on("tail.closing_lines") && !container.children.empty()) {
    Node& last = *container.children.back();
    const std::string t = block_text(last);
    if (t.empty() && last.is_element() && has_media(last)) break;
    const Tail kind = t.empty() ? Tail::junk : classify_tail(last, t);
    if (kind == Tail::body) {
      if (last.is_element() && !last.is_element("p") && has_block_children(last)) {
        trim_from_end(last, captured);  // the tail may sit inside a wrapper
      }
      break;
    }
    std::vector<std::string> lines;
    if (kind == Tail::byline) lines.push_back(t);
    if (kind == Tail::junk) capture_bylines(last, lines);
    tail.insert(tail.end(), lines.rbegin(), lines.rend());
    last.detach();
  }
  captured.insert(captured.end(), tail.rbegin(), tail.rend());
  captured.insert(captured.end(), cut.begin(), cut.end());
}

}  // namespace

std::vector<std::string> trim_trailing_boilerplate(Node& content) {
  std::vector<std::string> captured;
  trim_from_end(content, captured);
  return captured;
}

}  // namespace fg::extract::detail
