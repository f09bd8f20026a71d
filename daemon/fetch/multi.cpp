// The Fetcher's engine: one curl multi handle driven by an Asio io_context on one thread with
// the socket-action API. curl says which sockets to watch (on_socket) and when its timer is due
// (on_timer); Asio waits for readiness and calls curl_multi_socket_action. Everything below runs
// on that thread; other threads only post() to it.

#include <poll.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/url.hpp"
#include "fetch/fetch_engine.hpp"
#include "fetch/host_limits.hpp"
#include "fetch/transfer.hpp"

namespace fg::fetch {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::once_flag g_curl_init;

void init_curl_once() {
  // Process-wide and not thread-safe in curl itself, hence call_once; never cleaned up, as
  // other libraries in the process may still use curl at exit.
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A socket curl asked us to watch. The descriptor is curl's: released, never closed, by us.
struct Watch {
  Watch(asio::io_context& io, curl_socket_t fd) : descriptor(io, fd) {}
  asio::posix::stream_descriptor descriptor;
  int wanted = 0;  // CURL_POLL_IN / OUT / INOUT
  bool waiting[2] = {false, false};
  bool removed = false;
};

struct Waiting {
  Request request;
  FetchCallback done;
  std::string host;
  std::string connect_to;
};

struct Running {
  std::unique_ptr<Transfer> transfer;
  FetchCallback done;
  std::string host;
};

void deliver(const FetchCallback& done, Result<Response> result) {
  try {
    done(std::move(result));
  } catch (const std::exception&) {
    // A callback that throws must not take the event loop down; its caller loses the answer.
  }
}

}  // namespace

struct Engine::Impl {
  // Declared first, destroyed last: every pending handler (which holds `this`) is destroyed
  // with it, after the thread that runs them has been joined.
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  asio::steady_timer curl_timer{io};
  asio::steady_timer gate_timer{io};
  FetchOptions options;
  HostLimits limits;
  CURLM* multi = nullptr;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watch>> watches;
  std::unordered_map<CURL*, Running> running;
  std::list<Waiting> waiting;
  std::optional<Clock::time_point> gate_due;
  // With a HostGate: its calls (database round trips) run on this thread, so the loop never
  // waits on the database; one thread, so turns are asked for in the order requests got slots.
  std::unique_ptr<asio::thread_pool> gate_pool;
  std::shared_ptr<HostGate> gate;
  // Requests holding a local slot while their turn is asked for, then until it comes.
  std::unordered_map<std::uint64_t, Waiting> turning;
  std::uint64_t turns_asked = 0;
  std::thread thread;
  // Set by stop(), under submit_mutex: a request submitted after it fails at once instead of
  // being posted to a loop that will never run it again.
  std::mutex submit_mutex;
  bool stopped = false;

  explicit Impl(FetchOptions o)
      : options(std::move(o)), limits(options.concurrency, options.per_host, options.min_gap) {}

  // --- curl callbacks (called from inside curl_multi_* on the loop thread) ---

  static int on_socket(CURL*, curl_socket_t fd, int what, void* user, void*) {
    auto* self = static_cast<Impl*>(user);
    if (what == CURL_POLL_REMOVE) {
      self->unwatch(fd);
    } else {
      self->watch(fd, what);
    }
    return 0;
  }

  static int on_timer(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<Impl*>(user);
    self->curl_timer.cancel();
    if (timeout_ms < 0) return 0;
    // Even a 0 ms timeout goes through the timer: curl must not be re-entered from here.
    self->curl_timer.expires_after(std::chrono::milliseconds(timeout_ms));
    self->curl_timer.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->act(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
  }

  // --- socket watching ---

  void watch(curl_socket_t fd, int what) {
    auto& w = watches[fd];
    if (!w) w = std::make_shared<Watch>(io, fd);
    w->wanted = what;
    arm(w, fd, 0);
    arm(w, fd, 1);
  }

  void unwatch(curl_socket_t fd) {
    const auto it = watches.find(fd);
    if (it == watches.end()) return;
    it->second->removed = true;
    boost::system::error_code ignored;
    it->second->descriptor.cancel(ignored);
    it->second->descriptor.release();  // curl closes the socket itself
    watches.erase(it);
  }

  // Waits for readiness in one direction (0 = read, 1 = write) if curl wants it. Asio's epoll
  // is edge-triggered and curl expects level-triggered readiness, so a socket that is already
  // ready is acted on at once instead of waiting for an edge that may never come.
  void arm(const std::shared_ptr<Watch>& w, curl_socket_t fd, int dir) {
    const int flag = dir == 0 ? CURL_POLL_IN : CURL_POLL_OUT;
    if (w->removed || w->waiting[dir] || (w->wanted & flag) == 0) return;
    w->waiting[dir] = true;
    auto handler = [this, w, fd, dir, flag](const boost::system::error_code& ec) {
      w->waiting[dir] = false;
      if (ec || w->removed || (w->wanted & flag) == 0) return;
      act(fd, dir == 0 ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
      arm(w, fd, dir);
    };
    pollfd p{fd, static_cast<short>(dir == 0 ? POLLIN : POLLOUT), 0};
    if (::poll(&p, 1, 0) > 0) {
      asio::post(io, [handler] { handler({}); });
    } else {
      w->descriptor.async_wait(dir == 0 ? asio::posix::stream_descriptor::wait_read
                                        : asio::posix::stream_descriptor::wait_write,
                               handler);
    }
  }

  void act(curl_socket_t fd, int events) {
    int still_running = 0;
    curl_multi_socket_action(multi, fd, events, &still_running);
    collect_finished();
    start_ready();
  }

  // --- transfers ---

  void collect_finished() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;  // copied out: msg dies with remove_handle
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi, easy);
      const auto it = running.find(easy);
      if (it == running.end()) continue;
      Running done = std::move(it->second);
      running.erase(it);
      limits.finished(done.host);
      Result<Response> result = finish_transfer(*done.transfer, code);
      if (done.transfer->retry_after && !result) {
        limits.pause(done.host, Clock::now() + *done.transfer->retry_after);
        if (gate && !done.host.empty()) {
          asio::post(*gate_pool, [g = gate, host = done.host, wait = *done.transfer->retry_after] {
            g->pause(host, wait);
          });
        }
      }
      done.transfer.reset();
      deliver(done.done, std::move(result));
    }
  }

