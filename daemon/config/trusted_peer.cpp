#include "config/trusted_peer.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace fg::config {

std::optional<std::string> canonical_peer(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  const bool v6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
  if (v6) host = host.substr(1, host.size() - 2);
  const std::string literal(host);
  unsigned char bytes[16];
  char canonical[INET6_ADDRSTRLEN];
  const int family = v6 ? AF_INET6 : AF_INET;
  if (inet_pton(family, literal.c_str(), bytes) != 1 ||
      inet_ntop(family, bytes, canonical, sizeof canonical) == nullptr) {
    return std::nullopt;
  }
  const std::string address = v6 ? "[" + std::string(canonical) + "]" : std::string(canonical);
  return address + ":" + std::to_string(port);
}

}  // namespace fg::config
