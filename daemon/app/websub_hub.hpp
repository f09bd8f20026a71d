#pragma once
// feedgate as the WebSub hub of its own feeds (W3C WebSub, 2018): takes POST /websub for the
// server (serve/websub.hpp), verifies intent by calling the subscriber back, keeps the
// subscriptions in the store, and POSTs each topic's document to its subscribers when a poll
// changed it. Every outbound call goes through its own Fetcher (the address policy of polling,
// no redirects) from one worker thread, so nothing here blocks polling or serving.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/websub_request.hpp"
#include "config/config.hpp"
#include "core/time.hpp"
#include "fetch/fetcher.hpp"
#include "serve/site.hpp"
#include "serve/websub.hpp"
#include "store/store.hpp"

namespace fg::app {

struct HubOptions {
  config::WebSubOptions websub;
  std::string base_url;       // this server's public URL, without a trailing '/'
  fetch::FetchOptions fetch;  // for callbacks; the hub sets no redirects and no per-host gap
  std::function<Timestamp()> now = [] { return now_seconds(); };  // leases' clock
};

// What /metrics and the status page show of the hub.
struct HubStats {
  std::map<std::string, int> subscribers;  // active subscriptions per feed id
  std::uint64_t deliveries = 0;            // POSTs answered 2xx
  std::uint64_t failures = 0;              // POSTs that failed (each retry counts)
  std::uint64_t dropped = 0;               // subscriptions dropped after a day of failures
};

// The resource at `path` in `site`: published, or rendered now by the site's renderer (a feed
// not rendered since start-up); null when there is none.
std::shared_ptr<const serve::Resource> site_resource(const serve::Site& site,
                                                     std::string_view path);

class WebSubHub final : public serve::Hub {
 public:
  // Loads the subscriptions whose lease runs and starts the worker thread.
  WebSubHub(store::Store& store, HubOptions options);
  ~WebSubHub() override;  // stop()
  WebSubHub(const WebSubHub&) = delete;
  WebSubHub& operator=(const WebSubHub&) = delete;

  serve::HubAnswer request(std::string_view content_type, std::string_view form,
                           const serve::Site& site) override;
  // After `feed_ids` were rendered anew and published in `site`: their subscribers (of the
  // plain feeds and of their shaped variants) each get the new document.
  void feeds_changed(const std::vector<std::string>& feed_ids,
                     std::shared_ptr<const serve::Site> site);
  HubStats stats() const;
  // Ends the worker and fails what is in flight; idempotent.
  void stop();

 private:
  using Key = std::pair<std::string, std::string>;  // topic, callback
  using Clock = std::chrono::steady_clock;
  struct Delivery {
    store::Subscription to;
    std::string content_type;
    std::shared_ptr<const std::string> body;
    std::string link;
    int failures = 0;
    Timestamp first_failure{};
  };

  // Runs `job` on the worker at `due`; dropped once stopping.
  void post(Clock::time_point due, std::function<void()> job);
  void run();
  // Removes what expired at now; when the next lease ends (or far ahead).
  Clock::time_point expire_leases();
  serve::HubAnswer admit(const websub::HubRequest& asked, const serve::Site& site);
  void verify(websub::HubRequest asked, std::string feed_id);
  void verified(const websub::HubRequest& asked, const std::string& feed_id,
                const std::string& challenge, const Result<fetch::Response>& answer);
  void deny(const websub::HubRequest& asked, std::string reason);
  void prepare_deliveries(std::set<std::string> feed_ids, std::shared_ptr<const serve::Site> site);
  void deliver(Delivery delivery);
  void delivered(Delivery delivery, const Result<fetch::Response>& answer);
  void drop(const Key& key, const std::string& why);
  void update_gauges_locked();

  store::Store& store_;
  HubOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, std::function<void()>> jobs_;
  std::map<Key, store::Subscription> active_;
  std::set<Key> pending_;  // verifications and denials queued or in flight
  HubStats counts_;        // deliveries, failures, dropped (subscribers come from active_)
  std::set<std::string> gauged_feeds_;
  bool stopping_ = false;
  std::thread worker_;
  fetch::Fetcher fetcher_;  // last: destroyed first, its last callbacks find the rest alive
};

}  // namespace fg::app
