#pragma once
// Private to serve: accepting connections (asio only; each accepted socket goes to
// start_session, connection.hpp). Used by the server's lifecycle in server.cpp.

#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <memory>
#include <string>
#include <vector>

#include "serve/connection.hpp"

namespace fg::serve::detail {

// Accepts connections on the first io_context and deals them out round-robin, one io_context
// (and so one thread) per connection: threads share nothing on the hot path.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(std::vector<std::unique_ptr<net::io_context>>& iocs, std::shared_ptr<State> state)
      : iocs_(iocs),
        acceptor_(*iocs.front()),
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

  // Takes over a socket that is already listening (handed over by systemd).
  Result<void> adopt(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      return make_error(Errc::io,
                        "the inherited listening socket (fd " + std::to_string(fd) +
                            ") is not a socket; check the .socket unit",
                        "serve");
    }
    error_code ec;
    acceptor_.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
    if (ec) return fail(ec);
    return {};
  }

  unsigned short port() const {
    error_code ec;
    auto endpoint = acceptor_.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
  }

  void accept() {
    net::io_context& target = *iocs_[next_++ % iocs_.size()];
    acceptor_.async_accept(target, [self = shared_from_this()](error_code ec, tcp::socket socket) {
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
      start_session(std::move(socket), state_);
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

  std::vector<std::unique_ptr<net::io_context>>& iocs_;
  std::size_t next_ = 0;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::shared_ptr<State> state_;
};

}  // namespace fg::serve::detail
