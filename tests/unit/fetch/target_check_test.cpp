// The address policy on a URL's target, as applied before a proxy is asked for it. Only IP
// literals, "localhost" and names from /etc/hosts are used: no DNS query leaves the machine.

#include "fetch/target_check.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fetch/address_policy.hpp"

namespace fg::fetch {
namespace {

std::string literal_text(std::string_view host) {
  const auto bytes = parse_host_literal(host);
  if (!bytes) return "name";
  std::string out;
  for (unsigned char b : *bytes) out += std::to_string(b) + ".";
  return out;
}

TEST(HostLiteral, ReadsEveryIpv4Spelling) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1", "127.0.0.1."},
      {"2130706433", "127.0.0.1."},
      {"0x7f.1", "127.0.0.1."},
      {"017700000001", "127.0.0.1."},
      {"127.1", "127.0.0.1."},
      {"0x7f000001", "127.0.0.1."},
      {"0177.0.0.1", "127.0.0.1."},
      {"127.0.0.1.", "127.0.0.1."},
      {"10.1", "10.0.0.1."},
      {"3232235777", "192.168.1.1."},
      {"0xa9fea9fe", "169.254.169.254."},
      {"0X7F.0.1", "127.0.0.1."},
      {"example.com", "name"},
      {"1.2.3.4.5", "name"},
      {"256.1.1.1", "name"},
      {"1.2.3.256", "name"},
      {"4294967296", "name"},
      {"08.1.1.1", "name"},
      {"", "name"},
      {"xn--fiqs8s", "name"},
  };
  for (const auto& [host, want] : cases) EXPECT_EQ(literal_text(host), want) << host;
}

TEST(HostLiteral, ReadsIpv6WithBracketsAndZones) {
  EXPECT_EQ(parse_host_literal("[::1]")->size(), 16u);
  EXPECT_EQ(parse_host_literal("fe80::1%25eth0")->size(), 16u);
  EXPECT_EQ(parse_host_literal("[fe80::1%eth0]")->size(), 16u);
  EXPECT_FALSE(parse_host_literal("[::1"));
  EXPECT_FALSE(parse_host_literal(":::"));
}

TEST(AddressPolicy, EmbeddedIpv4FormsCountAsTheAddressInside) {
  EXPECT_EQ(classify_address("::127.0.0.1"), AddressKind::loopback);
  EXPECT_EQ(classify_address("::203.0.113.7"), AddressKind::reserved);
  EXPECT_EQ(classify_address("::ffff:7f00:1"), AddressKind::loopback);
  EXPECT_EQ(classify_address("2002:7f00:1::"), AddressKind::loopback);
  EXPECT_EQ(classify_address("2002:a00:1::1"), AddressKind::private_network);
  EXPECT_EQ(classify_address("2002:cb00:7107::1"), AddressKind::public_internet);
}

FetchOptions strict() {
  FetchOptions o;
  o.allow_private = false;
  return o;
}

TEST(TargetCheck, RefusesPrivateTargetsInEverySpelling) {
  const char* urls[] = {
      "http://127.0.0.1/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://017700000001/",
      "http://127.1:8080/x",
      "http://0x7f000001/",
      "http://10.0.0.1/",
      "http://10.1/",
      "http://192.168.1.1/",
      "http://3232235777/",
      "http://172.16.0.1/",
      "http://169.254.169.254/",
      "http://0xa9fea9fe/",
      "http://100.64.0.1/",
      "http://0.0.0.0/",
      "http://[::1]/",
      "http://[::]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:7f00:1]/",
      "http://[::ffff:10.0.0.1]/",
      "http://[fe80::1]/",
      "http://[fd00::1]/",
      "https://10.0.0.1/",
      "http://localhost:8080/",
      "http://LOCALHOST./",
      "http://a.b.localhost/",
      "http://127.0.0.%31/",
      "http://user:pw@127.0.0.1/",
      "HTTP://127.0.0.1/",
  };
  for (const char* url : urls) {
    const TargetVerdict v = check_target(url, strict());
    EXPECT_FALSE(v.refused.empty()) << url;
  }
}

TEST(TargetCheck, SaysWhichAddressAndKind) {
  const TargetVerdict v = check_target("http://2130706433:81/", strict());
  EXPECT_NE(v.refused.find("127.0.0.1:81 (loopback)"), std::string::npos) << v.refused;
}

TEST(TargetCheck, TrustedPeersAndAllowPrivateStillReachTheirTargets) {
  FetchOptions o = strict();
  o.trusted_peers = {"127.0.0.1:8080", "[::1]:8080"};
  EXPECT_TRUE(check_target("http://127.0.0.1:8080/a", o).refused.empty());
  EXPECT_TRUE(check_target("http://[::1]:8080/a", o).refused.empty());
  EXPECT_FALSE(check_target("http://127.0.0.1:8081/a", o).refused.empty());
  FetchOptions open;
  open.allow_private = true;
  EXPECT_TRUE(check_target("http://10.0.0.1/", open).refused.empty());
}

TEST(TargetCheck, PublicLiteralsAndOtherSchemesPass) {
  EXPECT_TRUE(check_target("http://203.0.113.7/", strict()).refused.empty());
  EXPECT_TRUE(check_target("https://[2001:db8::1]:8443/", strict()).refused.empty());
  EXPECT_TRUE(check_target("file:///tmp/list.html", strict()).refused.empty());
  EXPECT_FALSE(check_target("not a url", strict()).refused.empty());
}

// A name from /etc/hosts that points at loopback (not "localhost", which is refused by name).
std::string loopback_name_in_hosts_file() {
  std::ifstream hosts("/etc/hosts");
  std::string line;
  while (std::getline(hosts, line)) {
    std::istringstream fields(line.substr(0, line.find('#')));
    std::string address, name;
    if (!(fields >> address) || address.rfind("127.", 0) != 0) continue;
    while (fields >> name) {
      if (name != "localhost" && name.find('.') == std::string::npos) return name;
    }
  }
  return {};
}

TEST(TargetCheck, ResolvesNamesAndChecksEveryAddress) {
  const std::string name = loopback_name_in_hosts_file();
  if (name.empty()) GTEST_SKIP() << "no loopback name besides localhost in /etc/hosts";
  const TargetVerdict refused = check_target("http://" + name + ":8080/", strict());
  EXPECT_NE(refused.refused.find("(loopback)"), std::string::npos) << refused.refused;
  FetchOptions o = strict();
  o.trusted_peers = {"127.0.0.1:8080"};
  const TargetVerdict pinned = check_target("http://" + name + ":8080/", o);
  EXPECT_TRUE(pinned.refused.empty()) << pinned.refused;
  EXPECT_EQ(pinned.connect_to, name + ":8080:127.0.0.1:8080");
}

}  // namespace
}  // namespace fg::fetch
