#pragma once
// Which peer addresses a fetch may connect to: fetch.allow_private (default false) refuses
// loopback, private and other non-public addresses after DNS resolution, so that a portal (or
// a redirect it sends) cannot make feedgate reach the operator's own network.

#include <string>
#include <string_view>

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
// IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses count as the IPv4 inside.
AddressKind classify_address(std::string_view literal);

// Classifies raw bytes: 4 (IPv4) or 16 (IPv6) in network order; other sizes are invalid.
AddressKind classify_address_bytes(const unsigned char* bytes, std::size_t size);

// "loopback", "private", ... for messages.
const char* address_kind_name(AddressKind kind);

// Whether fetch.allow_private=false refuses connections to this kind of address.
inline bool needs_allow_private(AddressKind kind) {
  return kind != AddressKind::public_internet;
}

}  // namespace fg::fetch
