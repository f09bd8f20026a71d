// Options, callbacks and outcome of one curl transfer.

#include "fetch/transfer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <exception>
#include <string_view>

#include "core/text.hpp"
#include "core/url.hpp"
#include "fetch/address_policy.hpp"
#include "fetch/host_limits.hpp"

namespace fg::fetch {

namespace {

using std::chrono::milliseconds;

std::string_view trim_line(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_success(int status) {
  return status >= 200 && status < 300;
}

// A new status line starts a new response (a redirect or a 100 Continue was before it).
void start_response(Transfer& t, std::string_view line) {
  t.status = 0;
  t.content_type.clear();
  t.etag.clear();
  t.last_modified.clear();
  t.content_length.reset();
  t.retry_after.reset();
  const std::size_t sp = line.find(' ');
  if (sp != std::string_view::npos) {
    const std::string_view code = line.substr(sp + 1, 3);
    std::from_chars(code.data(), code.data() + code.size(), t.status);
  }
}

void read_header_field(Transfer& t, std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  const std::string_view name = trim_line(line.substr(0, colon));
  const std::string_view value = trim_line(line.substr(colon + 1));
  if (iequals(name, "content-type")) {
    t.content_type = value;
  } else if (iequals(name, "etag")) {
    t.etag = value;
  } else if (iequals(name, "last-modified")) {
    t.last_modified = value;
  } else if (iequals(name, "retry-after") && (t.status == 429 || t.status == 503)) {
    t.retry_after = parse_retry_after(value, static_cast<std::int64_t>(std::time(nullptr)));
  } else if (iequals(name, "content-length")) {
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc() && end == value.data() + value.size()) t.content_length = n;
  }
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  try {
    const std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
      start_response(t, line);
    } else if (trim_line(line).empty()) {
      // End of headers: refuse a declared oversize body before any of it arrives.
      if (is_success(t.status) && t.content_length && *t.content_length > t.options.max_body) {
        t.too_large = true;
        return 0;
      }
    } else {
      read_header_field(t, line);
    }
  } catch (const std::exception&) {
    return 0;  // out of memory: abort the transfer rather than unwind through curl
  }
  return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  // Error pages are not kept: only the status matters. (status 0 is a file:// read.)
  if (t.status != 0 && !is_success(t.status)) return n;
  if (t.body.size() + n > t.options.max_body) {
    t.too_large = true;
    return 0;
  }
  try {
    t.body.append(data, n);
  } catch (const std::exception&) {
    return 0;
  }
  return n;
}

// Refuses, before any packet is sent, peers that fetch.allow_private forbids: curl calls this
// after DNS resolution for every address it tries, redirects included.
curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* address) noexcept {
  auto& t = *static_cast<Transfer*>(user);
  std::string refused;
  if (!peer_allowed(t.options, &address->addr, refused)) {
    t.refused_peer = std::move(refused);
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// curl_slist_append copies, and a nullptr result means out of memory.
bool add_header(Transfer& t, const std::string& line) {
  curl_slist* list = curl_slist_append(t.headers.get(), line.c_str());
  if (list == nullptr) return false;
  t.headers.release();
  t.headers.reset(list);
  return true;
}

bool set_request_headers(Transfer& t) {
  if (const auto& post = t.request.post) {
    // "Expect:" off: a callback answering 100 Continue late would only delay the delivery.
    if (!add_header(t, "Content-Type: " + post->content_type) || !add_header(t, "Expect:")) {
      return false;
    }
    for (const std::string& line : post->headers) {
      if (!add_header(t, line)) return false;
    }
  }
  const Validators& v = t.request.validators;
  if (!v.etag.empty() && !add_header(t, "If-None-Match: " + v.etag)) return false;
  if (!v.last_modified.empty() && !add_header(t, "If-Modified-Since: " + v.last_modified)) {
    return false;
  }
  return true;
}

// Every setopt below can only fail on out-of-memory or an old libcurl; one check covers them.
CURLcode set_options(Transfer& t) {
  CURL* e = t.easy.get();
  const FetchOptions& o = t.options;
  const long timeout_ms = static_cast<long>(std::max<milliseconds::rep>(o.timeout.count(), 1));
  const long stall_s = std::max<long>(static_cast<long>(o.stall_timeout.count() / 1000), 1);
  CURLcode rc = CURLE_OK;
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(e, option, value);
  };
  set(CURLOPT_URL, t.request.url.c_str());
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_TIMEOUT_MS, timeout_ms);
  set(CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10'000L));
  set(CURLOPT_LOW_SPEED_LIMIT, 1L);  // a server that stalls is cut off before the timeout
  set(CURLOPT_LOW_SPEED_TIME, stall_s);
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));  // h2 where offered
  // On https, wait for a connection being set up to learn whether it multiplexes (h2) rather
  // than open another; on plain http (HTTP/1.1 only) that would serialize requests.
  if (url_scheme(t.request.url) == "https") set(CURLOPT_PIPEWAIT, 1L);
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  set(CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
  set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(&t));
  // Only when set: an empty CURLOPT_PROXY would switch off the *_proxy environment variables.
  if (!o.proxy.empty()) set(CURLOPT_PROXY, o.proxy.c_str());
  if (!o.ca_bundle.empty()) set(CURLOPT_CAINFO, o.ca_bundle.c_str());
  set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl can decode
  set(CURLOPT_USERAGENT, o.user_agent.c_str());
  set(CURLOPT_FOLLOWLOCATION, o.return_redirects ? 0L : 1L);
  if (t.connect_to) set(CURLOPT_CONNECT_TO, t.connect_to.get());
  set(CURLOPT_MAXREDIRS, static_cast<long>(std::max(o.max_redirects, 0)));
  set(CURLOPT_PROTOCOLS_STR, "http,https,file");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");  // a web page must not read local files
  set(CURLOPT_ERRORBUFFER, t.errbuf);
  set(CURLOPT_HEADERFUNCTION, &on_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&t));
  set(CURLOPT_WRITEFUNCTION, &on_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
  if (t.headers) set(CURLOPT_HTTPHEADER, t.headers.get());
  if (const auto& post = t.request.post) {
    // The body lives in t.request as long as the transfer; a POST is never redirected.
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post->body.size()));
    set(CURLOPT_POSTFIELDS, post->body.data());
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_PROTOCOLS_STR, "http,https");
  }
  return rc;
}

