#pragma once
// Internal: the Fetcher's front door when a proxy is in use and fetch.allow_private is false.
// Each URL, and each redirect target, is checked (check_target) on the guard's own thread, since
// resolving blocks, before the engine hands it to curl; curl follows no redirect by itself then.

#include <memory>

#include "fetch/fetch_engine.hpp"
#include "fetch/fetcher.hpp"

namespace fg::fetch {

class TargetGuard {
 public:
  // `engine` must outlive the guard.
  TargetGuard(Engine& engine, FetchOptions options);
  ~TargetGuard();  // fails what is queued ("fetcher stopped"), then joins its thread
  TargetGuard(const TargetGuard&) = delete;
  TargetGuard& operator=(const TargetGuard&) = delete;

  // Checks the request's target, runs it, and follows its redirects the same way; `done` runs
  // once, on the guard's or the engine's thread.
  void submit(Request request, FetchCallback done);
  // Fails what is queued ("fetcher stopped") and joins the guard's thread; requests submitted
  // from then on fail at once. Idempotent.
  void stop();

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace fg::fetch
