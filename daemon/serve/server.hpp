#pragma once
// The HTTP endpoint (Boost.Beast). It depends on no pipeline stage: it serves Resources that
// others prepared and published as an immutable Site snapshot.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"

namespace fg::serve {

// One representation ready to send, identity and gzip.
struct Resource {
  std::string content_type;  // e.g. "application/atom+xml; charset=utf-8"
  std::string body;
  std::string body_gzip;  // empty: no gzip variant
  std::string etag;       // strong validator of body, quoted: "\"abc\""
  std::string etag_gzip;  // of body_gzip
  Timestamp last_modified{};
  int max_age = 60;  // Cache-Control: public, max-age=N
};

// Everything the server can answer, keyed by request path ("/feeds/demo.atom", "/", ...).
struct Site {
  std::map<std::string, std::shared_ptr<const Resource>, std::less<>> resources;
};

// Builds a Resource, computing strong ETags (and gzip when worthwhile).
std::shared_ptr<const Resource> make_resource(std::string content_type, std::string body,
                                              Timestamp last_modified, int max_age,
                                              bool compress = true);

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int threads = 1;
  std::chrono::milliseconds idle_timeout{30'000};
  std::size_t max_header_bytes = 8 * 1024;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; Errc::io with the address when it cannot.
  Result<void> start();
  // The port actually bound (useful with port 0).
  unsigned short port() const;
  // Replaces what is served; requests in flight keep the snapshot they took.
  void publish(std::shared_ptr<const Site> site);
  // Stops accepting, lets in-flight requests finish (bounded), joins the threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fg::serve
