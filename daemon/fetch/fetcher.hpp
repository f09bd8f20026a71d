#pragma once
// HTTP(S) and file:// fetching: one libcurl multi handle driven by an Asio event loop on one
// thread (no thread per request), with connection reuse, HTTP/2, a DNS cache, politeness
// limits, size/time limits, redirects, conditional GET and the private-address refusal.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace fg::fetch {

struct FetchOptions {
  std::string user_agent = "feedgate";
  std::chrono::milliseconds timeout{30'000};        // whole request; connect gets min(this, 10s)
  std::chrono::milliseconds stall_timeout{30'000};  // abort when no byte arrives for this long
  std::uint64_t max_body = 8ull << 20;      // Errc::too_large past this many (decompressed) bytes
  int max_redirects = 5;                    // only to http/https; never to file:// or others
  int concurrency = 8;                      // transfers in flight overall
  int per_host = 2;                         // transfers in flight per host
  std::chrono::milliseconds min_gap{1000};  // between the starts of two requests to one host
  bool allow_private = false;  // false: refuse loopback/private/link-local/... peer addresses
  std::string proxy;           // e.g. "http://proxy:3128"; empty: curl's *_proxy env variables
  std::string ca_bundle;       // PEM file of trusted CAs; empty: the system's
  // Peers ("203.0.113.7:3128", "[::1]:8080") allowed even when allow_private is false. The
  // Fetcher adds the proxies' own addresses; tests use it to reach a first loopback hop.
  std::vector<std::string> trusted_peers;
  // Set by the Fetcher when a proxy is in use and allow_private is false: curl then follows no
  // redirect itself, so that the Fetcher checks each target before the proxy is asked for it.
  bool return_redirects = false;
};

// Validators from an earlier response of the same URL, sent as If-None-Match/If-Modified-Since.
struct Validators {
  std::string etag;
  std::string last_modified;
  bool empty() const { return etag.empty() && last_modified.empty(); }
};

// A request body: the request is then a POST, to http or https only, and never redirected.
struct PostBody {
  std::string content_type;
  std::string body;
  std::vector<std::string> headers;  // more header lines, "Name: value"
};

struct Request {
  std::string url;                 // http, https or file
  Validators validators;           // may be empty
  std::optional<PostBody> post{};  // none: a GET
};

struct Response {
  int status = 0;            // 200, 304, ... (200 for file:// reads)
  std::string final_url;     // after redirects
  std::string content_type;  // Content-Type header, verbatim; empty for files
  std::string body;          // decompressed bytes; empty on 304
  Validators validators;     // ETag / Last-Modified of this response
  std::chrono::milliseconds elapsed{0};
  std::string redirect_url;  // only with FetchOptions::return_redirects: the 3xx's Location
  bool not_modified() const { return status == 304; }
};

using FetchCallback = std::function<void(Result<Response>)>;

// A host's turn, as the processes sharing its politeness (feedgate instances on one database)
// agree on it.
struct HostTurn {
  std::chrono::milliseconds wait{0};    // start no sooner than this from now
  std::chrono::milliseconds paused{0};  // > 0: the host may not be asked for this long
  int sharers = 1;                      // processes sharing the host's per_host, at least 1
};

// Politeness shared with other processes. Without one (the default), min_gap, per_host and
// Retry-After pauses are this process's alone. With one, every request to a host when min_gap
// is set first takes a turn from it: the turns are spaced by min_gap across all processes, a
// pause any of them recorded refuses the request, and per_host is split among the sharers.
class HostGate {
 public:
  virtual ~HostGate() = default;
  // The next turn at `host`, min_gap after the previous one any process took. May block (a
  // database round trip): the Fetcher calls it on a thread of its own, never on its event loop.
  virtual Result<HostTurn> take_turn(const std::string& host,
                                     std::chrono::milliseconds min_gap) = 0;
  // How long `host` stays paused (0: not paused), asked again just before a request whose turn
  // was a while away: a pause recorded meanwhile by another process still holds. May block.
  virtual Result<std::chrono::milliseconds> paused_for(const std::string& host) = 0;
  // `host` answered 429/503 with Retry-After `wait`: the others leave it alone too. May block.
  virtual void pause(const std::string& host, std::chrono::milliseconds wait) = 0;
};

// Runs every transfer on its own event-loop thread; safe to call from any number of threads.
// Requests wait in one queue until the global and per-host limits let them start; a host that
// answered 429/503 with Retry-After is not asked again until then (requests fail at once).
class Fetcher {
 public:
  explicit Fetcher(FetchOptions options);
  ~Fetcher();  // fails queued and running requests ("fetcher stopped"), then joins its thread
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // Starts a fetch; `done` runs once, on one of the fetcher's threads, so it must be quick and must
  // not call fetch(). 2xx and 304 are successes; other statuses are Errc::http_status with the
  // status in the message (and "retry after N s" when the server said so); network problems
  // are Errc::network / Errc::timeout; oversize Errc::too_large.
  void fetch_async(Request request, FetchCallback done);

  // fetch_async, waiting for the outcome. For worker threads, never for the fetcher's own.
  Result<Response> fetch(const Request& request);

  // Cancels everything: queued and running requests fail now (Errc::io, "fetcher stopped ..."),
  // and so does every request made from then on, at once. For shutting down while polls are in
  // flight: they end promptly instead of waiting for their responses. Idempotent; any thread
  // but the fetcher's own.
  void stop();
  // Whether stop() was called: a caller whose request failed tells a cancellation from a fault.
  bool stopped() const;
  // Shares politeness through `gate` from now on (see HostGate); before the first fetch.
  void use_gate(std::shared_ptr<HostGate> gate);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Why the address policy (allow_private, trusted_peers) refuses the host of http(s) `url` when
// that host is an IP literal or a localhost name ("10.0.0.1:80 (private)"); empty when allowed
// or a host name, which is judged when connecting. Never blocks: for checks on a serving thread.
std::string refused_literal_host(const std::string& url, const FetchOptions& options);

// The status of an Errc::http_status error ("HTTP 503 from ..."), or 0 for any other error.
int http_status_of(const Error& error);

// How long the server asked us to wait (Retry-After on a 429/503, "retry after N s" in the
// message), or nullopt. Requests to that host fail at once until then.
std::optional<std::chrono::seconds> retry_after_of(const Error& error);

// Whether a fetch failed because the address policy refused its peer (fetch.allow_private,
// fetch.trusted_peers) rather than because the portal could not be reached.
bool refused_by_address_policy(const Error& error);

}  // namespace fg::fetch
