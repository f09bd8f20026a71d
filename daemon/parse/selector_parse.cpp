// Recursive-descent parser for the supported CSS selector grammar.

#include <algorithm>
#include <iterator>
#include <optional>

#include "core/text.hpp"
#include "parse/selector_ast.hpp"

namespace fg::parse {

namespace {

// Keeps right-to-left matching (which recurses once per compound) shallow and cheap.
constexpr std::size_t kMaxCompounds = 64;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || static_cast<unsigned char>(c) >= 0x80 || c == '\\';
}

bool is_css_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the UTF-8 sequence starting with byte c (1 for ASCII and stray bytes).
std::size_t utf8_length(char c) {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0xF0) return 4;
  if (b >= 0xE0) return 3;
  if (b >= 0xC0) return 2;
  return 1;
}

// Parses "an+b", "odd", "even"; nullopt when malformed. Digits are capped to avoid overflow.
std::optional<std::pair<long, long>> parse_an_plus_b(std::string_view arg) {
  const std::string s = ascii_lower(trim(arg));
  if (s == "odd") return std::pair{2L, 1L};
  if (s == "even") return std::pair{2L, 0L};
  std::size_t i = 0;
  auto read_sign = [&]() -> long {
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) return s[i++] == '-' ? -1 : 1;
    return 1;
  };
  auto read_digits = [&]() -> std::optional<long> {
    const std::size_t start = i;
    long v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 9) v = v * 10 + (s[i++] - '0');
    if (i == start || (i < s.size() && s[i] >= '0' && s[i] <= '9')) return std::nullopt;
    return v;
  };
  auto skip_spaces = [&]() {
    while (i < s.size() && is_css_space(s[i])) ++i;
  };
  const long sign = read_sign();
  std::optional<long> leading;
  if (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    leading = read_digits();
    if (!leading) return std::nullopt;
  }
  if (i < s.size() && s[i] == 'n') {
    const long a = sign * leading.value_or(1);
    ++i;
    skip_spaces();
    if (i == s.size()) return std::pair{a, 0L};
    if (s[i] != '+' && s[i] != '-') return std::nullopt;
    const long b_sign = read_sign();
    skip_spaces();
    const auto b = read_digits();
    if (!b || i != s.size()) return std::nullopt;
    return std::pair{a, b_sign * *b};
  }
  if (!leading || i != s.size()) return std::nullopt;
  return std::pair{0L, sign * *leading};
}

class SelectorParser {
 public:
  explicit SelectorParser(std::string_view text) : s_(text) {}

