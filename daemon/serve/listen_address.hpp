#pragma once
// The server.listen setting, split into host and port without touching the network.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace fg::serve {

struct ListenAddress {
  std::string host;  // an IP literal without brackets: "127.0.0.1", "::1"
  unsigned short port = 0;
};

// "127.0.0.1:8080", "[::1]:0", "localhost:8080" (→ 127.0.0.1), ":8080" (→ 0.0.0.0).
// Errc::config naming the value when it has no port or the port is not 0..65535.
Result<ListenAddress> parse_listen(std::string_view listen);

}  // namespace fg::serve
