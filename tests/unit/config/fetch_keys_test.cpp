// The fetch keys for politeness and network policy: min_gap, stall_timeout, allow_private,
// proxy, ca_bundle, trusted_peers — defaults, accepted values and problems.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using std::chrono::milliseconds;
using testing::described;
using ::testing::ElementsAre;
using testing::TempDir;

TEST(ConfigFetchKeys, Defaults) {
  const LoadResult r = parse_config("", "/x/f.yaml");
  ASSERT_TRUE(r.config.has_value());
  const FetchOptions& f = r.config->fetch;
  EXPECT_EQ(f.min_gap, milliseconds(1000));
  EXPECT_EQ(f.stall_timeout, milliseconds(30'000));
  EXPECT_FALSE(f.allow_private);
  EXPECT_EQ(f.proxy, "");
  EXPECT_EQ(f.ca_bundle, "");
  EXPECT_TRUE(f.trusted_peers.empty());
}

TEST(ConfigFetchKeys, AcceptedValues) {
  TempDir dir;
  dir.write("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n");
  const std::string file = (dir.path() / "feedgate.yaml").string();
  const LoadResult r = parse_config(
      "fetch:\n"
      "  min_gap: 0s\n"
      "  stall_timeout: 1m\n"
      "  allow_private: true\n"
      "  proxy: \"socks5h://127.0.0.1:1080\"\n"
      "  ca_bundle: certs/ca.pem\n"
      "  trusted_peers: [\"10.0.0.5:80\", \"[0:0::1]:8080\"]\n",
      file);
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  const FetchOptions& f = r.config->fetch;
  EXPECT_EQ(f.min_gap, milliseconds(0));
  EXPECT_EQ(f.stall_timeout, milliseconds(60'000));
  EXPECT_TRUE(f.allow_private);
  EXPECT_EQ(f.proxy, "socks5h://127.0.0.1:1080");
  EXPECT_EQ(f.ca_bundle, (dir.path() / "certs/ca.pem").string());
  EXPECT_THAT(f.trusted_peers, ElementsAre("10.0.0.5:80", "[::1]:8080"));  // as the fetcher
}

TEST(ConfigFetchKeys, Problems) {
  const LoadResult r = parse_config(
      "fetch:\n"
      "  min_gap: soon\n"
      "  stall_timeout: 200ms\n"
      "  allow_private: maybe\n"
      "  proxy: \"ftp://proxy:21\"\n"
      "  ca_bundle: /no/such/ca.pem\n"
      "  trusted_peers: [\"intranet.example:80\", \"10.0.0.5\", \"10.0.0.5:0\"]\n",
      "t.yaml");
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(
      described(r),
      ElementsAre(
          "t.yaml:2:12: min_gap: invalid duration \"soon\": expected a number "
          "(write e.g. 90s, 15m, 1h30m)",
          "t.yaml:3:18: stall_timeout must be at least 1s, got 200ms",
          "t.yaml:4:18: allow_private: expected true or false, got \"maybe\"",
          "t.yaml:5:10: proxy: expected a URL such as \"http://proxy.example:3128\" or "
          "\"socks5h://127.0.0.1:1080\" (http, https, socks4, socks4a, socks5, socks5h), got "
          "\"ftp://proxy:21\"",
          "t.yaml:6:14: ca_bundle: no such file: /no/such/ca.pem (a PEM file of CA "
          "certificates, relative to the config file)",
          "t.yaml:7:18: trusted_peers: expected \"ADDRESS:PORT\" such as \"10.0.0.5:80\" or "
          "\"[fd00::5]:8080\" (an IP address, not a host name, and a port), got "
          "\"intranet.example:80\"",
          "t.yaml:7:18: trusted_peers: expected \"ADDRESS:PORT\" such as \"10.0.0.5:80\" or "
          "\"[fd00::5]:8080\" (an IP address, not a host name, and a port), got \"10.0.0.5\"",
          "t.yaml:7:18: trusted_peers: expected \"ADDRESS:PORT\" such as \"10.0.0.5:80\" or "
          "\"[fd00::5]:8080\" (an IP address, not a host name, and a port), got "
          "\"10.0.0.5:0\""));
}

}  // namespace
}  // namespace fg::config
