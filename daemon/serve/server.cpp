// The Beast side of the server: accepting, reading, writing and shutting down. Every HTTP decision
// is made in http_rules.cpp; this file only moves bytes. It is the one translation unit that
// includes Beast, which is slow to compile.

#include "serve/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "serve/http_rules.hpp"
#include "serve/listen_address.hpp"

namespace fg::serve {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using beast::error_code;

// How long stop() lets in-flight requests finish before cancelling them.
constexpr std::chrono::seconds kStopGrace{2};
// How long a closing connection drains unread request bytes, so the client sees our error
// reply instead of a reset.
constexpr std::chrono::seconds kLingerTime{1};
constexpr std::size_t kLingerBytes = 64 * 1024;

class Session;

// What the listener and the sessions share; each holds it by shared_ptr, so it outlives them.
struct State {
  ServerOptions options;
  std::atomic<std::shared_ptr<const Site>> site{std::make_shared<const Site>()};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
};

// The status to answer a read error with; 0 means close without answering.
int status_for_read_error(const error_code& ec) {
  if (ec.category() != http::make_error_code(http::error::bad_target).category()) return 0;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit || ec == http::error::unexpected_body) return 413;
  return 400;
}

std::optional<std::string_view> header_value(const http::fields& fields, http::field name) {
  auto it = fields.find(name);
  if (it == fields.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

// One connection: reads a request, writes its reply, and only then reads the next, which keeps
// pipelined replies in order. Owns itself through shared_from_this and runs on its own strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<State> state)
      : stream_(std::move(socket)), state_(std::move(state)) {}

  ~Session() {
    std::lock_guard lock(state_->sessions_mutex);
    state_->sessions.erase(this);
  }

  void run() {
    {
      std::lock_guard lock(state_->sessions_mutex);
      state_->sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // Called by stop(): a connection waiting for its next request, or draining before close, is
  // closed now; one that is answering closes after its reply (see on_write).
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->reading_ || self->lingering_) self->stream_.cancel();
    });
  }

 private:
  void read() {
    if (state_->stopping) return close();
    parser_.emplace();  // a fresh parser per request, so limits apply to each one
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
    parser_->body_limit(0);  // GET and HEAD carry no body
    stream_.expires_after(state_->options.idle_timeout);
    reading_ = true;
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    reading_ = false;
    if (ec) {
      const int status = status_for_read_error(ec);
      if (status == 0) return close();
      return send(plan_error(status), 11, false);
    }
    const auto& request = parser_->get();
    RequestInfo info;
    info.method = std::string_view(request.method_string().data(), request.method_string().size());
    info.target = std::string_view(request.target().data(), request.target().size());
    info.accept_encoding = header_value(request, http::field::accept_encoding);
    info.if_none_match = header_value(request, http::field::if_none_match);
    info.if_modified_since = header_value(request, http::field::if_modified_since);
    // The snapshot is taken once per request; a concurrent publish() does not affect it.
    const std::shared_ptr<const Site> site = state_->site.load();
    send(plan_reply(info, *site), request.version(), request.keep_alive());
  }

  void send(Reply reply, unsigned version, bool keep_alive) {
    reply_ = std::move(reply);  // holds the Resource the body points into until the write ends
    keep_alive = keep_alive && !reply_.close;
    response_ = {};
    response_.version(version);
    response_.result(static_cast<unsigned>(reply_.status));
    response_.set(http::field::server, "feedgate");
    response_.set(http::field::date, format_http_date(now_seconds()));
    for (const auto& [name, value] : reply_.headers) response_.set(name, value);
    if (reply_.content_length) response_.content_length(*reply_.content_length);
    response_.body() = beast::span<const char>(reply_.body.data(), reply_.body.size());
    response_.keep_alive(keep_alive);
    stream_.expires_after(state_->options.idle_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](error_code ec, std::size_t) {
                        self->on_write(ec, keep_alive);
                      });
  }

  void on_write(error_code ec, bool keep_alive) {
    reply_ = {};
    // When stopping, a finished exchange leaves nothing worth draining: close at once.
    if (ec || state_->stopping) return close();
    if (!keep_alive) return linger();
    read();
  }

  // Half-closes, then drains what the client still sends for a bounded time before closing.
  void linger() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    lingering_ = true;
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) return self->close();
                              self->drain();
                            });
  }

  void close() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<State> state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::response<http::span_body<const char>> response_;
  Reply reply_;
  bool reading_ = false;
  bool lingering_ = false;
  std::array<char, 4096> drain_buffer_{};
  std::size_t drained_ = 0;
};

