#include "normalize/tree_edit.hpp"

#include <iterator>
#include <utility>
#include <vector>

namespace fg::normalize {

void remove_child(parse::Node& parent, std::size_t i) {
  parent.children[i]->parent = nullptr;
  parent.children.erase(parent.children.begin() + static_cast<std::ptrdiff_t>(i));
}

std::size_t unwrap_child(parse::Node& parent, std::size_t i) {
  parse::Node* node = parent.children[i];
  std::vector<parse::Node*> kids = std::move(node->children);
  node->children.clear();
  for (parse::Node* k : kids) k->parent = &parent;
  remove_child(parent, i);
  const auto at = parent.children.begin() + static_cast<std::ptrdiff_t>(i);
  parent.children.insert(at, kids.begin(), kids.end());
  return kids.size();
}

}  // namespace fg::normalize
