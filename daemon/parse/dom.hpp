#pragma once
// A mutable HTML DOM built from gumbo's HTML5 parse. Nodes live in the Document's arena;
// pointers stay valid for the Document's lifetime (detached nodes included).

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace fg::parse {

enum class NodeKind { document, element, text, comment };

struct Attribute {
  std::string name;   // lower-case
  std::string value;  // decoded (entities resolved)
};

class Node {
 public:
  NodeKind kind = NodeKind::element;
  std::string tag;                    // lower-case element name; empty for non-elements
  std::vector<Attribute> attributes;  // in source order
  std::string text;                   // character data of text and comment nodes
  Node* parent = nullptr;
  std::vector<Node*> children;

  bool is_element() const { return kind == NodeKind::element; }
  bool is_element(std::string_view name) const { return is_element() && tag == name; }
  bool is_text() const { return kind == NodeKind::text; }

  // The attribute's value, or an empty view when absent.
  std::string_view attr(std::string_view name) const;
  bool has_attr(std::string_view name) const;
  // Sets (or adds) an attribute.
  void set_attr(std::string_view name, std::string_view value);
  // Removes an attribute if present.
  void remove_attr(std::string_view name);
  // True when the whitespace-separated class attribute contains `name`.
  bool has_class(std::string_view name) const;

  // Concatenated text of all descendant text nodes, in document order (no whitespace changes;
  // script, style, template and noscript contents excluded).
  std::string text_content() const;

  // Element children only.
  std::vector<Node*> element_children() const;
  // Index of this node among its parent's element children (0-based), or -1 without a parent.
  int element_index() const;

  // Detaches this node from its parent (it stays allocated in the Document).
  void detach();
};

class Document {
 public:
  Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  // Parses UTF-8 HTML with gumbo (HTML5 rules). Never fails: malformed input yields a tree.
  // Nesting deeper than kMaxNestingDepth (parse/nesting_guard.hpp) is flattened.
  static Document parse(std::string_view html);
  // Parses an HTML fragment as the children of a <div> (the returned node).
  Node* parse_fragment(std::string_view html);

  Node* root() { return root_; }  // the document node
  const Node* root() const { return root_; }
  Node* html() const;  // <html>
  Node* head() const;  // <head>
  Node* body() const;  // <body>

  // Allocates a new, detached node owned by this document.
  Node* create_element(std::string_view tag);
  Node* create_text(std::string_view text);
  // Appends child (detaching it first) as the last child of parent. Does nothing when child is
  // parent or one of its ancestors (that would make a cycle).
  static void append_child(Node* parent, Node* child);
  // Inserts child before `before` (which must be a child of parent).
  static void insert_before(Node* parent, Node* child, Node* before);

 private:
  Node* alloc(NodeKind kind);
  std::deque<Node> nodes_;
  Node* root_ = nullptr;
  friend class DocumentBuilder;
};

// Serializes a node's children as HTML (innerHTML), escaping text and attribute values.
std::string inner_html(const Node& node);
// Serializes a node including itself (outerHTML).
std::string outer_html(const Node& node);

// Calls f(node) for each node below `root` in document order (root excluded).
// f returns false to skip that node's descendants.
template <class F>
void walk(Node& root, F&& f) {
  std::vector<Node*> stack(root.children.rbegin(), root.children.rend());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    if (!f(*n)) continue;
    for (auto it = n->children.rbegin(); it != n->children.rend(); ++it) stack.push_back(*it);
  }
}

}  // namespace fg::parse
