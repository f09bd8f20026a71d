#pragma once
// Which peer addresses a fetch may connect to: fetch.allow_private (default false) refuses
// loopback, private and other non-public addresses after DNS resolution, so that a portal (or
// a redirect it sends) cannot make feedgate reach the operator's own network.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fg::fetch {

enum class AddressKind {
  public_internet,
  loopback,         // 127.0.0.0/8, ::1
  private_network,  // 10/8, 172.16/12, 192.168/16, fec0::/10 (old site-local)
  link_local,       // 169.254/16, fe80::/10
  unique_local,     // fc00::/7
  shared_cgnat,     // 100.64/10 (carrier-grade NAT)
  multicast,        // 224/4, ff00::/8
  unspecified,      // 0.0.0.0/8, ::
  reserved,         // 240/4 (with 255.255.255.255), 198.18/15 (benchmarking)
  invalid,          // not an IPv4 or IPv6 literal
};

// Classifies a numeric address ("203.0.113.7", "::1", "::ffff:10.0.0.1"); opens nothing.
// IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
// (2002:AABB:CCDD::) addresses count as the IPv4 inside when that one is not public.
AddressKind classify_address(std::string_view literal);

// The address a URL host names when it is an IP literal in any spelling a resolver or a proxy
// accepts: dotted quads, and also the forms inet_aton and WHATWG URL parsers read ("2130706433",
// "0x7f.1", "017700000001", "127.1", a trailing dot), and IPv6 with or without brackets (a zone
// id "%25eth0" or "%eth0" is dropped). nullopt for host names. Bytes are 4 or 16 long.
std::optional<std::vector<unsigned char>> parse_host_literal(std::string_view host);

// Classifies raw bytes: 4 (IPv4) or 16 (IPv6) in network order; other sizes are invalid.
AddressKind classify_address_bytes(const unsigned char* bytes, std::size_t size);

// "loopback", "private", ... for messages.
const char* address_kind_name(AddressKind kind);

// Whether fetch.allow_private=false refuses connections to this kind of address.
inline bool needs_allow_private(AddressKind kind) {
  return kind != AddressKind::public_internet;
}

}  // namespace fg::fetch
