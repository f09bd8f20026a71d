// Document::parse and parse_fragment: gumbo's HTML5 tree copied into our arena DOM.

#include <gumbo.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

#include "parse/dom.hpp"
#include "parse/nesting_guard.hpp"
#include "parse/raw_text.hpp"

namespace fg::parse {

namespace {

// Every allocation gumbo makes comes from a few large chunks and is freed with them at the end
// of the parse: gumbo frees little before then (mostly buffers it outgrew), while a malloc and a
// free per token and node was a tenth of the parse. gumbo_destroy_output is never needed, which
// also matters because it recurses once per nesting level and overflows small thread stacks.
class GumboMemory {
 public:
  GumboMemory() = default;
  GumboMemory(const GumboMemory&) = delete;
  GumboMemory& operator=(const GumboMemory&) = delete;
  ~GumboMemory() {
    while (last_ != nullptr) {
      Chunk* prev = last_->prev;
      std::free(last_);
      last_ = prev;
    }
  }

  GumboOptions options(GumboTag fragment_context) {
    GumboOptions o = kGumboDefaultOptions;
    o.allocator = &GumboMemory::allocate;
    o.deallocator = &GumboMemory::deallocate;
    o.userdata = this;
    // We never read parse errors, and recording them costs allocations. (gumbo 0.10.1 builds a
    // different tree for a few malformed tags when errors are not recorded, "<" in an attribute
    // name for one; tests compare against gumbo with this same option.)
    o.max_errors = 0;
    o.fragment_context = fragment_context;
    return o;
  }

 private:
  // A 16-byte header keeps the payload as aligned as malloc's own result.
  struct alignas(16) Chunk {
    Chunk* prev;
  };
  static_assert(sizeof(Chunk) == 16);
  static constexpr std::size_t kFirstChunk = 64 * 1024;
  static constexpr std::size_t kMaxChunk = 4 * 1024 * 1024;

  static void* allocate(void* self, size_t size) {
    auto* m = static_cast<GumboMemory*>(self);
    size = (size + 15) & ~std::size_t{15};
    if (size > m->left_) m->grow(size);
    void* p = m->next_;
    m->next_ += size;
    m->left_ -= size;
    return p;
  }

  static void deallocate(void*, void*) {}

  // A new chunk, twice the last one up to kMaxChunk (bigger only for one bigger request).
  void grow(std::size_t size) {
    const std::size_t payload = std::max(size, chunk_size_);
    chunk_size_ = std::min(chunk_size_ * 2, kMaxChunk);
    auto* c = static_cast<Chunk*>(std::malloc(sizeof(Chunk) + payload));
    if (c == nullptr) std::abort();  // gumbo has no way to report allocation failure
    c->prev = last_;
    last_ = c;
    next_ = reinterpret_cast<char*>(c + 1);
    left_ = payload;
  }

  Chunk* last_ = nullptr;
  char* next_ = nullptr;
  std::size_t left_ = 0;
  std::size_t chunk_size_ = kFirstChunk;
};

const GumboVector* children_of(const GumboNode* g) {
  switch (g->type) {
    case GUMBO_NODE_DOCUMENT:
      return &g->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return &g->v.element.children;
    default:
      return nullptr;
  }
}

void lower_in_place(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

// Lower-case element name; unknown tags keep their source spelling (lower-cased).
void set_element_name(const GumboElement& e, std::string& out) {
  if (e.tag != GUMBO_TAG_UNKNOWN) {
    out.assign(gumbo_normalized_tagname(e.tag));
    return;
  }
  GumboStringPiece piece = e.original_tag;
  if (piece.data != nullptr && piece.length > 0) gumbo_tag_from_original_text(&piece);
  if (piece.data != nullptr) out.assign(piece.data, piece.length);
  lower_in_place(out);
}

}  // namespace

class DocumentBuilder {
 public:
  // `cut_count`: how many script/style contents prepare_for_gumbo took out of the input.
  DocumentBuilder(Document& doc, std::size_t cut_count) : doc_(doc), cut_owners_(cut_count) {}

  // Copies the children of gumbo node `from` below `to`, depth-first without recursion.
  void copy_children(const GumboNode* from, Node* to) {
    std::vector<std::pair<const GumboNode*, Node*>> stack;
    stack.reserve(256);
    push_children(stack, from, to);
    while (!stack.empty()) {
      auto [g, parent] = stack.back();
      stack.pop_back();
      Node* n = copy_node(g);
      if (n == nullptr) continue;
      n->parent = parent;
      parent->children.push_back(n);
      if (n->is_element()) push_children(stack, g, n);
    }
  }