  // `slot_held`: limits.started was called when its turn was asked for.
  void start(Waiting w, bool slot_held = false) {
    auto transfer = make_transfer(w.request, options, w.connect_to);
    if (!transfer) {
      if (slot_held) limits.finished(w.host);
      return deliver(w.done, transfer.error());
    }
    CURL* easy = (*transfer)->easy.get();
    curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(transfer->get()));
    if (const CURLMcode rc = curl_multi_add_handle(multi, easy); rc != CURLM_OK) {
      if (slot_held) limits.finished(w.host);
      return deliver(
          w.done,
          make_error(Errc::io, std::string("curl refused a transfer: ") + curl_multi_strerror(rc),
                     w.request.url));
    }
    if (!slot_held) limits.started(w.host, Clock::now());
    running.emplace(easy, Running{std::move(*transfer), std::move(w.done), std::move(w.host)});
  }

  // Starts every waiting request the limits allow, in arrival order; fails those whose host is
  // paused; sets the gate timer for the earliest minimum gap to pass.
  void start_ready() {
    const auto now = Clock::now();
    std::optional<Clock::time_point> wake;
    for (auto it = waiting.begin(); it != waiting.end();) {
      const HostLimits::Decision d = limits.check(it->host, now);
      if (d.verdict == HostLimits::Verdict::wait_slot ||
          d.verdict == HostLimits::Verdict::wait_until) {
        if (d.verdict == HostLimits::Verdict::wait_until && (!wake || d.at < *wake)) wake = d.at;
        ++it;
        continue;
      }
      Waiting w = std::move(*it);
      it = waiting.erase(it);
      if (d.verdict == HostLimits::Verdict::paused) {
        deliver(w.done, paused_error(w, d.at - now));
      } else if (gate && !w.host.empty() && options.min_gap.count() > 0) {
        ask_turn(std::move(w), now);
      } else {
        start(std::move(w));
      }
    }
    if (wake && (!gate_due || *wake < *gate_due || *gate_due <= now)) arm_gate(*wake);
  }

  // The request keeps its local slot while the gate answers and until its turn: it then starts
  // at the time reserved for it, never later behind this process's own queue (which would let
  // it start too close to another instance's next turn).
  void ask_turn(Waiting w, Clock::time_point now) {
    limits.started(w.host, now);
    const std::uint64_t id = ++turns_asked;
    std::string host = w.host;
    turning.emplace(id, std::move(w));
    asio::post(*gate_pool, [this, id, host = std::move(host), g = gate, gap = options.min_gap] {
      Result<HostTurn> turn = g->take_turn(host, gap);
      asio::post(io, [this, id, turn = std::move(turn)]() mutable { take_turn(id, turn); });
    });
  }

  void take_turn(std::uint64_t id, const Result<HostTurn>& turn) {
    const auto it = turning.find(id);
    if (it == turning.end()) return;  // failed by shut_down
    if (turn && turn->paused.count() > 0) return refuse(id, turn->paused);
    if (turn) limits.set_per_host(std::max(1, options.per_host / std::max(1, turn->sharers)));
    // The database did not answer: wait one gap, so that a burst stays spaced by about it.
    const auto wait = turn ? turn->wait : options.min_gap;
    if (wait.count() <= 0) return launch(id);
    auto timer = std::make_shared<asio::steady_timer>(io, wait);
    timer->async_wait([this, id, timer](const boost::system::error_code& ec) {
      if (!ec) recheck(id);
    });
  }

  // A turn that was a while away: another process may have paused the host meanwhile.
  void recheck(std::uint64_t id) {
    const auto it = turning.find(id);
    if (it == turning.end()) return;
    asio::post(*gate_pool, [this, id, host = it->second.host, g = gate] {
      Result<std::chrono::milliseconds> paused = g->paused_for(host);
      asio::post(io, [this, id, paused = std::move(paused)] {
        if (paused && paused->count() > 0) return refuse(id, *paused);
        launch(id);
      });
    });
  }

  void refuse(std::uint64_t id, std::chrono::milliseconds paused) {
    const auto it = turning.find(id);
    if (it == turning.end()) return;
    Waiting refused = std::move(it->second);
    turning.erase(it);
    limits.finished(refused.host);
    limits.pause(refused.host, Clock::now() + paused);
    deliver(refused.done, paused_error(refused, paused));
    start_ready();
  }

  void launch(std::uint64_t id) {
    const auto it = turning.find(id);
    if (it == turning.end()) return;
    Waiting w = std::move(it->second);
    turning.erase(it);
    start(std::move(w), true);
    start_ready();  // a start that failed freed its slot
  }

  void arm_gate(Clock::time_point when) {
    gate_due = when;
    gate_timer.expires_at(when);
    gate_timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      gate_due.reset();
      start_ready();
    });
  }

  static Error paused_error(const Waiting& w, Clock::duration left) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
    return make_error(Errc::http_status,
                      "HTTP 429 or 503 earlier from " + w.host +
                          ", which asked not to be contacted yet; retry after " +
                          std::to_string(seconds) + " s",
                      w.request.url);
  }

  void shut_down() {
    const auto never_ran = [](Waiting& w) {
      deliver(w.done,
              make_error(Errc::io, "fetcher stopped before the request ran", w.request.url));
    };
    for (auto& w : waiting) never_ran(w);
    waiting.clear();
    for (auto& [id, w] : turning) never_ran(w);
    turning.clear();
    for (auto& [easy, r] : running) {
      curl_multi_remove_handle(multi, easy);
      deliver(r.done,
              make_error(Errc::io, "fetcher stopped during the request", r.transfer->request.url));
    }
    running.clear();
    curl_multi_cleanup(multi);  // may still call on_socket for cached connections
    multi = nullptr;
    for (auto& [fd, w] : watches) {
      w->removed = true;
      w->descriptor.release();
    }
    watches.clear();
    curl_timer.cancel();
    gate_timer.cancel();
    work.reset();
    io.stop();
  }
};

