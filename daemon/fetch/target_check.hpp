#pragma once
// Internal: the address policy for the target of a URL, checked before the URL is handed to a
// proxy. Behind a proxy, curl only ever connects to the proxy, so the socket-level check sees
// the proxy's address and not the portal's: the target has to be judged from the URL instead.

#include <string>
#include <vector>

#include "fetch/fetcher.hpp"

namespace fg::fetch {

struct TargetVerdict {
  std::string refused;     // why the target is refused ("127.0.0.1:80 (loopback)"); empty: allowed
  std::string connect_to;  // "host:port:address:port" pinning a CONNECT to the checked address
};

// Judges the target host of an http(s) URL as fetch.allow_private and fetch.trusted_peers would
// judge a direct connection: IP literals in every spelling curl or a proxy reads, and host names
// by every address they resolve to here (all must be allowed; a name that does not resolve is
// refused, as the policy cannot be checked). Other schemes are allowed (they are never proxied).
// Blocks while resolving: never call it on the fetcher's event-loop thread.
TargetVerdict check_target(const std::string& url, const FetchOptions& options);

// The proxies curl may connect to: fetch.proxy, else the *_proxy environment variables curl
// reads. Empty: every connection is direct.
std::vector<std::string> proxy_urls(const FetchOptions& options);

}  // namespace fg::fetch
