#include "normalize/sanitize.hpp"

#include <string_view>

#include "core/text.hpp"
#include "core/url.hpp"
#include "normalize/html_policy.hpp"
#include "normalize/tree_edit.hpp"

namespace fg::normalize {

namespace {

using parse::Node;

enum class Fate { keep, unwrap, drop };

// Lazy-loading scripts keep the real address in one of these; order is by how common they are.
constexpr std::string_view kLazySources[] = {"data-src", "data-original", "data-lazy-src",
                                             "data-actualsrc", "file"};

// Tiny stand-in images shown until a script swaps in the real one.
bool is_placeholder(std::string_view src) {
  const std::string s = ascii_lower(trim(src));
  if (s.empty() || s.rfind("data:", 0) == 0) return true;
  for (std::string_view marker : {"blank", "loading", "grey.gif", "spacer", "1x1"}) {
    if (s.find(marker) != std::string::npos) return true;
  }
  return false;
}

// First URL of a srcset ("a.jpg 1x, b.jpg 2x" -> "a.jpg").
std::string_view first_srcset_url(std::string_view srcset) {
  srcset = trim(srcset);
  const std::size_t end = srcset.find_first_of(" \t\n,");
  return srcset.substr(0, end);
}

// Points src at the real image when a lazy-loading attribute has it.
void promote_lazy_src(Node& img) {
  if (!is_placeholder(img.attr("src"))) return;
  for (std::string_view name : kLazySources) {
    const std::string_view candidate = trim(img.attr(name));
    if (!candidate.empty() && !is_placeholder(candidate)) {
      img.set_attr("src", std::string(candidate));
      return;
    }
  }
  const std::string_view from_srcset = first_srcset_url(img.attr("srcset"));
  if (!from_srcset.empty() && !is_placeholder(from_srcset)) {
    img.set_attr("src", std::string(from_srcset));
  }
}

bool is_number(std::string_view value, bool allow_sign) {
  value = trim(value);
  if (allow_sign && !value.empty() && value.front() == '-') value.remove_prefix(1);
  if (value.empty() || value.size() > 9) return false;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Keeps allowed attributes, URLs made absolute; false when a required src did not survive.
bool filter_attributes(Node& el, const std::string& base_url) {
  std::vector<parse::Attribute> kept;
  for (parse::Attribute& a : el.attributes) {
    if (!attribute_allowed(el.tag, a.name)) continue;
    if (is_url_attribute(a.name)) {
      a.value = absolute_http_url(base_url, a.value);
      if (a.value.empty()) continue;
    } else if (is_number_attribute(a.name)) {
      if (!is_number(a.value, a.name == "start")) continue;
      a.value = std::string(trim(a.value));
    }
    kept.push_back(std::move(a));
  }
  el.attributes = std::move(kept);
  const bool needs_src = el.tag == "img" || el.tag == "video" || el.tag == "audio";
  return !needs_src || el.has_attr("src");
}

// <video>/<audio>: take the first <source> when there is no src; fallback children go.
void flatten_media(Node& media) {
  if (trim(media.attr("src")).empty()) {
    parse::walk(media, [&](Node& n) {
      if (n.is_element("source") && !trim(n.attr("src")).empty() && !media.has_attr("src")) {
        media.set_attr("src", std::string(trim(n.attr("src"))));
      }
      return true;
    });
  }
  while (!media.children.empty()) remove_child(media, 0);
  media.set_attr("controls", "");
}

void sanitize_children(Node& parent, const std::string& base_url, int depth);

bool has_block_child(const Node& n) {
  for (const Node* c : n.children) {
    if (c->is_element() && is_block(c->tag)) return true;
  }
  return false;
}

Fate sanitize_element(Node& el, const std::string& base_url, int depth) {
  const ElementRule rule = element_rule(el.tag);
  if (rule == ElementRule::drop) return Fate::drop;
  if (el.is_element("img")) promote_lazy_src(el);
  if (rule == ElementRule::media) flatten_media(el);
  sanitize_children(el, base_url, depth + 1);
  switch (rule) {
    case ElementRule::unwrap:
      return Fate::unwrap;
    case ElementRule::div:
      // Layout divs nest blocks; a div of inline content is a paragraph in all but name.
      if (has_block_child(el)) return Fate::unwrap;
      el.tag = std::string("p");  // not = "p": GCC 12 -Wrestrict false positive (PR105329)
      el.attributes.clear();
      return Fate::keep;
    default:
      break;
  }
  if (!filter_attributes(el, base_url)) return Fate::drop;
  if (el.is_element("a") && !el.has_attr("href")) return Fate::unwrap;
  return Fate::keep;
}

Fate sanitize_node(Node& n, const std::string& base_url, int depth) {
  if (n.is_text()) return Fate::keep;
  // Beyond any nesting the parser produces: flatten rather than recurse further.
  if (!n.is_element() || depth > kMaxDepth) return Fate::drop;
  return sanitize_element(n, base_url, depth);
}

void sanitize_children(Node& parent, const std::string& base_url, int depth) {
  std::size_t i = 0;
  while (i < parent.children.size()) {
    switch (sanitize_node(*parent.children[i], base_url, depth)) {
      case Fate::keep:
        ++i;
        break;
      case Fate::drop:
        remove_child(parent, i);
        break;
      case Fate::unwrap:
        i += unwrap_child(parent, i);
        break;
    }
  }
}

}  // namespace

std::string absolute_http_url(const std::string& base_url, std::string_view ref) {
  if (trim(ref).empty()) return {};
  // Without a base, absolute references still resolve against themselves.
  const std::string_view base = base_url.empty() ? ref : std::string_view(base_url);
  const std::optional<std::string> url = resolve_url(base, ref);
  if (!url) return {};
  const std::string lower = ascii_lower(url->substr(0, 8));
  if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0) return {};
  return *url;
}

void sanitize_tree(parse::Node& root, const std::string& base_url) {
  sanitize_children(root, base_url, 0);
}

}  // namespace fg::normalize
