#pragma once
// One line per node, indented by depth: a page's tree as gumbo builds it (gumbo called directly)
// and as fg::parse::Document holds it, so that tests can check the two are the same tree.
// Attribute names are lower-cased on both sides (ours are; gumbo keeps SVG's viewBox).

#include <gumbo.h>

#include <cctype>
#include <string>
#include <string_view>

#include "parse/dom.hpp"

namespace fg::test {

inline std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string gumbo_element_name(const GumboElement& e) {
  if (e.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(e.tag);
  GumboStringPiece piece = e.original_tag;
  gumbo_tag_from_original_text(&piece);
  return lower(std::string(piece.data, piece.length));
}

inline void dump_gumbo(const GumboNode* n, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  if (n->type == GUMBO_NODE_COMMENT) {
    out += indent + "#comment " + n->v.text.text + "\n";
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) {
    out += indent + "#text " + n->v.text.text + "\n";
    return;
  }
  out += indent + "<" + gumbo_element_name(n->v.element);
  const GumboVector& attrs = n->v.element.attributes;
  for (unsigned i = 0; i < attrs.length; ++i) {
    const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
    out += " " + lower(a->name) + "=\"" + a->value + "\"";
  }
  out += ">\n";
  const GumboVector& kids = n->v.element.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    dump_gumbo(static_cast<const GumboNode*>(kids.data[i]), depth + 1, out);
  }
}

inline void dump_ours(const parse::Node& n, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  if (n.kind == parse::NodeKind::comment) {
    out += indent + "#comment " + n.text + "\n";
    return;
  }
  if (n.is_text()) {
    out += indent + "#text " + n.text + "\n";
    return;
  }
  out += indent + "<" + n.tag;
  for (const parse::Attribute& a : n.attributes) out += " " + a.name + "=\"" + a.value + "\"";
  out += ">\n";
  for (const parse::Node* c : n.children) dump_ours(*c, depth + 1, out);
}

// The tree gumbo itself builds from `html`, with the options parse/gumbo_build.cpp uses
// (max_errors 0 changes gumbo 0.10.1's tree for some malformed tags, e.g. "<" in an attribute
// name, so the reference must use it too).
inline std::string gumbo_tree(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  std::string out;
  const GumboVector& kids = output->document->v.document.children;
  for (unsigned i = 0; i < kids.length; ++i) {
    dump_gumbo(static_cast<const GumboNode*>(kids.data[i]), 0, out);
  }
  gumbo_destroy_output(&options, output);
  return out;
}

// The tree parse::Document::parse builds from `html`.
inline std::string our_tree(std::string_view html) {
  parse::Document doc = parse::Document::parse(html);
  std::string out;
  for (const parse::Node* c : doc.root()->children) dump_ours(*c, 0, out);
  return out;
}

}  // namespace fg::test
