#pragma once
// The compiled form of a selector list (internal to the parse module).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace fg::parse {

enum class AttrOp {
  exists,    // [a]
  equals,    // [a=v]
  prefix,    // [a^=v]
  suffix,    // [a$=v]
  contains,  // [a*=v]
  includes,  // [a~=v]  whitespace-separated word
  dash,      // [a|=v]  v or v-...
};

struct AttrTest {
  std::string name;  // lower-case
  AttrOp op = AttrOp::exists;
  std::string value;
  bool ignore_case = false;  // the [a=v i] flag
};

enum class PseudoKind {
  nth_child,  // also :first-child (0n+1)
  nth_last_child,
  nth_of_type,
  nth_last_of_type,
  only_child,
  only_of_type,
  empty,
  root,
  negation,  // :not(...)
};

struct Compound;

struct Pseudo {
  PseudoKind kind = PseudoKind::nth_child;
  long a = 0;  // an+b for the nth kinds
  long b = 0;
  std::vector<Compound> negated;  // :not() matches when none of these match
};

// Simple selectors that must all match one element: tag#id.class[attr]:pseudo.
struct Compound {
  std::string tag;  // lower-case; empty matches any element
  std::vector<std::string> ids;
  std::vector<std::string> classes;
  std::vector<AttrTest> attrs;
  std::vector<Pseudo> pseudos;
};

enum class Combinator { descendant, child, next_sibling, later_sibling };

// compounds[i] and compounds[i + 1] are joined by combinators[i].
struct Complex {
  std::vector<Compound> compounds;
  std::vector<Combinator> combinators;
};

struct CompiledSelector {
  std::vector<Complex> alternatives;  // comma-separated
};

// Parses selector text; Errc::parse names the problem and its 1-based column.
Result<CompiledSelector> parse_selector(std::string_view text);

}  // namespace fg::parse
