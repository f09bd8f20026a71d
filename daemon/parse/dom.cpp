#include "parse/dom.hpp"

#include <algorithm>
#include <utility>

namespace fg::parse {

namespace {

bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Elements whose descendants are not readable text (code, styling, inert or fallback markup).
bool hides_text(const Node& n) {
  return n.is_element("script") || n.is_element("style") || n.is_element("template") ||
         n.is_element("noscript");
}

}  // namespace

// ---- Node ----

std::string_view Node::attr(std::string_view name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) return a.value;
  }
  return {};
}

bool Node::has_attr(std::string_view name) const {
  return std::any_of(attributes.begin(), attributes.end(),
                     [&](const Attribute& a) { return a.name == name; });
}

void Node::set_attr(std::string_view name, std::string_view value) {
  for (Attribute& a : attributes) {
    if (a.name == name) {
      a.value.assign(value);
      return;
    }
  }
  attributes.push_back(Attribute{std::string(name), std::string(value)});
}

void Node::remove_attr(std::string_view name) {
  std::erase_if(attributes, [&](const Attribute& a) { return a.name == name; });
}

bool Node::has_class(std::string_view name) const {
  if (name.empty()) return false;
  const std::string_view list = attr("class");
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && is_html_space(list[i])) ++i;
    std::size_t end = i;
    while (end < list.size() && !is_html_space(list[end])) ++end;
    if (list.substr(i, end - i) == name) return true;
    i = end;
  }
  return false;
}

std::string Node::text_content() const {
  std::string out;
  if (is_text()) return text;
  // Iterative so that deeply nested markup cannot exhaust the stack.
  std::vector<const Node*> stack(children.rbegin(), children.rend());
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (n->is_text()) {
      out += n->text;
    } else if (n->is_element() && !hides_text(*n)) {
      stack.insert(stack.end(), n->children.rbegin(), n->children.rend());
    }
  }
  return out;
}

std::vector<Node*> Node::element_children() const {
  std::vector<Node*> out;
  for (Node* c : children) {
    if (c->is_element()) out.push_back(c);
  }
  return out;
}

int Node::element_index() const {
  if (parent == nullptr) return -1;
  int index = 0;
  for (const Node* c : parent->children) {
    if (c == this) return index;
    if (c->is_element()) ++index;
  }
  return -1;
}

void Node::detach() {
  if (parent == nullptr) return;
  auto& siblings = parent->children;
  auto it = std::find(siblings.begin(), siblings.end(), this);
  if (it != siblings.end()) siblings.erase(it);
  parent = nullptr;
}

// ---- Document ----

Document::Document() {
  root_ = alloc(NodeKind::document);
}
// deque moves keep element addresses, so every Node* stays valid in the new owner.
Document::Document(Document&& other) noexcept
    : nodes_(std::move(other.nodes_)), root_(std::exchange(other.root_, nullptr)) {}

Document& Document::operator=(Document&& other) noexcept {
  nodes_ = std::move(other.nodes_);
  root_ = std::exchange(other.root_, nullptr);
  return *this;
}

Document::~Document() = default;

Node* Document::alloc(NodeKind kind) {
  Node& n = nodes_.emplace_back();
  n.kind = kind;
  return &n;
}

Node* Document::create_element(std::string_view tag) {
  Node* n = alloc(NodeKind::element);
  n->tag.assign(tag);
  std::transform(n->tag.begin(), n->tag.end(), n->tag.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return n;
}

Node* Document::create_text(std::string_view text) {
  Node* n = alloc(NodeKind::text);
  n->text.assign(text);
  return n;
}

namespace {

// True when linking `child` below `parent` would form a cycle. A childless node can only be its
// own ancestor, which keeps appending fresh nodes O(1) however deep the tree is.
bool would_form_cycle(const Node* child, const Node* parent) {
  if (child == parent) return true;
  if (child->children.empty()) return false;
  for (const Node* p = parent; p != nullptr; p = p->parent) {
    if (p == child) return true;
  }
  return false;
}

}  // namespace

void Document::append_child(Node* parent, Node* child) {
  if (parent == nullptr || child == nullptr || would_form_cycle(child, parent)) return;
  child->detach();
  child->parent = parent;
  parent->children.push_back(child);
}

void Document::insert_before(Node* parent, Node* child, Node* before) {
  if (parent == nullptr || child == nullptr || child == before) return;
  if (would_form_cycle(child, parent)) return;
  child->detach();
  auto& kids = parent->children;
  auto it = std::find(kids.begin(), kids.end(), before);
  child->parent = parent;
  kids.insert(it, child);  // appends when `before` is not a child
}

Node* Document::html() const {
  if (root_ == nullptr) return nullptr;
  for (Node* c : root_->children) {
    if (c->is_element("html")) return c;
  }
  return nullptr;
}

Node* Document::head() const {
  Node* h = html();
  if (h == nullptr) return nullptr;
  for (Node* c : h->children) {
    if (c->is_element("head")) return c;
  }
  return nullptr;
}

Node* Document::body() const {
  Node* h = html();
  if (h == nullptr) return nullptr;
  for (Node* c : h->children) {
    if (c->is_element("body")) return c;
  }
  return nullptr;
}

}  // namespace fg::parse
