#include "serve/listen_address.hpp"

#include <charconv>

namespace fg::serve {

Result<ListenAddress> parse_listen(std::string_view listen) {
  auto fail = [&](std::string why) {
    return make_error(Errc::config,
                      "server.listen \"" + std::string(listen) + "\": " + why +
                          "; write host:port, e.g. 127.0.0.1:8080 or [::1]:8080",
                      "server.listen");
  };
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos) return fail("no port");
  std::string_view host = listen.substr(0, colon);
  const std::string_view port_text = listen.substr(colon + 1);

  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return fail("port must be a number from 0 to 65535");
  }
  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3) return fail("unbalanced brackets");
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return fail("an IPv6 address needs brackets");
  }
  ListenAddress address;
  // "localhost" is mapped here rather than resolved: start-up must not depend on DNS.
  address.host = host.empty() ? "0.0.0.0" : host == "localhost" ? "127.0.0.1" : std::string(host);
  address.port = static_cast<unsigned short>(port);
  return address;
}

}  // namespace fg::serve