// "203.0.113.7:80" or "[::1]:8080", and the address bytes.
std::string peer_text(const sockaddr* address, const unsigned char*& bytes, std::size_t& size) {
  char text[INET6_ADDRSTRLEN] = {};
  int port = 0;
  if (address->sa_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(address);
    bytes = reinterpret_cast<const unsigned char*>(&a->sin_addr);
    size = 4;
    port = ntohs(a->sin_port);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(port);
  }
  if (address->sa_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(address);
    bytes = reinterpret_cast<const unsigned char*>(&a->sin6_addr);
    size = 16;
    port = ntohs(a->sin6_port);
    inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    return std::string("[").append(text).append("]:").append(std::to_string(port));
  }
  bytes = nullptr;
  size = 0;
  return "a non-IP address";
}

}  // namespace

bool peer_allowed(const FetchOptions& options, const sockaddr* address, std::string& refused) {
  if (options.allow_private) return true;
  const unsigned char* bytes = nullptr;
  std::size_t size = 0;
  const std::string peer = peer_text(address, bytes, size);
  const AddressKind kind = classify_address_bytes(bytes, size);
  if (!needs_allow_private(kind)) return true;
  if (std::find(options.trusted_peers.begin(), options.trusted_peers.end(), peer) !=
      options.trusted_peers.end()) {
    return true;
  }
  refused = peer + " (" + address_kind_name(kind) + ")";
  return false;
}

Result<std::unique_ptr<Transfer>> make_transfer(const Request& request, const FetchOptions& options,
                                                const std::string& connect_to) {
  auto t = std::make_unique<Transfer>();
  t->request = request;
  t->options = options;
  t->easy.reset(curl_easy_init());
  if (!connect_to.empty()) t->connect_to.reset(curl_slist_append(nullptr, connect_to.c_str()));
  if (!t->easy || !set_request_headers(*t) || (!connect_to.empty() && !t->connect_to)) {
    return make_error(Errc::io, "cannot create a curl handle (out of memory?)", request.url);
  }
  if (const CURLcode rc = set_options(*t); rc != CURLE_OK) {
    return make_error(Errc::unsupported,
                      std::string("libcurl refused an option: ") + curl_easy_strerror(rc) +
                          "; feedgate needs libcurl 7.85 or newer",
                      request.url);
  }
  t->started = std::chrono::steady_clock::now();
  return t;
}

}  // namespace fg::fetch
