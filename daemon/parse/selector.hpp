#pragma once
// CSS selectors over the DOM: type, #id, .class, [attr], [attr=v], [attr^=v], [attr$=v],
// [attr*=v], [attr~=v], [attr|=v], [attr=v i], *, descendant, >, +, ~, selector lists,
// :first-child, :last-child, :only-child, :nth-child(an+b|odd|even), :nth-last-child(),
// :first-of-type, :last-of-type, :only-of-type, :nth-of-type(), :nth-last-of-type(), :empty,
// :root, :not(compound, ...). Tag and attribute names are case-insensitive; values are not.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "parse/dom.hpp"

namespace fg::parse {

struct CompiledSelector;  // the parsed selector list; defined in selector.cpp

class Selector {
 public:
  // Compiles a selector list. Errc::parse with a message naming the column of the problem.
  static Result<Selector> compile(std::string_view text);

  // Elements below `scope` (scope itself excluded) that match, in document order, no duplicates.
  // As in querySelectorAll, combinators may match ancestors outside the scope.
  std::vector<Node*> select_all(Node& scope) const;
  // First match in document order, or nullptr.
  Node* select_first(Node& scope) const;
  // Whether `element` matches.
  bool matches(const Node& element) const;

  const std::string& text() const { return text_; }

 private:
  std::shared_ptr<const CompiledSelector> compiled_;
  std::string text_;
};

}  // namespace fg::parse
