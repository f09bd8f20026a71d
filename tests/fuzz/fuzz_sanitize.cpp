// libFuzzer target for normalize: sanitizing arbitrary HTML fragments. The output is read back
// the way a reader reads it, with the project's HTML5 parser, and the target traps only on what
// is dangerous there or on markup that re-parses into another tree.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "normalize/normalize.hpp"
#include "parse/dom.hpp"

namespace {

// Elements that run script, load active or embedded content, or change how a page is read.
bool is_active_element(std::string_view tag) {
  for (std::string_view t :
       {"script",   "style",   "iframe",   "frame",    "frameset", "object",   "embed",
        "applet",   "base",    "link",     "meta",     "form",     "input",    "button",
        "textarea", "select",  "svg",      "math",     "template", "noscript", "portal",
        "xmp",      "noembed", "noframes", "plaintext"}) {
    if (tag == t) return true;
  }
  return false;
}

// Attributes that a browser reads as a URL.
bool is_url_attribute(std::string_view name) {
  for (std::string_view n :
       {"href", "src", "action", "formaction", "poster", "cite", "background", "data", "codebase",
        "srcset", "xlink:href", "ping", "longdesc", "lowsrc", "dynsrc", "manifest", "icon"}) {
    if (name == n) return true;
  }
  return false;
}

// The scheme as a browser's URL parser sees it: leading and trailing C0 controls and spaces
// stripped, tabs and newlines anywhere removed, lower-cased (entities are already decoded by the
// HTML parser).
std::string url_scheme(std::string_view value) {
  while (!value.empty() && static_cast<unsigned char>(value.front()) <= 0x20) {
    value.remove_prefix(1);
  }
  std::string scheme;
  for (const char c : value) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') return scheme;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '-' || c == '.')) {
      return {};  // not a scheme: a relative reference
    }
    scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return {};
}

bool is_dangerous_attribute(std::string_view name, std::string_view value) {
  if (name.size() >= 2 && name.substr(0, 2) == "on") return true;  // event handlers
  if (name == "style" || name == "srcdoc" || name == "formaction" || name == "action") return true;
  if (!is_url_attribute(name)) return false;
  const std::string scheme = url_scheme(value);
  return scheme == "javascript" || scheme == "vbscript" || scheme == "data" ||
         scheme == "livescript" || scheme == "mocha";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string html(reinterpret_cast<const char*>(data), size);
  const auto out = fg::normalize::normalize_html(html, "http://news.example.com/a/b.html");
  if (!fg::is_valid_utf8(out.html) || !fg::is_valid_utf8(out.text)) __builtin_trap();

  fg::parse::Document doc;
  fg::parse::Node* fragment = doc.parse_fragment(out.html);
  // Stable under re-parsing: a reader builds the tree that was sanitized, not another one.
  if (fg::parse::inner_html(*fragment) != out.html) __builtin_trap();
  fg::parse::walk(*fragment, [](fg::parse::Node& n) {
    if (n.kind == fg::parse::NodeKind::comment) __builtin_trap();
    if (!n.is_element()) return true;
    if (is_active_element(n.tag)) __builtin_trap();
    for (const fg::parse::Attribute& a : n.attributes) {
      if (is_dangerous_attribute(a.name, a.value)) __builtin_trap();
    }
    return true;
  });
  return 0;
}