  // Puts the cut contents back as the text of their elements. False when gumbo did not read
  // every marked start tag as an empty <script> or <style> (the caller then parses again).
  bool restore_cuts(std::vector<std::string>& texts) {
    if (!cuts_ok_) return false;
    for (Node* owner : cut_owners_) {
      if (owner == nullptr || !owner->children.empty()) return false;
    }
    for (std::size_t k = 0; k < texts.size(); ++k) {
      Node* text = doc_.alloc(NodeKind::text);
      text->text = std::move(texts[k]);
      text->parent = cut_owners_[k];
      cut_owners_[k]->children.push_back(text);
    }
    return true;
  }

 private:
  static void push_children(std::vector<std::pair<const GumboNode*, Node*>>& stack,
                            const GumboNode* g, Node* n) {
    const GumboVector* kids = children_of(g);
    if (kids == nullptr || kids->length == 0) return;
    n->children.reserve(kids->length);
    for (unsigned i = kids->length; i > 0; --i) {
      stack.emplace_back(static_cast<const GumboNode*>(kids->data[i - 1]), n);
    }
  }

  // Records which element a cut marker stands on; a marker that is not one of ours (on another
  // element, repeated, or not an index) means the cuts cannot be trusted.
  void note_cut(Node* n, std::string_view value) {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
    const bool ours = ec == std::errc{} && end == value.data() + value.size() &&
                      index < cut_owners_.size() && cut_owners_[index] == nullptr &&
                      (n->tag == "script" || n->tag == "style");
    if (ours) {
      cut_owners_[index] = n;
    } else {
      cuts_ok_ = false;
    }
  }

  void copy_attributes(const GumboElement& e, Node* n) {
    n->attributes.reserve(e.attributes.length);
    for (unsigned i = 0; i < e.attributes.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(e.attributes.data[i]);
      if (!cut_owners_.empty() && kCutMarker == a->name) {
        note_cut(n, a->value);
        continue;
      }
      Attribute& copy = n->attributes.emplace_back(Attribute{a->name, a->value});
      lower_in_place(copy.name);
    }
  }

  // A node without children, or nullptr for node types we do not keep.
  Node* copy_node(const GumboNode* g) {
    switch (g->type) {
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        const GumboElement& e = g->v.element;
        Node* n = doc_.alloc(NodeKind::element);
        set_element_name(e, n->tag);
        copy_attributes(e, n);
        return n;
      }
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE: {
        Node* n = doc_.alloc(NodeKind::text);
        n->text.assign(g->v.text.text);
        return n;
      }
      case GUMBO_NODE_COMMENT: {
        Node* n = doc_.alloc(NodeKind::comment);
        n->text.assign(g->v.text.text);
        return n;
      }
      default:
        return nullptr;
    }
  }

  Document& doc_;
  std::vector<Node*> cut_owners_;  // the element each cut content belongs to
  bool cuts_ok_ = true;
};

namespace {

// Parses prepared input and copies gumbo's children of the document (or, for fragments, of the
// context <html> node) below `target`. False when the cut contents could not be put back.
bool parse_prepared(Document& doc, GumboInput& input, GumboTag context, Node* target) {
  GumboMemory memory;
  const GumboOptions options = memory.options(context);
  GumboOutput* out = gumbo_parse_with_options(&options, input.html.data(), input.html.size());
  if (out == nullptr) return true;
  const GumboNode* from = context == GUMBO_TAG_LAST ? out->document : out->root;
  if (from == nullptr) return true;
  DocumentBuilder builder(doc, input.cut_texts.size());
  builder.copy_children(from, target);
  return builder.restore_cuts(input.cut_texts);
}

void parse_into(Document& doc, std::string_view html, GumboTag context, Node* target) {
  // gumbo takes lengths as unsigned int internally.
  html = html.substr(0, std::numeric_limits<unsigned>::max() / 2);
  std::string storage;
  GumboInput input = prepare_for_gumbo(html, kMaxNestingDepth, storage);
  if (parse_prepared(doc, input, context, target)) return;
  // gumbo read a marked tag otherwise than the scan expected (a <style> inside <select>, say):
  // the nodes built so far stay allocated but unreachable, and the page is parsed whole.
  for (Node* child : target->children) child->parent = nullptr;
  target->children.clear();
  GumboInput whole{limit_nesting(html, kMaxNestingDepth, storage), {}};
  parse_prepared(doc, whole, context, target);
}

}  // namespace

Document Document::parse(std::string_view html) {
  Document doc;
  try {
    parse_into(doc, html, GUMBO_TAG_LAST, doc.root_);
  } catch (...) {
    // Out of memory mid-copy: keep what was built; the contract is that parsing never fails.
  }
  return doc;
}

Node* Document::parse_fragment(std::string_view html) {
  Node* div = create_element("div");
  try {
    parse_into(*this, html, GUMBO_TAG_DIV, div);
  } catch (...) {
    // As in parse(): a partial fragment rather than an exception out of the module.
  }
  return div;
}

}  // namespace fg::parse
