// The address classifier behind fetch.allow_private: pure functions over address bytes.

#include "fetch/address_policy.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

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
  // ::a.b.c.d (IPv4-compatible, deprecated): nothing legitimate uses it, some stacks route it.
  if (has_prefix(b, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) {
    const AddressKind inside = classify_v4(b + 12);
    return inside == AddressKind::public_internet ? AddressKind::reserved : inside;
  }
  // 2002:AABB:CCDD::/48 (6to4) is relayed to the IPv4 address AA.BB.CC.DD.
  if (b[0] == 0x20 && b[1] == 0x02) {
    const AddressKind inside = classify_v4(b + 2);
    if (inside != AddressKind::public_internet) return inside;
  }
  if (b[0] == 0xff) return AddressKind::multicast;
  if ((b[0] & 0xfe) == 0xfc) return AddressKind::unique_local;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressKind::link_local;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressKind::private_network;
  return AddressKind::public_internet;
}

// One part of a loose IPv4 literal: decimal, 0x hex or 0-prefixed octal, as inet_aton reads it.
std::optional<std::uint64_t> ipv4_part(std::string_view part) {
  int base = 10;
  if (part.size() > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() > 1 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  if (part.empty()) return base == 16 ? std::optional<std::uint64_t>(0) : std::nullopt;
  std::uint64_t value = 0;
  for (char c : part) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0 || digit >= base) return std::nullopt;
    value = value * base + digit;
    if (value > 0xffffffffull) return std::nullopt;
  }
  return value;
}

// "a", "a.b", "a.b.c" or "a.b.c.d" (the last part fills the remaining bytes), trailing dot allowed.
std::optional<std::vector<unsigned char>> parse_loose_ipv4(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return std::nullopt;
  std::vector<std::uint64_t> parts;
  while (true) {
    const std::size_t dot = host.find('.');
    const auto part = ipv4_part(host.substr(0, dot));
    if (!part || parts.size() == 4) return std::nullopt;
    parts.push_back(*part);
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  std::uint64_t value = parts.back();
  const std::size_t leading = parts.size() - 1;
  if (value >> (8 * (4 - leading)) != 0) return std::nullopt;
  for (std::size_t i = 0; i < leading; ++i) {
    if (parts[i] > 255) return std::nullopt;
    value |= parts[i] << (8 * (3 - i));
  }
  return std::vector<unsigned char>{
      static_cast<unsigned char>(value >> 24), static_cast<unsigned char>(value >> 16),
      static_cast<unsigned char>(value >> 8), static_cast<unsigned char>(value)};
}

}  // namespace

std::optional<std::vector<unsigned char>> parse_host_literal(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.find(':') != std::string_view::npos) {
    const std::string text(host.substr(0, host.find('%')));  // the zone id names no address
    std::vector<unsigned char> bytes(16);
    if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) return bytes;
    return std::nullopt;
  }
  return parse_loose_ipv4(host);
}

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
