// The Beast side of the server: reading requests and writing replies, one Session per
// connection. Every HTTP decision is made in http_rules.cpp; this file only moves bytes. It is
// the one translation unit that includes Beast, which is slow to compile.

#include "serve/connection.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <ctime>
#include <limits>
#include <optional>

#include "serve/http_metrics.hpp"
#include "serve/http_rules.hpp"
#include "serve/request_framing.hpp"
#include "serve/send_parts.hpp"
#include "serve/websub.hpp"

namespace fg::serve::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// How long a closing connection drains unread request bytes, so the client sees our error
// reply instead of a reset.
constexpr std::chrono::seconds kLingerTime{1};
constexpr std::size_t kLingerBytes = 64 * 1024;

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

// What framing_error() judges of a request head that `head_bytes` bytes carried.
RequestHead head_of(const http::request_header<>& request, std::size_t head_bytes) {
  RequestHead head;
  head.version = request.version();
  head.head_bytes = head_bytes;
  for (const auto& field : request) {
    const std::string_view value(field.value().data(), field.value().size());
    if (field.name() == http::field::transfer_encoding) head.transfer_encoding.push_back(value);
    if (field.name() == http::field::host) head.host.push_back(value);
  }
  return head;
}

// "Date: <IMF-fixdate>\r\n", formatted at most once a second per thread.
std::string_view date_line() {
  thread_local std::time_t cached_second = -1;
  thread_local std::string line;
  const std::time_t second = std::time(nullptr);
  if (second != cached_second) {
    cached_second = second;
    line = "Date: " + format_http_date(now_seconds()) + "\r\n";
  }
  return line;
}

