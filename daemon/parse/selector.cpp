// Selector matching: right to left from the candidate element.

#include "parse/selector.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "parse/selector_ast.hpp"

namespace fg::parse {

namespace {

bool is_css_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool equal_text(std::string_view a, std::string_view b, bool ignore_case) {
  return ignore_case ? iequals(a, b) : a == b;
}

bool has_word(std::string_view list, std::string_view word, bool ignore_case) {
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_css_space(list[i])) ++i;
    std::size_t end = i;
    while (end < list.size() && !is_css_space(list[end])) ++end;
    if (end > i && equal_text(list.substr(i, end - i), word, ignore_case)) return true;
    i = end;
  }
  return false;
}

bool attr_matches(const AttrTest& t, const Node& e) {
  const Attribute* found = nullptr;
  for (const Attribute& a : e.attributes) {
    if (a.name == t.name) {
      found = &a;
      break;
    }
  }
  if (found == nullptr) return false;
  const std::string_view v = found->value;
  const std::string_view want = t.value;
  const bool ic = t.ignore_case;
  const auto part = [&](std::size_t pos, std::size_t len) { return v.substr(pos, len); };
  switch (t.op) {
    case AttrOp::exists:
      return true;
    case AttrOp::equals:
      return equal_text(v, want, ic);
    case AttrOp::prefix:  // an empty value never matches, per Selectors 3
      return !want.empty() && v.size() >= want.size() && equal_text(part(0, want.size()), want, ic);
    case AttrOp::suffix:
      return !want.empty() && v.size() >= want.size() &&
             equal_text(part(v.size() - want.size(), want.size()), want, ic);
    case AttrOp::contains:
      if (want.empty()) return false;
      if (!ic) return v.find(want) != std::string_view::npos;
      return ascii_lower(v).find(ascii_lower(want)) != std::string::npos;
    case AttrOp::includes:
      return !want.empty() && want.find_first_of(" \t\n\r\f") == std::string_view::npos &&
             has_word(v, want, ic);
    case AttrOp::dash:
      return equal_text(v, want, ic) || (v.size() > want.size() && v[want.size()] == '-' &&
                                         equal_text(part(0, want.size()), want, ic));
  }
  return false;
}

// 1-based position of e among its parent's element children (same tag only when of_type),
// counted from the end when from_end.
long position(const Node& e, bool of_type, bool from_end) {
  if (e.parent == nullptr) return 1;
  const auto& sibs = e.parent->children;
  const auto counts = [&](const Node* n) {
    return n->is_element() && (!of_type || n->tag == e.tag);
  };
  long pos = 1;
  if (from_end) {
    for (auto it = sibs.rbegin(); it != sibs.rend() && *it != &e; ++it) pos += counts(*it);
  } else {
    for (auto it = sibs.begin(); it != sibs.end() && *it != &e; ++it) pos += counts(*it);
  }
  return pos;
}

bool nth_matches(long a, long b, long pos) {
  if (a == 0) return pos == b;
  const long diff = pos - b;
  return diff % a == 0 && diff / a >= 0;
}

bool is_empty_element(const Node& e) {
  return std::none_of(e.children.begin(), e.children.end(), [](const Node* c) {
    return c->is_element() || (c->is_text() && !c->text.empty());
  });
}

bool compound_matches(const Compound& c, const Node& e);

bool pseudo_matches(const Pseudo& p, const Node& e) {
  switch (p.kind) {
    case PseudoKind::nth_child:
      return nth_matches(p.a, p.b, position(e, false, false));
    case PseudoKind::nth_last_child:
      return nth_matches(p.a, p.b, position(e, false, true));
    case PseudoKind::nth_of_type:
      return nth_matches(p.a, p.b, position(e, true, false));
    case PseudoKind::nth_last_of_type:
      return nth_matches(p.a, p.b, position(e, true, true));
    case PseudoKind::only_child:
      return position(e, false, false) == 1 && position(e, false, true) == 1;
    case PseudoKind::only_of_type:
      return position(e, true, false) == 1 && position(e, true, true) == 1;
    case PseudoKind::empty:
      return is_empty_element(e);
    case PseudoKind::root:
      return e.parent != nullptr && e.parent->kind == NodeKind::document;
    case PseudoKind::negation:
      return std::none_of(p.negated.begin(), p.negated.end(),
                          [&](const Compound& c) { return compound_matches(c, e); });
  }
  return false;
}

