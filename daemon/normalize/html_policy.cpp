#include "normalize/html_policy.hpp"

#include <algorithm>
#include <iterator>

namespace fg::normalize {

namespace {

template <std::size_t N>
bool one_of(std::string_view tag, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), tag) != std::end(set);
}

constexpr std::string_view kKept[] = {
    "p",    "br",     "hr",  "h1",      "h2",         "h3",    "h4",         "h5",    "h6",
    "ul",   "ol",     "li",  "dl",      "dt",         "dd",    "blockquote", "pre",   "code",
    "em",   "strong", "b",   "i",       "u",          "s",     "sub",        "sup",   "small",
    "mark", "a",      "img", "figure",  "figcaption", "table", "thead",      "tbody", "tfoot",
    "tr",   "th",     "td",  "caption", "del",        "ins",   "q",          "cite"};

constexpr std::string_view kDropped[] = {
    "script", "style", "noscript", "template", "iframe", "frame",    "frameset", "object", "embed",
    "applet", "form",  "input",    "button",   "select", "textarea", "svg",      "math",   "canvas",
    "link",   "meta",  "base",     "head",     "title",  "source",   "track",    "param"};

constexpr std::string_view kBlocks[] = {
    "p",     "div",   "ul",    "ol",    "li", "dl",      "dt", "dd",     "blockquote",
    "pre",   "h1",    "h2",    "h3",    "h4", "h5",      "h6", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "caption", "hr"};

}  // namespace

ElementRule element_rule(std::string_view tag) {
  if (one_of(tag, kKept)) return ElementRule::keep;
  if (one_of(tag, kDropped)) return ElementRule::drop;
  if (tag == "div") return ElementRule::div;
  if (tag == "video" || tag == "audio") return ElementRule::media;
  return ElementRule::unwrap;  // span, font, center, picture and anything unknown
}

bool attribute_allowed(std::string_view tag, std::string_view name) {
  if (tag == "a") return name == "href" || name == "title";
  if (tag == "img") {
    return name == "src" || name == "alt" || name == "title" || name == "width" || name == "height";
  }
  if (tag == "td" || tag == "th") return name == "colspan" || name == "rowspan";
  if (tag == "ol") return name == "start";
  if (tag == "blockquote" || tag == "q") return name == "cite";
  if (tag == "video") return name == "src" || name == "poster" || name == "controls";
  if (tag == "audio") return name == "src" || name == "controls";
  return false;
}

bool is_url_attribute(std::string_view name) {
  return name == "href" || name == "src" || name == "cite" || name == "poster";
}

bool is_number_attribute(std::string_view name) {
  return name == "width" || name == "height" || name == "colspan" || name == "rowspan" ||
         name == "start";
}

bool is_block(std::string_view tag) {
  return one_of(tag, kBlocks);
}

bool is_void(std::string_view tag) {
  return tag == "br" || tag == "hr" || tag == "img";
}

bool keeps_when_empty(std::string_view tag) {
  return is_void(tag) || tag == "td" || tag == "th" || tag == "tr" || tag == "thead" ||
         tag == "tbody" || tag == "tfoot" || tag == "video" || tag == "audio";
}

bool is_content_without_text(std::string_view tag) {
  return tag == "img" || tag == "br" || tag == "hr" || tag == "table" || tag == "video" ||
         tag == "audio";
}

bool hides_text(std::string_view tag) {
  return element_rule(tag) == ElementRule::drop;
}

}  // namespace fg::normalize
