#pragma once
// URL handling shared by every stage: resolving references and reading parts.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fg {

// Resolves `ref` against the absolute URL `base` (RFC 3986). Returns nullopt for references
// that are not http, https or file URLs once resolved (javascript:, mailto:, data:, ...),
// and for malformed input. The result has no fragment.
std::optional<std::string> resolve_url(std::string_view base, std::string_view ref);

// Lower-case scheme of an absolute URL ("https"), or empty when there is none.
std::string url_scheme(std::string_view url);

// Host of an absolute URL, lower-case, without port; empty for file: URLs or malformed input.
std::string url_host(std::string_view url);

// application/x-www-form-urlencoded decoding of a query's name or value ("+" is a space); a
// "%" not followed by two hex digits stays as it is, as browsers leave it.
std::string form_decode(std::string_view s);
// The same, strictly: nullopt where a "%" is not followed by two hex digits (for requests that
// are refused rather than guessed at, as the WebSub hub's).
std::optional<std::string> form_decode_strict(std::string_view s);

// The name=value pairs of a URL query ("a=1&b=x+y", without "?"), form-decoded, in order (a
// name without "=" has an empty value).
std::vector<std::pair<std::string, std::string>> query_parameters(std::string_view query);

// Percent-encodes all but RFC 3986's unreserved characters: safe in any part of a URL and in
// a query value, and one spelling per string.
std::string percent_encode(std::string_view s);

}  // namespace fg
