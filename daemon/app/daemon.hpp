#pragma once
// The running service (`feedgate serve`): its parts, built in dependency order and torn down in
// reverse. Each member is constructed from members declared above it, so no part is ever handed
// one that does not exist yet. The one reference pointing down the list, the scheduler's poll
// function using the publisher, cannot run before start(), which is called once every part
// exists; stop() ends polling and serving before any part is destroyed.

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "app/cluster_member.hpp"
#include "app/config_holder.hpp"
#include "app/publisher.hpp"
#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "pipeline/page_budget.hpp"
#include "pipeline/poll.hpp"
#include "pipeline/preview.hpp"
#include "schedule/scheduler.hpp"
#include "serve/server.hpp"
#include "store/store.hpp"

namespace fg::app {

class Daemon {
 public:
  // Opens the store, builds every part and starts the server (answering 503 for the feeds until
  // they are rendered); nullptr, with the reason logged, when the store or the listening socket
  // cannot be had. `config` must have been validated.
  static std::unique_ptr<Daemon> open(std::shared_ptr<const config::Config> config);
  ~Daemon();  // stop()
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Uses a config (the first one, or a reload): renders and publishes every feed, and gives the
  // scheduler its jobs.
  void apply(std::shared_ptr<const config::Config> config);
  // Starts polling and the watchdog pings; logs where it listens.
  void start();
  // "12 feeds, 340 items, 1 failing", for `systemctl status`.
  std::string status() const { return publisher_.summary(); }
  // Cancels the polls in flight (nothing half-done is stored), stops serving and polling;
  // idempotent.
  void stop();

 private:
  Daemon(std::shared_ptr<const config::Config> config, std::unique_ptr<store::Store> store,
         int adopt_fd);
  // One poll of one feed, on a scheduler worker.
  schedule::Outcome poll(const schedule::PollStart& start);

  ConfigHolder config_;
  std::atomic<bool> access_log_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<WebSubHub> hub_;  // null unless websub.enabled; published sites share it
  serve::Server server_;            // its access log reads access_log_
  fetch::Fetcher fetcher_;
  // Answers /preview for server_ (which holds it too), fetching through fetcher_.
  std::shared_ptr<pipeline::PreviewService> preview_;
  pipeline::PageBudget pages_;  // read at start; a reload keeps them
  pipeline::PollContext poll_context_;
  // With PostgreSQL: this instance's part in the cluster, the scheduler's SharedSchedule.
  std::unique_ptr<ClusterMember> cluster_;
  schedule::Scheduler scheduler_;  // polls (through poll()) only once start() is called
  Publisher publisher_;            // asks scheduler_ when feeds poll next
  std::thread preload_;            // loads what shaped variants need (pipeline::preload_shaping)
  std::atomic<bool> stopped_{false};
};

}  // namespace fg::app
