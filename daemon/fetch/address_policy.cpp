// The address classifier behind fetch.allow_private: pure functions over address bytes.

#include "fetch/address_policy.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <string>

namespace fg::fetch {

namespace {

bool in_v4(std::uint32_t a, std::uint32_t net, int prefix) {
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (a & mask) == (net & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

AddressKind classify_v4(const unsigned char* b) {
  const std::uint32_t a = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                          (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]};
  if (in_v4(a, v4(0, 0, 0, 0), 8)) return AddressKind::unspecified;
  if (in_v4(a, v4(127, 0, 0, 0), 8)) return AddressKind::loopback;
  if (in_v4(a, v4(10, 0, 0, 0), 8) || in_v4(a, v4(172, 16, 0, 0), 12) ||
      in_v4(a, v4(192, 168, 0, 0), 16)) {
    return AddressKind::private_network;
  }
  if (in_v4(a, v4(169, 254, 0, 0), 16)) return AddressKind::link_local;
  if (in_v4(a, v4(100, 64, 0, 0), 10)) return AddressKind::shared_cgnat;
  if (in_v4(a, v4(224, 0, 0, 0), 4)) return AddressKind::multicast;
  if (in_v4(a, v4(240, 0, 0, 0), 4) || in_v4(a, v4(198, 18, 0, 0), 15)) {
    return AddressKind::reserved;
  }
  return AddressKind::public_internet;
}

bool has_prefix(const unsigned char* b, std::initializer_list<unsigned char> prefix) {
  std::size_t i = 0;
  for (unsigned char p : prefix) {
    if (b[i++] != p) return false;
  }
  return true;
}

AddressKind classify_v6(const unsigned char* b) {
  static constexpr std::array<unsigned char, 16> kZero{};
  if (std::equal(b, b + 16, kZero.begin())) return AddressKind::unspecified;
  if (std::equal(b, b + 15, kZero.begin()) && b[15] == 1) return AddressKind::loopback;
  // ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address inside.
  if (has_prefix(b, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}) ||
      has_prefix(b, {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
    return classify_v4(b + 12);
  }
  if (b[0] == 0xff) return AddressKind::multicast;
  if ((b[0] & 0xfe) == 0xfc) return AddressKind::unique_local;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressKind::link_local;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressKind::private_network;
  return AddressKind::public_internet;
}

}  // namespace

AddressKind classify_address_bytes(const unsigned char* bytes, std::size_t size) {
  if (size == 4) return classify_v4(bytes);
  if (size == 16) return classify_v6(bytes);
  return AddressKind::invalid;
}

AddressKind classify_address(std::string_view literal) {
  const std::string text(literal);
  unsigned char bytes[16];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) return classify_v4(bytes);
  if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) return classify_v6(bytes);
  return AddressKind::invalid;
}

const char* address_kind_name(AddressKind kind) {
  switch (kind) {
    case AddressKind::public_internet:
      return "public";
    case AddressKind::loopback:
      return "loopback";
    case AddressKind::private_network:
      return "private";
    case AddressKind::link_local:
      return "link-local";
    case AddressKind::unique_local:
      return "unique-local";
    case AddressKind::shared_cgnat:
      return "carrier-grade NAT";
    case AddressKind::multicast:
      return "multicast";
    case AddressKind::unspecified:
      return "unspecified";
    case AddressKind::reserved:
      return "reserved";
    case AddressKind::invalid:
      return "invalid";
  }
  return "invalid";
}

}  // namespace fg::fetch
