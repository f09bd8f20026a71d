#pragma once
// fetch.trusted_peers entries: "ADDRESS:PORT" with an IP literal, in the form the fetcher
// compares peers in ("127.0.0.1:8080", "[::1]:8080").

#include <optional>
#include <string>
#include <string_view>

namespace fg::config {

// The canonical form of "ADDRESS:PORT" ("[0:0::1]:80" → "[::1]:80"), or nullopt when `text`
// is not an IPv4 or bracketed IPv6 literal followed by a port in 1..65535.
std::optional<std::string> canonical_peer(std::string_view text);

}  // namespace fg::config
