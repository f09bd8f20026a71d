#pragma once
// URL handling shared by every stage: resolving references and reading parts.

#include <optional>
#include <string>
#include <string_view>

namespace fg {

// Resolves `ref` against the absolute URL `base` (RFC 3986). Returns nullopt for references
// that are not http, https or file URLs once resolved (javascript:, mailto:, data:, ...),
// and for malformed input. The result has no fragment.
std::optional<std::string> resolve_url(std::string_view base, std::string_view ref);

// Lower-case scheme of an absolute URL ("https"), or empty when there is none.
std::string url_scheme(std::string_view url);

// Host of an absolute URL, lower-case, without port; empty for file: URLs or malformed input.
std::string url_host(std::string_view url);

}  // namespace fg
