#pragma once
// Internal: the event loop behind Fetcher (a curl multi handle on an Asio io_context, on its
// own thread). Kept out of fetcher.hpp so that Asio and curl stay out of public headers.

#include <memory>

#include "fetch/fetcher.hpp"

namespace fg::fetch {

class Engine {
 public:
  explicit Engine(FetchOptions options);
  ~Engine();  // fails what is queued or running, then joins the loop thread
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Queues a request; `done` runs on the loop thread. `connect_to` ("host:port:address:port",
  // CURLOPT_CONNECT_TO) pins the address connected to, or a proxy's CONNECT, when not empty.
  void submit(Request request, FetchCallback done, std::string connect_to = {});
  // Fails what is queued or running ("fetcher stopped") and joins the loop thread; requests
  // submitted from then on fail at once, on the caller's thread. Idempotent.
  void stop();
  bool on_loop_thread() const;
  // Takes each request's turn from `gate` (Fetcher::use_gate) once it has a local slot.
  void use_gate(std::shared_ptr<HostGate> gate);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fg::fetch
