// The public Fetcher: options completed (proxy peers), async and blocking entry points.

#include "fetch/fetcher.hpp"

#include <netdb.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdlib>
#include <exception>
#include <future>

#include "core/url.hpp"
#include "fetch/fetch_engine.hpp"
#include "fetch/target_check.hpp"
#include "fetch/target_guard.hpp"
#include "fetch/transfer.hpp"

namespace fg::fetch {

namespace {

// Adds "address:port" of each address the proxy's host resolves to: with a proxy, that is the
// peer curl connects to, and the operator chose it (a proxy on loopback is common).
void add_proxy_peers(FetchOptions& options) {
  for (std::string proxy : proxy_urls(options)) {
    if (proxy.find("://") == std::string::npos) proxy = "http://" + proxy;
    std::string host = url_host(proxy);
    if (host.empty()) continue;
    if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::size_t authority = proxy.find("://") + 3;
    const std::size_t end = proxy.find('/', authority);
    const std::string hostport = proxy.substr(authority, end - authority);
    const std::size_t colon = hostport.rfind(':');
    const bool has_port =
        colon != std::string::npos && hostport.find(']', colon) == std::string::npos;
    const std::string port = has_port ? hostport.substr(colon + 1) : "1080";  // curl's default
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) continue;
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      std::string refused;
      FetchOptions strict;
      strict.allow_private = false;
      if (!peer_allowed(strict, a->ai_addr, refused)) {
        options.trusted_peers.push_back(refused.substr(0, refused.find(' ')));
      }
    }
    freeaddrinfo(found);
  }
}

FetchOptions completed(FetchOptions options) {
  if (!options.allow_private) add_proxy_peers(options);
  options.return_redirects = !options.allow_private && !proxy_urls(options).empty();
  return options;
}

}  // namespace

struct Fetcher::Impl {
  explicit Impl(FetchOptions options)
      : options(completed(std::move(options))), engine(this->options) {
    if (this->options.return_redirects)
      guard = std::make_unique<TargetGuard>(engine, this->options);
  }
  FetchOptions options;
  Engine engine;
  std::unique_ptr<TargetGuard> guard;  // behind a proxy only; destroyed before the engine
  std::atomic<bool> stopped{false};
};

Fetcher::Fetcher(FetchOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Fetcher::~Fetcher() = default;

void Fetcher::stop() {
  impl_->stopped = true;  // first: a request failing from here on is a cancellation
  if (impl_->guard) impl_->guard->stop();
  impl_->engine.stop();
}

bool Fetcher::stopped() const {
  return impl_->stopped;
}

void Fetcher::use_gate(std::shared_ptr<HostGate> gate) {
  impl_->engine.use_gate(std::move(gate));
}

void Fetcher::fetch_async(Request request, FetchCallback done) {
  if (impl_->guard) return impl_->guard->submit(std::move(request), std::move(done));
  impl_->engine.submit(std::move(request), std::move(done));
}

Result<Response> Fetcher::fetch(const Request& request) {
  if (impl_->engine.on_loop_thread()) {
    return make_error(Errc::invalid_argument,
                      "Fetcher::fetch called on the fetcher's own thread; use fetch_async",
                      request.url);
  }
  try {
    auto promise = std::make_shared<std::promise<Result<Response>>>();
    auto future = promise->get_future();
    fetch_async(request, [promise](Result<Response> r) { promise->set_value(std::move(r)); });
    return future.get();
  } catch (const std::exception& e) {
    return make_error(Errc::io, std::string("fetch failed: ") + e.what(), request.url);
  }
}

int http_status_of(const Error& error) {
  if (error.code != Errc::http_status || error.message.rfind("HTTP ", 0) != 0) return 0;
  return std::atoi(error.message.c_str() + 5);
}

std::optional<std::chrono::seconds> retry_after_of(const Error& error) {
  static const std::string kMarker = "retry after ";
  if (error.code != Errc::http_status) return std::nullopt;
  const std::size_t at = error.message.rfind(kMarker);
  if (at == std::string::npos) return std::nullopt;
  return std::chrono::seconds(std::atoll(error.message.c_str() + at + kMarker.size()));
}

bool refused_by_address_policy(const Error& error) {
  // Both refusals (a peer connected to, a target checked before a proxy) say so in these words.
  return error.code == Errc::network &&
         error.message.find("not a public address") != std::string::npos;
}

}  // namespace fg::fetch