bool compound_matches(const Compound& c, const Node& e) {
  if (!e.is_element()) return false;
  if (!c.tag.empty() && c.tag != e.tag) return false;
  for (const std::string& id : c.ids) {
    if (e.attr("id") != id) return false;
  }
  for (const std::string& cls : c.classes) {
    if (!e.has_class(cls)) return false;
  }
  for (const AttrTest& t : c.attrs) {
    if (!attr_matches(t, e)) return false;
  }
  for (const Pseudo& p : c.pseudos) {
    if (!pseudo_matches(p, e)) return false;
  }
  return true;
}

// Outcomes that let a failed match prune the search (the scheme Servo and Blink use): without
// them "div div div a" backtracks exponentially over deep trees.
enum class Outcome { matched, retry_later_sibling, retry_descendant, failed_globally };

const Node* parent_element(const Node& e) {
  return e.parent != nullptr && e.parent->is_element() ? e.parent : nullptr;
}

const Node* previous_element_sibling(const Node& e) {
  if (e.parent == nullptr) return nullptr;
  const auto& sibs = e.parent->children;
  auto it = std::find(sibs.begin(), sibs.end(), &e);
  while (it != sibs.begin()) {
    --it;
    if ((*it)->is_element()) return *it;
  }
  return nullptr;
}

// Matches compounds[0..idx] with compounds[idx] at e.
Outcome match_from(const Complex& c, std::size_t idx, const Node& e) {
  if (!compound_matches(c.compounds[idx], e)) return Outcome::retry_later_sibling;
  if (idx == 0) return Outcome::matched;
  const Combinator comb = c.combinators[idx - 1];
  const bool sibling = comb == Combinator::next_sibling || comb == Combinator::later_sibling;
  const Node* next = sibling ? previous_element_sibling(e) : parent_element(e);
  while (next != nullptr) {
    const Outcome r = match_from(c, idx - 1, *next);
    if (r == Outcome::matched || r == Outcome::failed_globally) return r;
    if (comb == Combinator::next_sibling) return r;
    if (comb == Combinator::child) return Outcome::retry_descendant;
    if (comb == Combinator::later_sibling && r == Outcome::retry_descendant) return r;
    next = sibling ? previous_element_sibling(*next) : parent_element(*next);
  }
  return sibling ? Outcome::retry_descendant : Outcome::failed_globally;
}

bool matches_compiled(const CompiledSelector& s, const Node& e) {
  if (!e.is_element()) return false;
  return std::any_of(s.alternatives.begin(), s.alternatives.end(), [&](const Complex& c) {
    return match_from(c, c.compounds.size() - 1, e) == Outcome::matched;
  });
}

}  // namespace

Result<Selector> Selector::compile(std::string_view text) {
  try {
    auto parsed = parse_selector(text);
    if (!parsed.ok()) return parsed.error();
    Selector s;
    s.compiled_ = std::make_shared<const CompiledSelector>(std::move(parsed).value());
    s.text_.assign(text);
    return s;
  } catch (const std::exception& e) {
    return make_error(Errc::parse, "cannot compile selector: " + std::string(e.what()));
  }
}

std::vector<Node*> Selector::select_all(Node& scope) const {
  std::vector<Node*> out;
  if (!compiled_) return out;
  walk(scope, [&](Node& n) {
    if (matches_compiled(*compiled_, n)) out.push_back(&n);
    return true;
  });
  return out;
}

Node* Selector::select_first(Node& scope) const {
  if (!compiled_) return nullptr;
  std::vector<Node*> stack(scope.children.rbegin(), scope.children.rend());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    if (matches_compiled(*compiled_, *n)) return n;
    stack.insert(stack.end(), n->children.rbegin(), n->children.rend());
  }
  return nullptr;
}

bool Selector::matches(const Node& element) const {
  return compiled_ && matches_compiled(*compiled_, element);
}

}  // namespace fg::parse