  Result<CompiledSelector> run() {
    CompiledSelector out;
    skip_ws();
    if (at_end()) {
      fail("empty selector", pos_);
      return *error_;
    }
    while (true) {
      Complex& complex = out.alternatives.emplace_back();
      if (!parse_complex(complex)) return *error_;
      if (at_end()) break;
      if (peek() != ',') {
        fail_unexpected();
        return *error_;
      }
      ++pos_;
      skip_ws();
    }
    return out;
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  bool skip_ws() {
    const std::size_t start = pos_;
    while (!at_end() && is_css_space(s_[pos_])) ++pos_;
    return pos_ != start;
  }

  // Records the first error; returns false so callers can `return fail(...)`.
  bool fail(std::string what, std::size_t at) {
    if (!error_) {
      error_ = make_error(Errc::parse, "bad selector \"" + std::string(s_) + "\": " + what +
                                           " at column " + std::to_string(at + 1));
    }
    return false;
  }

  std::string char_at(std::size_t at) const {
    return std::string(s_.substr(at, utf8_length(s_[at])));
  }

  bool fail_unexpected() {
    if (at_end()) return fail("unexpected end of selector", pos_);
    return fail("unexpected \"" + char_at(pos_) + "\"", pos_);
  }

  bool parse_complex(Complex& c);
  bool parse_compound(Compound& c, bool inside_not);
  bool parse_simple(Compound& c, bool inside_not);
  bool parse_name(std::string& out);
  bool parse_escape(std::string& out);
  bool parse_string(std::string& out);
  bool parse_attr(Compound& c);
  bool parse_pseudo(Compound& c, bool inside_not);
  bool parse_functional_pseudo(Pseudo& p, std::string_view name, std::size_t start,
                               bool inside_not);
  bool parse_negation(Pseudo& p);

  std::string_view s_;
  std::size_t pos_ = 0;
  std::optional<Error> error_;
};

bool SelectorParser::parse_complex(Complex& c) {
  if (!parse_compound(c.compounds.emplace_back(), false)) return false;
  while (true) {
    const bool had_space = skip_ws();
    if (at_end() || peek() == ',') return true;
    Combinator comb = Combinator::descendant;
    const char ch = peek();
    if (ch == '>' || ch == '+' || ch == '~') {
      comb = ch == '>' ? Combinator::child
                       : (ch == '+' ? Combinator::next_sibling : Combinator::later_sibling);
      ++pos_;
      skip_ws();
    } else if (!had_space) {
      return fail_unexpected();
    }
    if (c.compounds.size() >= kMaxCompounds) {
      fail("more than " + std::to_string(kMaxCompounds) + " compound selectors", pos_);
      return false;
    }
    c.combinators.push_back(comb);
    if (!parse_compound(c.compounds.emplace_back(), false)) return false;
  }
}

bool SelectorParser::parse_compound(Compound& c, bool inside_not) {
  bool any = false;
  if (peek() == '*') {
    ++pos_;
    any = true;
  } else if (!at_end() && is_name_char(peek()) && !(peek() >= '0' && peek() <= '9')) {
    if (!parse_name(c.tag)) return false;
    c.tag = ascii_lower(c.tag);
    any = true;
  }
  while (!at_end()) {
    const char ch = peek();
    if (ch != '#' && ch != '.' && ch != '[' && ch != ':') break;
    if (!parse_simple(c, inside_not)) return false;
    any = true;
  }
  if (!any) {
    return fail_unexpected();
  }
  return true;
}

bool SelectorParser::parse_simple(Compound& c, bool inside_not) {
  const char ch = peek();
  if (ch == '[') return parse_attr(c);
  if (ch == ':') return parse_pseudo(c, inside_not);
  ++pos_;  // '#' or '.'
  std::string name;
  if (!parse_name(name)) return false;
  if (name.empty()) {
    return fail_unexpected();
  }
  (ch == '#' ? c.ids : c.classes).push_back(std::move(name));
  return true;
}

// Reads name characters (with CSS escapes) into out; out may end up empty.
bool SelectorParser::parse_name(std::string& out) {
  out.clear();
  while (!at_end() && is_name_char(peek())) {
    if (peek() == '\\') {
      if (!parse_escape(out)) return false;
    } else {
      out += s_[pos_++];
    }
  }
  return true;
}

bool SelectorParser::parse_escape(std::string& out) {
  const std::size_t start = pos_++;  // the backslash
  if (at_end() || peek() == '\n') {
    fail("unfinished escape \"\\\"", start);
    return false;
  }
  char32_t cp = 0;
  int digits = 0;
  while (digits < 6 && !at_end() && hex_value(peek()) >= 0) {
    cp = cp * 16 + static_cast<char32_t>(hex_value(s_[pos_++]));
    ++digits;
  }
  if (digits == 0) {
    out += s_[pos_++];
    return true;
  }
  if (!at_end() && is_css_space(peek())) ++pos_;  // one space ends a hex escape
  append_utf8(out, cp);
  return true;
}

bool SelectorParser::parse_string(std::string& out) {
  const std::size_t start = pos_;
  const char quote = s_[pos_++];
  out.clear();
  while (!at_end() && peek() != quote) {
    if (peek() != '\\') {
      out += s_[pos_++];
    } else if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') {
      pos_ += 2;  // an escaped newline continues the string
    } else if (!parse_escape(out)) {
      return false;
    }
  }
  if (at_end()) {
    fail("unclosed string", start);
    return false;
  }
  ++pos_;
  return true;
}

bool SelectorParser::parse_attr(Compound& c) {
  const std::size_t open = pos_++;
  skip_ws();
  AttrTest& test = c.attrs.emplace_back();
  if (!parse_name(test.name)) return false;
  if (test.name.empty()) return fail_unexpected();
  test.name = ascii_lower(test.name);
  skip_ws();
  if (at_end()) return fail("unclosed \"[\"", open);
  if (peek() != ']') {
    static constexpr std::string_view kOps = "^$*~|";
    static constexpr AttrOp kOpKinds[] = {AttrOp::prefix, AttrOp::suffix, AttrOp::contains,
                                          AttrOp::includes, AttrOp::dash};
    const std::size_t op = kOps.find(peek());
    if (peek() == '=') {
      test.op = AttrOp::equals;
      ++pos_;
    } else if (!at_end() && op != std::string_view::npos && pos_ + 1 < s_.size() &&
               s_[pos_ + 1] == '=') {
      test.op = kOpKinds[op];
      pos_ += 2;
    } else {
      return fail_unexpected();
    }
    skip_ws();
    if (peek() == '"' || peek() == '\'') {
      if (!parse_string(test.value)) return false;
    } else if (!parse_name(test.value) || test.value.empty()) {
      if (error_) return false;
      if (at_end()) return fail_unexpected();
      return fail("unquoted attribute value must be an identifier (quote it); found \"" +
                      char_at(pos_) + "\"",
                  pos_);
    }
    skip_ws();
    if ((peek() == 'i' || peek() == 'I' || peek() == 's' || peek() == 'S')) {
      test.ignore_case = peek() == 'i' || peek() == 'I';
      ++pos_;
      skip_ws();
    }
  }
  if (at_end()) return fail("unclosed \"[\"", open);
  if (peek() != ']') return fail_unexpected();
  ++pos_;
  return true;
}

