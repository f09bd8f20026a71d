#include "parse/nesting_guard.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "parse/ascii.hpp"
#include "parse/html_names.hpp"
#include "parse/raw_text.hpp"

namespace fg::parse {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

template <std::size_t N>
bool one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements that never nest: the tree builder closes an open <p> or <option> before another
// starts, and merges repeated <html>/<body>. Counting them would overstate the depth.
bool is_never_nested(std::string_view n) {
  static constexpr std::array<std::string_view, 7> kFlat = {
      "p", "option", "optgroup", "caption", "colgroup", "html", "head"};
  return n == "body" || one_of(n, kFlat);
}

// A start tag that implicitly ends an open element named in `closes`, unless one of `stops`
// (its container) is found first: a new <li> ends the previous <li> of the same list.
struct ImpliedEnd {
  std::string_view name;
  std::array<std::string_view, 3> closes;
  std::array<std::string_view, 3> stops;
};

constexpr ImpliedEnd kImpliedEnds[] = {
    {"li", {"li"}, {"ul", "ol"}},
    {"dd", {"dd", "dt"}, {"dl"}},
    {"dt", {"dd", "dt"}, {"dl"}},
    {"td", {"td", "th"}, {"tr", "table"}},
    {"th", {"td", "th"}, {"tr", "table"}},
    {"tr", {"tr"}, {"table"}},
    {"tbody", {"tbody", "thead", "tfoot"}, {"table"}},
    {"thead", {"tbody", "thead", "tfoot"}, {"table"}},
    {"tfoot", {"tbody", "thead", "tfoot"}, {"table"}},
    {"a", {"a"}, {}},
    {"nobr", {"nobr"}, {}},
    {"button", {"button"}, {}},
};

// Elements whose content is raw text up to their end tag.
bool is_raw_text(std::string_view n) {
  static constexpr std::array<std::string_view, 8> kRaw = {
      "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"};
  return one_of(n, kRaw);
}

// Reads a tag name starting at s[i] into `name` (lower-cased); returns the index after it.
std::size_t read_name(std::string_view s, std::size_t i, std::string& name) {
  name.clear();
  while (i < s.size() && !is_space(s[i]) && s[i] != '/' && s[i] != '>') {
    if (name.size() < 32) name.push_back(ascii_lower_char(s[i]));
    ++i;
  }
  return i;
}

// Index just past the '>' ending the tag whose attributes start at s[i] (quoted values honoured).
std::size_t tag_end(std::string_view s, std::size_t i, bool& self_closing) {
  bool after_equals = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '>') {
      self_closing = s[i - 1] == '/';
      return i + 1;
    }
    if ((c == '"' || c == '\'') && after_equals) {
      const std::size_t close = s.find(c, i + 1);
      if (close == std::string_view::npos) return s.size();
      i = close;
      after_equals = false;
    } else if (c == '=') {
      after_equals = true;
    } else if (!is_space(c)) {
      after_equals = false;
    }
  }
  return s.size();
}

// Index after a comment, doctype or processing instruction starting at s[i] ("<!" or "<?").
std::size_t skip_markup_declaration(std::string_view s, std::size_t i) {
  std::size_t end = std::string_view::npos;
  if (s.substr(i, 4) == "<!--") {
    end = s.find("-->", i + 4);
    if (end != std::string_view::npos) end += 2;
  } else {
    end = s.find('>', i);
  }
  return end == std::string_view::npos ? s.size() : end + 1;
}

// A model of the tree builder's stack of open elements, close enough to bound its depth.
class OpenElements {
 public:
  OpenElements() { open_.reserve(64); }

  std::size_t depth() const { return open_.size(); }
  bool in_foreign_content() const { return foreign_ > 0; }

  // Applies the implied end tags of a start tag; returns whether the element stays open.
  bool start(std::string_view name, bool self_closing) {
    for (const ImpliedEnd& rule : kImpliedEnds) {
      if (rule.name == name) implied_end(rule);
    }
    if (is_void_element(name) || is_never_nested(name)) return false;
    // "<div/>" opens a div in HTML; only SVG and MathML honour self-closing tags.
    return !(self_closing && foreign_ > 0);
  }

  void push(std::string_view name) {
    open_.emplace_back(name);
    if (name == "svg" || name == "math") ++foreign_;
  }

  // Pops down to and including the innermost `name`; stray end tags are ignored, as the tree
  // builder ignores them.
  void end(std::string_view name) {
    for (std::size_t k = open_.size(); k > 0; --k) {
      if (open_[k - 1] == name) return pop_to(k - 1);
    }
  }