Engine::Engine(FetchOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  init_curl_once();
  Impl& i = *impl_;
  i.multi = curl_multi_init();
  if (i.multi == nullptr) throw std::bad_alloc();
  curl_multi_setopt(i.multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
  curl_multi_setopt(i.multi, CURLMOPT_SOCKETDATA, impl_.get());
  curl_multi_setopt(i.multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
  curl_multi_setopt(i.multi, CURLMOPT_TIMERDATA, impl_.get());
  curl_multi_setopt(i.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  // Idle connections kept for reuse: enough for every host slot in flight, and then some.
  curl_multi_setopt(i.multi, CURLMOPT_MAXCONNECTS,
                    static_cast<long>(std::max(i.options.concurrency, 1) * 2));
  i.thread = std::thread([&i] { i.io.run(); });
}

Engine::~Engine() {
  stop();
  if (impl_->multi != nullptr) curl_multi_cleanup(impl_->multi);  // the loop never ran it
}

void Engine::stop() {
  {
    std::lock_guard lock(impl_->submit_mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
    // Posted under the lock, so after every request submitted before: those fail with the rest.
    asio::post(impl_->io, [i = impl_.get()] { i->shut_down(); });
  }
  impl_->thread.join();
  if (impl_->gate_pool) impl_->gate_pool->join();  // its answers go to a loop that has stopped
}

void Engine::use_gate(std::shared_ptr<HostGate> gate) {
  Impl& i = *impl_;
  if (!gate || i.gate_pool) return;
  i.gate_pool = std::make_unique<asio::thread_pool>(1);
  asio::post(i.io, [&i, gate = std::move(gate)]() mutable {
    i.gate = std::move(gate);
    // Turns space the starts now, across processes; the local gap would only add to them.
    i.limits.set_min_gap(std::chrono::milliseconds{0});
  });
}

void Engine::submit(Request request, FetchCallback done, std::string connect_to) {
  std::unique_lock lock(impl_->submit_mutex);
  if (impl_->stopped) {
    lock.unlock();
    return deliver(done,
                   make_error(Errc::io, "fetcher stopped before the request ran", request.url));
  }
  std::string host = url_host(request.url);
  asio::post(impl_->io,
             [i = impl_.get(), w = Waiting{std::move(request), std::move(done), std::move(host),
                                           std::move(connect_to)}]() mutable {
               i->waiting.push_back(std::move(w));
               i->start_ready();
             });
}

bool Engine::on_loop_thread() const {
  return std::this_thread::get_id() == impl_->thread.get_id();
}

}  // namespace fg::fetch
