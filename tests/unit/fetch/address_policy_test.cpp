// The allow_private classifier on literal addresses: no connection is opened.

#include "fetch/address_policy.hpp"

#include <gtest/gtest.h>

namespace fg::fetch {
namespace {

struct Case {
  const char* literal;
  AddressKind kind;
};

TEST(AddressPolicy, ClassifiesIpv4Ranges) {
  const Case cases[] = {
      {"127.0.0.1", AddressKind::loopback},
      {"127.255.255.254", AddressKind::loopback},
      {"10.1.2.3", AddressKind::private_network},
      {"172.16.0.1", AddressKind::private_network},
      {"172.31.255.255", AddressKind::private_network},
      {"172.32.0.1", AddressKind::public_internet},
      {"192.168.1.1", AddressKind::private_network},
      {"169.254.169.254", AddressKind::link_local},
      {"100.64.0.1", AddressKind::shared_cgnat},
      {"100.127.255.255", AddressKind::shared_cgnat},
      {"100.128.0.1", AddressKind::public_internet},
      {"224.0.0.251", AddressKind::multicast},
      {"0.0.0.0", AddressKind::unspecified},
      {"255.255.255.255", AddressKind::reserved},
      {"198.18.0.1", AddressKind::reserved},
      {"203.0.113.7", AddressKind::public_internet},
      {"8.8.8.8", AddressKind::public_internet},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(classify_address(c.literal), c.kind) << c.literal;
  }
}

TEST(AddressPolicy, ClassifiesIpv6Ranges) {
  const Case cases[] = {
      {"::1", AddressKind::loopback},
      {"::", AddressKind::unspecified},
      {"fe80::1", AddressKind::link_local},
      {"fc00::1", AddressKind::unique_local},
      {"fd12:3456::1", AddressKind::unique_local},
      {"fec0::1", AddressKind::private_network},
      {"ff02::1", AddressKind::multicast},
      {"2001:db8::1", AddressKind::public_internet},
      {"2400:cb00::1", AddressKind::public_internet},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(classify_address(c.literal), c.kind) << c.literal;
  }
}

TEST(AddressPolicy, EmbeddedIpv4CountsAsTheIpv4Inside) {
  EXPECT_EQ(classify_address("::ffff:127.0.0.1"), AddressKind::loopback);
  EXPECT_EQ(classify_address("::ffff:10.0.0.5"), AddressKind::private_network);
  EXPECT_EQ(classify_address("::ffff:203.0.113.7"), AddressKind::public_internet);
  EXPECT_EQ(classify_address("64:ff9b::192.168.0.1"), AddressKind::private_network);
}

TEST(AddressPolicy, NonLiteralsAreInvalidAndRefused) {
  EXPECT_EQ(classify_address("localhost"), AddressKind::invalid);
  EXPECT_EQ(classify_address(""), AddressKind::invalid);
  EXPECT_EQ(classify_address("127.0.0.1:80"), AddressKind::invalid);
  EXPECT_TRUE(needs_allow_private(AddressKind::invalid));
  EXPECT_TRUE(needs_allow_private(AddressKind::loopback));
  EXPECT_FALSE(needs_allow_private(AddressKind::public_internet));
  EXPECT_STREQ(address_kind_name(AddressKind::link_local), "link-local");
}

}  // namespace
}  // namespace fg::fetch
