#pragma once
// Module-private: the allowlist pass (elements, attributes, URLs, lazy images).

#include <string>

#include "parse/dom.hpp"

namespace fg::normalize {

// Sanitizes the children of `root` in place against the policy in html_policy.hpp.
void sanitize_tree(parse::Node& root, const std::string& base_url);

// The absolute http(s) form of `ref` against `base_url`, or empty when it has none.
std::string absolute_http_url(const std::string& base_url, std::string_view ref);

}  // namespace fg::normalize
