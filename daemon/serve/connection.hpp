#pragma once
// Private to serve: what the server's lifecycle (server.cpp: start, stop, sweeper, ticker) shares
// with its connection side (connection.cpp: one Session per connection, the one translation unit
// that includes Beast; listener.cpp: accepting).

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "serve/handler.hpp"
#include "serve/server.hpp"
#include "serve/shaped_cache.hpp"

namespace fg::serve::detail {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

class Session;

// A session waiting for a Handler's reply, and the ticket that reply must carry.
struct Waiting {
  std::shared_ptr<Session> session;
  std::uint64_t ticket = 0;
};

// What the listener and the sessions share; each holds it by shared_ptr, so it outlives them.
struct State {
  explicit State(ServerOptions o) : options(std::move(o)), shaped(options.shaped_cache_bytes) {}
  ServerOptions options;
  std::atomic<std::shared_ptr<const Site>> site{std::make_shared<const Site>()};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
  ShapedCache shaped;  // feed variants asked for by query parameters
  // Paths answered by a Handler (Server::handle), fixed before start().
  std::unordered_map<std::string, std::shared_ptr<const Handler>, PathHash, std::equal_to<>>
      handlers;
  // Sessions waiting for a Handler's reply, kept alive here rather than by the reply callback, so
  // that stop() can release them while their io_context still exists; a reply that finds its
  // session gone (or `replies_open` false) is dropped.
  std::mutex waiting_mutex;
  std::unordered_map<const Session*, Waiting> waiting;
  bool replies_open = true;
};

// Milliseconds on the steady clock, the unit of session deadlines.
std::int64_t steady_ms();

// Serves one accepted connection; the session owns itself from here on.
void start_session(tcp::socket socket, std::shared_ptr<State> state);
// Called by the sweeper from another thread: closes the connection when its deadline passed.
void close_if_late(const std::shared_ptr<Session>& session, std::int64_t now);
// Called by stop(): a connection waiting for its next request, or draining before close, is
// closed now; one that is answering closes after its reply.
void close_if_idle(const std::shared_ptr<Session>& session);
// Called by stop() once the io threads are joined: replies still owed are dropped, and the
// sessions waiting for them released.
void drop_waiting(State& state);

}  // namespace fg::serve::detail