bool SelectorParser::parse_pseudo(Compound& c, bool inside_not) {
  const std::size_t start = pos_++;
  if (peek() == ':') return fail("pseudo-elements such as \"::before\" are not supported", start);
  std::string name;
  if (!parse_name(name)) return false;
  if (name.empty()) return fail_unexpected();
  name = ascii_lower(name);
  Pseudo& p = c.pseudos.emplace_back();
  if (peek() == '(') return parse_functional_pseudo(p, name, start, inside_not);
  struct Plain {
    std::string_view name;
    PseudoKind kind;
    long a, b;
  };
  static constexpr Plain kPlain[] = {
      {"first-child", PseudoKind::nth_child, 0, 1},
      {"last-child", PseudoKind::nth_last_child, 0, 1},
      {"only-child", PseudoKind::only_child, 0, 0},
      {"first-of-type", PseudoKind::nth_of_type, 0, 1},
      {"last-of-type", PseudoKind::nth_last_of_type, 0, 1},
      {"only-of-type", PseudoKind::only_of_type, 0, 0},
      {"empty", PseudoKind::empty, 0, 0},
      {"root", PseudoKind::root, 0, 0},
  };
  for (const Plain& plain : kPlain) {
    if (plain.name != name) continue;
    p.kind = plain.kind;
    p.a = plain.a;
    p.b = plain.b;
    return true;
  }
  fail("unknown pseudo-class \":" + name +
           "\" (supported: first-child, last-child, only-child, nth-child(), nth-last-child(), "
           "first-of-type, last-of-type, only-of-type, nth-of-type(), nth-last-of-type(), "
           "empty, root, not())",
       start);
  return false;
}

bool SelectorParser::parse_functional_pseudo(Pseudo& p, std::string_view name, std::size_t start,
                                             bool inside_not) {
  const std::size_t paren = pos_++;
  if (name == "not") {
    if (inside_not) return fail("nested :not() is not supported", start);
    p.kind = PseudoKind::negation;
    return parse_negation(p);
  }
  static constexpr std::pair<std::string_view, PseudoKind> kNth[] = {
      {"nth-child", PseudoKind::nth_child},
      {"nth-last-child", PseudoKind::nth_last_child},
      {"nth-of-type", PseudoKind::nth_of_type},
      {"nth-last-of-type", PseudoKind::nth_last_of_type},
  };
  const auto* kind = std::find_if(std::begin(kNth), std::end(kNth),
                                  [&](const auto& k) { return k.first == name; });
  if (kind == std::end(kNth)) {
    return fail("unknown pseudo-class \":" + std::string(name) + "()\"", start);
  }
  const std::size_t close = s_.find(')', pos_);
  if (close == std::string_view::npos) return fail("unclosed \"(\"", paren);
  const std::string_view arg = s_.substr(pos_, close - pos_);
  const auto ab = parse_an_plus_b(arg);
  if (!ab) {
    return fail("bad :" + std::string(name) + "() argument \"" + std::string(arg) +
                    "\" (expected an+b, odd or even)",
                pos_),
           false;
  }
  p.kind = kind->second;
  p.a = ab->first;
  p.b = ab->second;
  pos_ = close + 1;
  return true;
}

// :not(compound, compound...): combinators inside are not supported.
bool SelectorParser::parse_negation(Pseudo& p) {
  const std::size_t paren = pos_ - 1;
  while (true) {
    skip_ws();
    if (!parse_compound(p.negated.emplace_back(), true)) return false;
    skip_ws();
    if (at_end()) return fail("unclosed \"(\"", paren);
    if (peek() == ')') break;
    if (peek() != ',') {
      return fail("only compound selectors (no combinators) are supported inside :not(); found \"" +
                      char_at(pos_) + "\"",
                  pos_),
             false;
    }
    ++pos_;
  }
  ++pos_;
  return true;
}

}  // namespace

Result<CompiledSelector> parse_selector(std::string_view text) {
  return SelectorParser(text).run();
}

}  // namespace fg::parse
