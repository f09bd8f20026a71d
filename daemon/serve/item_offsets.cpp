#include "serve/item_offsets.hpp"

namespace fg::serve {
namespace {

// In XML a closing tag cannot occur inside text (text escapes '<'), and items do not nest.
std::vector<std::size_t> xml_item_ends(std::string_view body, std::string_view closing) {
  std::vector<std::size_t> ends;
  for (auto at = body.find(closing); at != std::string_view::npos;
       at = body.find(closing, at + closing.size())) {
    ends.push_back(at + closing.size());
  }
  return ends;
}

// The ends of the objects in the top-level "items" array, tracking strings and nesting.
std::vector<std::size_t> json_item_ends(std::string_view body) {
  std::vector<std::size_t> ends;
  int depth = 0;
  int items_depth = -1;  // depth inside the items array, once found
  bool in_string = false;
  std::size_t string_start = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        const auto key = body.substr(string_start, i + 1 - string_start);
        if (depth == 1 && items_depth < 0 && key == "\"items\"") items_depth = -2;  // next '['
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      string_start = i;
    } else if (c == '{' || c == '[') {
      ++depth;
      if (c == '[' && items_depth == -2) items_depth = depth;
    } else if (c == '}' || c == ']') {
      --depth;
      if (c == '}' && items_depth > 0 && depth == items_depth) ends.push_back(i + 1);
      if (c == ']' && items_depth > 0 && depth == items_depth - 1) return ends;
    }
  }
  return {};  // unterminated: not a feed we understand
}

}  // namespace

std::vector<std::size_t> find_item_ends(std::string_view body, std::string_view content_type) {
  if (content_type.starts_with("application/rss+xml")) return xml_item_ends(body, "</item>");
  if (content_type.starts_with("application/atom+xml")) return xml_item_ends(body, "</entry>");
  if (content_type.starts_with("application/feed+json")) return json_item_ends(body);
  return {};
}

BodySlices limit_items(std::string_view body, const std::vector<std::size_t>& ends,
                       std::size_t limit) {
  return {body.substr(0, ends[limit - 1]), body.substr(ends.back())};
}

}  // namespace fg::serve