 private:
  void implied_end(const ImpliedEnd& rule) {
    for (std::size_t k = open_.size(); k > 0; --k) {
      const std::string_view n = open_[k - 1];
      // Inside SVG or MathML a start tag implies no end outside it; erring towards "still
      // foreign" only keeps a script or style from being cut, which is always safe.
      if (n == "svg" || n == "math") return;
      if (one_of(n, rule.closes)) return pop_to(k - 1);
      if (one_of(n, rule.stops)) return;
    }
  }

  void pop_to(std::size_t size) {
    for (std::size_t k = size; k < open_.size(); ++k) {
      if (open_[k] == "svg" || open_[k] == "math") --foreign_;
    }
    open_.resize(size);
  }

  std::vector<std::string> open_;
  std::size_t foreign_ = 0;  // open svg/math elements
};

}  // namespace

namespace {

// Script and style contents shorter than this stay in place: the marker costs more than they do.
constexpr std::size_t kMinCutBytes = 64;

// The scan behind limit_nesting and prepare_for_gumbo: input copied to storage only once
// something has to change.
class Rewriter {
 public:
  Rewriter(std::string_view s, std::string& storage) : s_(s), storage_(storage) {
    storage_.clear();
  }
  // Copies the input up to `pos` and continues copying from `resume`.
  void skip(std::size_t pos, std::size_t resume) {
    append_to(pos);
    copied_ = resume;
  }
  void append_to(std::size_t pos) {
    if (!modified_) storage_.reserve(s_.size());
    modified_ = true;
    storage_.append(s_.substr(copied_, pos - copied_));
    copied_ = pos;
  }
  void insert(std::string_view text) { storage_.append(text); }
  std::string_view finish() {
    if (!modified_) return s_;
    storage_.append(s_.substr(copied_));
    return storage_;
  }

 private:
  std::string_view s_;
  std::string& storage_;
  std::size_t copied_ = 0;  // s_[0, copied_) is already in storage_
  bool modified_ = false;
};

// Takes the content of the <script> or <style> whose start tag name ends at s[name_end] and
// whose content is s[begin, end) out of the input, marking the start tag with its index.
void cut_content(std::string_view s, std::size_t name_end, std::size_t begin, std::size_t end,
                 Rewriter& out, std::vector<std::string>& cuts) {
  if (end - begin < kMinCutBytes) return;
  std::optional<std::string> text = raw_text_as_parsed(s.substr(begin, end - begin));
  if (!text) return;
  out.append_to(name_end);
  out.insert(" ");
  out.insert(kCutMarker);
  out.insert("=\"" + std::to_string(cuts.size()) + "\"");
  out.skip(begin, end);
  cuts.push_back(std::move(*text));
}

GumboInput rewrite(std::string_view s, std::size_t max_depth, std::string& storage, bool cut) {
  GumboInput result;
  Rewriter out(s, storage);
  OpenElements open;
  std::string name;
  std::size_t i = 0;
  while ((i = s.find('<', i)) != std::string_view::npos && i + 2 < s.size()) {
    const char c = s[i + 1];
    if (c == '!' || c == '?') {
      i = skip_markup_declaration(s, i);
      continue;
    }
    const bool end_tag = c == '/';
    if (!is_ascii_alpha(end_tag ? s[i + 2] : c)) {
      ++i;
      continue;
    }
    bool self_closing = false;
    const std::size_t name_end = read_name(s, i + (end_tag ? 2 : 1), name);
    const std::size_t end = tag_end(s, name_end, self_closing);
    if (end_tag) {
      open.end(name);
    } else if (name == "plaintext") {
      break;  // everything after it is text
    } else if (is_raw_text(name)) {
      const bool script = name == "script";
      const std::size_t content_end = script ? script_data_end(s, end) : raw_text_end(s, end, name);
      if (content_end == std::string_view::npos) break;  // text up to the end of input
      // In SVG and MathML these elements hold markup, not raw text.
      if (cut && (script || name == "style") && !open.in_foreign_content()) {
        cut_content(s, name_end, end, content_end, out, result.cut_texts);
      }
      i = content_end;
      continue;
    } else if (open.start(name, self_closing)) {
      if (open.depth() < max_depth) {
        open.push(name);
      } else {
        out.skip(i, end);
      }
    }
    i = end;
  }
  result.html = out.finish();
  return result;
}

}  // namespace

std::string_view limit_nesting(std::string_view s, std::size_t max_depth, std::string& storage) {
  return rewrite(s, max_depth, storage, false).html;
}

GumboInput prepare_for_gumbo(std::string_view s, std::size_t max_depth, std::string& storage) {
  return rewrite(s, max_depth, storage, true);
}

}  // namespace fg::parse