// "HTTP/1.1 200 OK\r\n" and the like.
void append_status_line(std::string& out, unsigned version, int status) {
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  out.append(reason.data(), reason.size());
  out += "\r\n";
}

}  // namespace

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One connection: reads a request, writes its reply, and only then reads the next, which keeps
// pipelined replies in order. Owns itself through shared_from_this; its io_context runs on one
// thread, so it needs no strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<State> state)
      : stream_(std::move(socket)), state_(std::move(state)) {
    head_.reserve(512);
  }

  ~Session() {
    std::lock_guard lock(state_->sessions_mutex);
    state_->sessions.erase(this);
  }

  void run() {
    {
      std::lock_guard lock(state_->sessions_mutex);
      state_->sessions.emplace(this, weak_from_this());
    }
    error_code ignored;
    stream_.socket().native_non_blocking(true, ignored);  // send_some() must never block
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // Called by the sweeper from another thread: closes the connection when its deadline passed.
  void close_if_late(std::int64_t now) {
    if (now < deadline_.load(std::memory_order_relaxed)) return;
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      // Re-checked here: the session may have moved on to a new step with a new deadline.
      if (steady_ms() >= self->deadline_.load(std::memory_order_relaxed)) self->stream_.cancel();
    });
  }

  // Called by stop(): a connection waiting for its next request, or draining before close, is
  // closed now; one that is answering closes after its reply (see on_write).
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->reading_ || self->lingering_) self->stream_.cancel();
    });
  }

 private:
  // Waits up to idle_timeout for the first bytes of a request, then gives the whole request
  // request_timeout to arrive: a client trickling bytes cannot hold the connection forever.
  void read() {
    if (state_->stopping) return close();
    reading_ = true;
    if (buffer_.size() > 0) return read_request();  // pipelined: already here
    set_deadline(state_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              if (ec) {
                                self->reading_ = false;
                                return self->close();
                              }
                              self->buffer_.commit(n);
                              self->read_request();
                            });
  }

  void read_request() {
    parser_.emplace();  // a fresh parser per request, so limits apply to each one
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
    // GET and HEAD carry no body; a form posted to a Handler's path or to /websub may (checked
    // in on_head).
    parser_->body_limit(
        std::max<std::uint64_t>(state_->handlers.empty() ? 0 : kMaxHandlerBody, kMaxHubFormBytes));
    set_deadline(state_->options.request_timeout);
    // The head first, on its own: its size is what the header limit is about, and its framing is
    // judged before any body byte is read.
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](error_code ec, std::size_t head_bytes) {
                              self->on_head(ec, head_bytes);
                            });
  }

  void on_head(error_code ec, std::size_t head_bytes) {
    if (ec) return on_read(ec);
    if (const int status =
            framing_error(head_of(parser_->get(), head_bytes), state_->options.max_header_bytes)) {
      reading_ = false;
      return send(plan_error(status), 11, false);
    }
    if (parser_->is_done()) return on_read({});
    // A body (chunked or with a Content-Length): only a Handler's path may carry one that is not
    // empty. Elsewhere a Content-Length > 0 is refused now and chunks by a body limit of 0.
    if (is_hub_form(parser_->get())) {
      parser_->body_limit(kMaxHubFormBytes);
    } else if (handler_for(parser_->get()) == nullptr) {
      if (!parser_->chunked()) {
        reading_ = false;
        return send(plan_error(413), 11, false);
      }
      parser_->body_limit(0);
    }
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code read_ec, std::size_t) { self->on_read(read_ec); });
  }

  void on_read(error_code ec) {
    reading_ = false;
    if (ec) {
      const int status = status_for_read_error(ec);
      if (status == 0) return close();
      return send(plan_error(status), 11, false);
    }
    const auto& request = parser_->get();
    if (const Handler* handler = handler_for(request)) return hand_over(*handler, request);
    if (is_hub_form(request)) return answer_hub(request);
    RequestInfo info;
    info.method = std::string_view(request.method_string().data(), request.method_string().size());
    info.target = std::string_view(request.target().data(), request.target().size());
    info.accept_encoding = header_value(request, http::field::accept_encoding);
    info.if_none_match = header_value(request, http::field::if_none_match);
    info.if_modified_since = header_value(request, http::field::if_modified_since);
    // The snapshot is taken once per request; a concurrent publish() does not affect it.
    const std::shared_ptr<const Site> site = state_->site.load();
    Reply reply = plan_reply(info, *site, &state_->shaped);
    if (state_->options.on_request) {
      state_->options.on_request(info.method, info.target, reply.status, reply.body_bytes());
    }
    send(std::move(reply), request.version(), request.keep_alive());
  }

  // A POST to /websub while the Site has a WebSub hub: its form is read and handed to the hub.
  bool is_hub_form(const http::request<http::string_body>& request) const {
    const std::string_view method(request.method_string().data(), request.method_string().size());
    const std::string_view target(request.target().data(), request.target().size());
    return is_hub_request(method, target, *state_->site.load());
  }

  void answer_hub(const http::request<http::string_body>& request) {
    const std::shared_ptr<const Site> site = state_->site.load();
    const std::string_view method(request.method_string().data(), request.method_string().size());
    const std::string_view target(request.target().data(), request.target().size());
    const auto content_type = header_value(request, http::field::content_type);
    Reply reply = plan_hub_reply(content_type.value_or(""), request.body(), *site);
    if (state_->options.on_request) {
      state_->options.on_request(method, target, reply.status, reply.body_bytes());
    }
    send(std::move(reply), request.version(), request.keep_alive());
  }

  // The Handler answering the request's path, or null when the Site answers it.
  const Handler* handler_for(const http::request<http::string_body>& request) const {
    if (state_->handlers.empty()) return nullptr;
    const std::string_view target(request.target().data(), request.target().size());
    if (target.size() > kMaxTargetLength) return nullptr;  // plan_reply answers 414
    auto it = state_->handlers.find(route_path(target));
    return it == state_->handlers.end() ? nullptr : it->second.get();
  }

  // Gives the request to its Handler and waits, reading nothing, for the reply it sends from
  // whichever thread: the reply is posted back to this session's thread. The session is kept
  // in State::waiting meanwhile, under a ticket, so a late or repeated reply answers nothing.
  void hand_over(const Handler& handler, const http::request<http::string_body>& request) {
    HandlerRequest asked;
    asked.method.assign(request.method_string().data(), request.method_string().size());
    asked.target.assign(request.target().data(), request.target().size());
    if (auto type = header_value(request, http::field::content_type)) asked.content_type = *type;
    asked.body = request.body();
    error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) asked.client = peer.address().to_string();
    const std::uint64_t ticket = ++next_ticket_;
    {
      std::lock_guard lock(state_->waiting_mutex);
      state_->waiting[this] = {shared_from_this(), ticket};
    }
    // The Handler bounds its own time; the sweeper must not count it as an idle client.
    deadline_.store(std::numeric_limits<std::int64_t>::max(), std::memory_order_relaxed);
    // Weak: the State holds the Handler, which holds this until it replies; a strong reference
    // would let the State die on the Handler's thread, taking the Handler with it.
    Respond respond = [weak_state = std::weak_ptr<State>(state_), key = this, ticket,
                       version = request.version(), keep_alive = request.keep_alive(),
                       method = asked.method, target = asked.target](HandlerReply answer) mutable {
      const std::shared_ptr<State> state = weak_state.lock();
      if (!state) return;  // the server is gone
      std::lock_guard lock(state->waiting_mutex);
      auto it = state->waiting.find(key);
      if (!state->replies_open || it == state->waiting.end() || it->second.ticket != ticket) return;
      std::shared_ptr<Session> self = std::move(it->second.session);
      state->waiting.erase(it);
      net::post(self->stream_.get_executor(), [self, answer = std::move(answer), version,
                                               keep_alive, method = std::move(method),
                                               target = std::move(target)]() mutable {
        Reply reply = plan_handler_reply(std::move(answer), method == "HEAD");
        if (self->state_->options.on_request) {
          self->state_->options.on_request(method, target, reply.status, reply.body_bytes());
        }
        self->send(std::move(reply), version, keep_alive);
      });
    };
    try {
      handler.handle(std::move(asked), respond);
    } catch (...) {
      HandlerReply failed;
      failed.status = 500;
      failed.content_type = "text/plain; charset=utf-8";
      failed.body = "this page failed; the server's log may say why\n";
      respond(std::move(failed));
    }
  }

  // Serializes the head into a buffer the session reuses and sends it, then the body from where
  // it lives (memory or a BodyFile): the body is never copied into user space.
  void send(Reply reply, unsigned version, bool keep_alive) {
    reply_ = std::move(reply);  // holds the Resource the body points into until the write ends
    keep_alive = keep_alive && !reply_.close;
    head_.clear();
    append_status_line(head_, version, reply_.status);
    head_ += "Server: feedgate\r\n";
    head_ += date_line();
    if (!reply_.head.empty()) {
      head_ += reply_.head;
    } else {
      for (const auto& [name, value] : reply_.headers) head_ += name + ": " + value + "\r\n";
      if (reply_.content_length) {
        head_ += "Content-Length: " + std::to_string(*reply_.content_length) + "\r\n";
      }
    }
    if (!keep_alive && version >= 11) head_ += "Connection: close\r\n";
    if (keep_alive && version < 11) head_ += "Connection: keep-alive\r\n";
    head_ += "\r\n";
    out_ = {};
    out_.memory = {head_, reply_.body, reply_.body_tail};
    out_.file = {reply_.file[0], reply_.file[1]};
    set_deadline(state_->options.idle_timeout);
    pump(keep_alive);
  }

  // Writes what the socket takes now (most replies go at once, like nginx, with no event-loop
  // round trip) and waits for it to become writable for the rest.
  void pump(bool keep_alive) {
    int err = 0;
    const SendState sent = send_some(stream_.socket().native_handle(), out_, err);
    if (sent == SendState::would_block) {
      stream_.socket().async_wait(tcp::socket::wait_write,
                                  [self = shared_from_this(), keep_alive](error_code ec) {
                                    if (ec) return self->on_write(ec, self->out_.sent, keep_alive);
                                    self->pump(keep_alive);
                                  });
      return;
    }
    error_code ec;
    if (sent == SendState::failed) ec.assign(err, boost::system::system_category());
    on_write(ec, out_.sent, keep_alive);
  }

  void on_write(error_code ec, std::size_t bytes, bool keep_alive) {
    count_request(reply_.route, reply_.status, bytes);
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
    set_deadline(kLingerTime);
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

  // A deadline per step (idle wait, request, write, linger) checked by the sweeper, rather than a
  // timer re-armed per operation: setting it costs one clock read and one relaxed store.
  void set_deadline(std::chrono::milliseconds timeout) {
    deadline_.store(steady_ms() + timeout.count(), std::memory_order_relaxed);
  }

  beast::tcp_stream stream_;
  std::shared_ptr<State> state_;
  std::atomic<std::int64_t> deadline_{std::numeric_limits<std::int64_t>::max()};
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::uint64_t next_ticket_ = 0;  // of the requests handed to a Handler
  std::string head_;
  Reply reply_;
  Outgoing out_;
  bool reading_ = false;
  bool lingering_ = false;
  std::array<char, 4096> drain_buffer_{};
  std::size_t drained_ = 0;
};

void start_session(tcp::socket socket, std::shared_ptr<State> state) {
  std::make_shared<Session>(std::move(socket), std::move(state))->run();
}

void close_if_late(const std::shared_ptr<Session>& session, std::int64_t now) {
  session->close_if_late(now);
}

void close_if_idle(const std::shared_ptr<Session>& session) {
  session->close_if_idle();
}

void drop_waiting(State& state) {
  std::unordered_map<const Session*, Waiting> released;
  {
    std::lock_guard lock(state.waiting_mutex);
    state.replies_open = false;
    released.swap(state.waiting);
  }
  // Outside the lock: ~Session takes the sessions mutex.
}

}  // namespace fg::serve::detail
