// The address policy applied to a URL's host before a proxy sees it (see target_check.hpp).

#include "fetch/target_check.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/text.hpp"
#include "fetch/address_policy.hpp"
#include "fetch/transfer.hpp"

namespace fg::fetch {

namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlString {
  char* p = nullptr;
  ~CurlString() { curl_free(p); }
};

struct Target {
  std::string scheme;
  std::string host;  // as curl will send it: IDN as punycode, IPv6 without brackets
  int port = 0;
};

// The URL's parts as curl itself reads them, so that the host checked is the host requested.
std::optional<Target> read_target(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
  Target t;
  CurlString scheme, host, port;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &scheme.p, 0) != CURLUE_OK) return std::nullopt;
  t.scheme = ascii_lower(scheme.p);
  if (t.scheme != "http" && t.scheme != "https") return t;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host.p, CURLU_PUNYCODE | CURLU_URLDECODE) !=
          CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_PORT, &port.p, CURLU_DEFAULT_PORT) != CURLUE_OK) {
    return std::nullopt;
  }
  t.host = ascii_lower(host.p);
  if (t.host.size() >= 2 && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
  t.port = std::atoi(port.p);
  return t;
}

sockaddr_storage socket_address(const std::vector<unsigned char>& bytes, int port) {
  sockaddr_storage storage{};
  if (bytes.size() == 4) {
    auto* a = reinterpret_cast<sockaddr_in*>(&storage);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<std::uint16_t>(port));
    std::memcpy(&a->sin_addr, bytes.data(), 4);
  } else {
    auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(static_cast<std::uint16_t>(port));
    std::memcpy(&a->sin6_addr, bytes.data(), 16);
  }
  return storage;
}

std::string address_text(const sockaddr* a) {
  char text[INET6_ADDRSTRLEN] = {};
  if (a->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, text, sizeof text);
    return text;
  }
  inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, text, sizeof text);
  return std::string("[") + text + "]";
}

bool is_localhost_name(const std::string& host) {
  std::string h = host;
  if (!h.empty() && h.back() == '.') h.pop_back();
  return h == "localhost" || h.ends_with(".localhost");
}

TargetVerdict check_addresses(const Target& t, const FetchOptions& options) {
  TargetVerdict v;
  const std::string port = std::to_string(t.port);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(t.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    v.refused = t.host + " (cannot resolve it here: " + gai_strerror(rc) +
                "; behind a proxy every host name is resolved first to check the address policy)";
    return v;
  }
  for (addrinfo* a = found; a != nullptr && v.refused.empty(); a = a->ai_next) {
    std::string refused;
    if (!peer_allowed(options, a->ai_addr, refused)) {
      v.refused = t.host + " = " + refused;
    } else if (v.connect_to.empty()) {
      v.connect_to = t.host + ":" + port + ":" + address_text(a->ai_addr) + ":" + port;
    }
  }
  freeaddrinfo(found);
  if (!v.refused.empty()) v.connect_to.clear();
  return v;
}

// The verdict on an IP-literal or localhost host; nullopt for a name to resolve.
std::optional<TargetVerdict> check_literal(const Target& target, const FetchOptions& options) {
  std::optional<std::vector<unsigned char>> literal = parse_host_literal(target.host);
  if (!literal && is_localhost_name(target.host)) {
    literal = std::vector<unsigned char>{127, 0, 0, 1};  // resolvers answer loopback for these
  }
  if (!literal) return std::nullopt;
  TargetVerdict v;
  const sockaddr_storage address = socket_address(*literal, target.port);
  peer_allowed(options, reinterpret_cast<const sockaddr*>(&address), v.refused);
  if (!v.refused.empty() &&
      target.host != address_text(reinterpret_cast<const sockaddr*>(&address))) {
    v.refused = target.host + " = " + v.refused;
  }
  return v;
}

}  // namespace

TargetVerdict check_target(const std::string& url, const FetchOptions& options) {
  TargetVerdict v;
  if (options.allow_private) return v;
  const auto target = read_target(url);
  if (!target) {
    v.refused = "an unreadable URL";
    return v;
  }
  if (target->scheme != "http" && target->scheme != "https") return v;
  if (auto literal = check_literal(*target, options)) return *literal;
  return check_addresses(*target, options);
}

std::string refused_literal_host(const std::string& url, const FetchOptions& options) {
  if (options.allow_private) return {};
  const auto target = read_target(url);
  if (!target) return "an unreadable URL";
  if (target->scheme != "http" && target->scheme != "https") return {};
  const auto literal = check_literal(*target, options);
  return literal ? literal->refused : std::string{};
}

std::vector<std::string> proxy_urls(const FetchOptions& options) {
  if (!options.proxy.empty()) return {options.proxy};
  std::vector<std::string> out;
  for (const char* name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') out.emplace_back(value);
  }
  return out;
}

}  // namespace fg::fetch
