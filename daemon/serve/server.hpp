#pragma once
// The HTTP endpoint (Boost.Beast). It depends on no pipeline stage: it serves Resources that
// others prepared (prepare.hpp) and published as an immutable Site snapshot (site.hpp).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "serve/handler.hpp"
#include "serve/site.hpp"

namespace fg::serve {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one
  int threads = 1;
  std::chrono::milliseconds idle_timeout{30'000};
  // A request must arrive whole within this time once its first byte came (slow clients).
  std::chrono::milliseconds request_timeout{10'000};
  std::size_t max_header_bytes = 8 * 1024;
  // A listening TCP socket to accept on instead of binding `listen` (systemd socket activation);
  // the server takes ownership. -1: bind `listen`.
  int adopt_fd = -1;
  // Bytes of shaped feed variants (serve/shaping.hpp) kept for reuse; 0: none are kept.
  std::size_t shaped_cache_bytes = 32 << 20;
  // Called after each request is answered (an access log); empty: nothing is called.
  std::function<void(std::string_view method, std::string_view target, int status,
                     std::size_t body_bytes)>
      on_request{};
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Answers requests for `path` (any method, query and form body) through `handler` instead of
  // the Site. Call before start().
  void handle(std::string path, std::shared_ptr<const Handler> handler);
  // Binds and listens; Errc::io with the address when it cannot.
  Result<void> start();
  // The port actually bound (useful with port 0).
  unsigned short port() const;
  // Replaces what is served; requests in flight keep the snapshot they took.
  void publish(std::shared_ptr<const Site> site);
  // What is served now (the last published snapshot).
  std::shared_ptr<const Site> site() const;
  // Calls `tick` every `period` on the server's event loop (a watchdog ping: a wedged loop
  // stops calling it). Call after start(); ticks end with stop().
  void every(std::chrono::milliseconds period, std::function<void()> tick);
  // Stops accepting, lets in-flight requests finish (bounded), joins the threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fg::serve