// Accepts connections, each onto a strand of its own.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, std::shared_ptr<State> state)
      : ioc_(ioc),
        acceptor_(net::make_strand(ioc)),
        retry_(acceptor_.get_executor()),
        state_(std::move(state)) {}

  Result<void> open(const tcp::endpoint& endpoint) {
    error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail(ec);
    return {};
  }

  unsigned short port() const {
    error_code ec;
    auto endpoint = acceptor_.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](error_code ec, tcp::socket socket) {
                             self->on_accept(ec, std::move(socket));
                           });
  }

  void close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_.cancel();
    });
  }

 private:
  void on_accept(error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || ec == net::error::operation_aborted) return;
    if (!ec) {
      std::make_shared<Session>(std::move(socket), state_)->run();
      return accept();
    }
    // Out of descriptors and the like: wait a little instead of spinning on the error.
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (!wait_ec && self->acceptor_.is_open()) self->accept();
    });
  }

  Error fail(const error_code& ec) const {
    std::string message = "cannot listen on " + state_->options.listen + ": " + ec.message();
    message += ec == net::error::address_in_use
                   ? "; is another feedgate running? change server.listen"
                   : "; check server.listen";
    return make_error(Errc::io, std::move(message), "server.listen");
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::shared_ptr<State> state_;
};

}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions options)
      : state(std::make_shared<State>()), ioc(std::max(options.threads, 1)) {
    state->options = std::move(options);
  }

  Result<void> start();
  void stop();

  std::shared_ptr<State> state;
  // Declared before what uses it, so it is destroyed last, together with the handlers it holds.
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  std::mutex lifecycle_mutex;  // start() and stop() from different threads
  bool started = false;
  bool stopped = false;
};

Result<void> Server::Impl::start() {
  std::lock_guard lock(lifecycle_mutex);
  if (started || stopped) {
    return make_error(Errc::invalid_argument, "the server was already started", "serve");
  }
  auto address = parse_listen(state->options.listen);
  if (!address) return address.error();
  error_code ec;
  auto ip = net::ip::make_address(address->host, ec);
  if (ec) {
    return make_error(
        Errc::config,
        "server.listen \"" + state->options.listen + "\": host must be an IP address or localhost",
        "server.listen");
  }
  listener = std::make_shared<Listener>(ioc, state);
  if (auto opened = listener->open(tcp::endpoint(ip, address->port)); !opened) return opened;
  listener->accept();
  work.emplace(ioc.get_executor());
  for (int i = 0; i < std::max(state->options.threads, 1); ++i) {
    threads.emplace_back([this] {
      // A handler that throws must not take the process down; the loop just carries on.
      while (true) {
        try {
          ioc.run();
          return;
        } catch (...) {
        }
      }
    });
  }
  started = true;
  return {};
}

void Server::Impl::stop() {
  std::lock_guard lock(lifecycle_mutex);
  if (!started || stopped) return;
  stopped = true;
  state->stopping = true;
  listener->close();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard sessions_lock(state->sessions_mutex);
    for (auto& [key, weak] : state->sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) session->close_if_idle();
  live.clear();  // our references must not keep sessions alive while we wait
  work.reset();
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard sessions_lock(state->sessions_mutex);
      if (state->sessions.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ioc.stop();
  for (auto& thread : threads) thread.join();
  threads.clear();
}

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() {
  stop();
}

Result<void> Server::start() {
  try {
    return impl_->start();
  } catch (const std::exception& e) {
    return make_error(Errc::io, std::string("cannot start the server: ") + e.what(),
                      impl_->state->options.listen);
  }
}

unsigned short Server::port() const {
  return impl_->listener ? impl_->listener->port() : 0;
}

void Server::publish(std::shared_ptr<const Site> site) {
  if (!site) site = std::make_shared<const Site>();
  impl_->state->site.store(std::move(site));
}

void Server::stop() {
  try {
    impl_->stop();
  } catch (...) {
    // Thread joins can only fail on a programming error; stop() must still not throw.
  }
}

}  // namespace fg::serve
