// The server's lifecycle: start (bind or adopt the socket, one thread per io_context), publish,
// the sweeper and tickers on the first io_context, and a two-phase stop. What happens on a
// connection is in connection.cpp.

#include "serve/server.hpp"

#include <malloc.h>
#include <signal.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "serve/body_file.hpp"
#include "serve/connection.hpp"
#include "serve/listen_address.hpp"
#include "serve/listener.hpp"

namespace fg::serve {

using namespace detail;

namespace {

// How long stop() lets in-flight requests finish before cancelling them.
constexpr std::chrono::seconds kStopGrace{2};

// Every 250 ms, closes connections past their deadline (idle, slow request, slow reader). Its
// pending wait holds it (shared_from_this), and it holds the State it reads, so a wait that
// completes after stop() touches nothing freed; no handler captures the Server.
class Sweeper : public std::enable_shared_from_this<Sweeper> {
 public:
  Sweeper(net::io_context& ioc, std::shared_ptr<State> state)
      : timer_(ioc), state_(std::move(state)) {}

  void arm() {
    timer_.expires_after(std::chrono::milliseconds(250));
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->state_->stopping) return;
      self->sweep();
      self->arm();
    });
  }

  // From any thread: cancels the pending wait on the timer's own thread.
  void cancel() {
    net::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
  }

 private:
  void sweep() {
    const std::int64_t now = steady_ms();
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(state_->sessions_mutex);
      live.reserve(state_->sessions.size());
      for (auto& [key, weak] : state_->sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    // Outside the lock: dropping the last reference runs ~Session, which takes it.
    for (auto& session : live) close_if_late(session, now);
  }

  net::steady_timer timer_;
  std::shared_ptr<State> state_;
};

// One io_context's thread. sendfile(2) has no MSG_NOSIGNAL: a reader hanging up mid-body must
// give EPIPE, not a SIGPIPE that ends the process, so SIGPIPE is blocked here, in the threads
// that send, and nowhere else. A handler that throws must not take the process down: it is
// logged and the loop carries on.
void run_io_thread(net::io_context& ctx) {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  while (true) {
    try {
      ctx.run();
      return;
    } catch (...) {
      log::thread_failed("serve", "that handler's connection is dropped; serving goes on");
    }
  }
}

}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions options) : state(std::make_shared<State>(std::move(options))) {
    for (int i = 0; i < std::max(state->options.threads, 1); ++i) {
      iocs.push_back(std::make_unique<net::io_context>(1));
    }
  }

  Result<void> start();
  void stop();

  std::shared_ptr<State> state;
  // Declared before what uses them, so they are destroyed last, with the handlers they hold.
  std::vector<std::unique_ptr<net::io_context>> iocs;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  std::shared_ptr<Listener> listener;
  std::vector<std::thread> threads;
  std::shared_ptr<Sweeper> sweeper;  // on iocs[0]; its pending wait keeps it alive
  std::mutex lifecycle_mutex;        // start() and stop() from different threads
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
  raise_descriptor_limit();
  listener = std::make_shared<Listener>(iocs, state);
  auto opened = state->options.adopt_fd >= 0 ? listener->adopt(state->options.adopt_fd)
                                             : listener->open(tcp::endpoint(ip, address->port));
  if (!opened) return opened;
  listener->accept();
  sweeper = std::make_shared<Sweeper>(*iocs.front(), state);
  sweeper->arm();
  for (auto& ioc : iocs) {
    work.push_back(net::make_work_guard(*ioc));
    // The io_context outlives the thread: stop() joins it before anything is destroyed.
    threads.emplace_back([ctx = ioc.get()] { run_io_thread(*ctx); });
  }
  started = true;
  return {};
}

void Server::Impl::stop() {
  std::lock_guard lock(lifecycle_mutex);
  if (!started || stopped) return;
  stopped = true;
  state->stopping = true;
  sweeper->cancel();
  listener->close();
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard sessions_lock(state->sessions_mutex);
    for (auto& [key, weak] : state->sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (auto& session : live) close_if_idle(session);
  live.clear();  // our references must not keep sessions alive while we wait
  work.clear();
  const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard sessions_lock(state->sessions_mutex);
      if (state->sessions.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& ioc : iocs) ioc->stop();
  for (auto& thread : threads) thread.join();
  threads.clear();
  drop_waiting(*state);  // while the io_contexts the waiting sessions use still exist
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

void Server::handle(std::string path, std::shared_ptr<const Handler> handler) {
  impl_->state->handlers[std::move(path)] = std::move(handler);
}

unsigned short Server::port() const {
  return impl_->listener ? impl_->listener->port() : 0;
}

void Server::publish(std::shared_ptr<const Site> site) {
  if (!site) site = std::make_shared<const Site>();
  impl_->state->shaped.drop_stale(*site);  // variants of feeds that changed
  impl_->state->site.store(std::move(site));
  // Rendering a site leaves freed pages in malloc's arenas; hand them back, so that resident
  // memory tracks what the snapshots hold. Runs on the publishing thread, never a serving one.
  ::malloc_trim(0);
}

std::shared_ptr<const Site> Server::site() const {
  return impl_->state->site.load();
}

namespace {
// A repeating timer that keeps itself alive through the handler it has pending.
struct Ticker : std::enable_shared_from_this<Ticker> {
  Ticker(net::io_context& ioc, std::chrono::milliseconds p, std::function<void()> f,
         std::shared_ptr<State> s)
      : timer(ioc), period(p), tick(std::move(f)), state(std::move(s)) {}
  void arm() {
    timer.expires_after(period);
    timer.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->state->stopping) return;
      self->tick();
      self->arm();
    });
  }
  net::steady_timer timer;
  std::chrono::milliseconds period;
  std::function<void()> tick;
  std::shared_ptr<State> state;
};
}  // namespace

void Server::every(std::chrono::milliseconds period, std::function<void()> tick) {
  std::make_shared<Ticker>(*impl_->iocs.front(), period, std::move(tick), impl_->state)->arm();
}

void Server::stop() {
  // Thread joins can only fail on a programming error; stop() must still not throw.
  try {
    impl_->stop();
  } catch (const std::exception& e) {
    log::error("server_stop_failed" + log::kv("error", e.what()));
  } catch (...) {
    log::error("server_stop_failed" + log::kv("error", "unknown"));
  }
}

}  // namespace fg::serve
