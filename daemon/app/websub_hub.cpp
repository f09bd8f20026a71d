// The hub's requests, verifications of intent, leases and worker thread (deliveries are in
// websub_delivery.cpp).

#include "app/websub_hub.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "serve/shaping.hpp"

namespace fg::app {
namespace {

using websub::HubRequest;
using websub::Mode;

fetch::FetchOptions callback_options(fetch::FetchOptions options) {
  options.max_redirects = 0;                       // a callback's redirect is never followed
  options.min_gap = std::chrono::milliseconds{0};  // many subscribers may share a host
  options.per_host = std::max(options.per_host, 4);
  options.max_body = 64 << 10;  // a verification answer is a challenge, not a document
  options.timeout = std::min(options.timeout, std::chrono::milliseconds{15'000});
  return options;
}

std::string_view mode_name(Mode mode) {
  return mode == Mode::subscribe ? "subscribe" : "unsubscribe";
}

// The challenge echoed: exactly, or with the line end a CGI script may add.
bool echoes(std::string_view body, std::string_view challenge) {
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) {
    body.remove_suffix(1);
  }
  return body == challenge;
}

}  // namespace

WebSubHub::WebSubHub(store::Store& store, HubOptions options)
    : store_(store), options_(std::move(options)), fetcher_(callback_options(options_.fetch)) {
  if (auto loaded = store_.subscriptions(options_.now())) {
    for (auto& s : *loaded) active_.emplace(Key{s.topic, s.callback}, std::move(s));
  } else {
    log::warning("websub_load_failed" + log::kv("error", loaded.error().describe()));
  }
  {
    std::lock_guard lock(mutex_);
    update_gauges_locked();
  }
  log::info("websub_hub" + log::kv("url", options_.base_url + "/websub") +
            log::kv("subscriptions", active_.size()));
  worker_ = std::thread([this] { run(); });
}

WebSubHub::~WebSubHub() {
  stop();
}

void WebSubHub::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    jobs_.clear();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  fetcher_.stop();
}

void WebSubHub::post(Clock::time_point due, std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    jobs_.emplace(due, std::move(job));
  }
  wake_.notify_all();
}

void WebSubHub::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const Clock::time_point next_expiry = expire_leases();
    lock.lock();
    const Clock::time_point now = Clock::now();
    if (!jobs_.empty() && jobs_.begin()->first <= now) {
      auto job = std::move(jobs_.begin()->second);
      jobs_.erase(jobs_.begin());
      lock.unlock();
      try {
        job();
      } catch (const std::exception& e) {  // one bad job must not end the hub
        log::warning("websub_job_failed" + log::kv("error", e.what()));
      }
      lock.lock();
      continue;
    }
    const Clock::time_point until =
        jobs_.empty() ? next_expiry : std::min(next_expiry, jobs_.begin()->first);
    wake_.wait_until(lock, until);
  }
}

WebSubHub::Clock::time_point WebSubHub::expire_leases() {
  const Timestamp now = options_.now();
  Timestamp next = Timestamp::max();
  std::vector<store::Subscription> expired;
  {
    std::lock_guard lock(mutex_);
    for (auto it = active_.begin(); it != active_.end();) {
      if (it->second.expires <= now) {
        expired.push_back(std::move(it->second));
        it = active_.erase(it);
      } else {
        next = std::min(next, it->second.expires);
        ++it;
      }
    }
    if (!expired.empty()) update_gauges_locked();
  }
  if (!expired.empty()) {
    for (const auto& s : expired) {
      log::info("websub_lease_expired" + log::kv("topic", s.topic) +
                log::kv("callback", s.callback));
    }
    if (auto r = store_.expire_subscriptions(now); !r) {
      log::warning("websub_expire_failed" + log::kv("error", r.error().describe()));
    }
  }
  // Checked again at the next expiry, and at least every minute (a clock that jumps).
  const auto wait = std::min<std::chrono::seconds>(
      next == Timestamp::max() ? std::chrono::seconds{60} : next - now, std::chrono::seconds{60});
  return Clock::now() + std::max(wait, std::chrono::seconds{0});
}

serve::HubAnswer WebSubHub::request(std::string_view content_type, std::string_view form,
                                    const serve::Site& site) {
  if (!content_type.empty() && !content_type.starts_with("application/x-www-form-urlencoded")) {
    return {400, "send the request as application/x-www-form-urlencoded, not " +
                     std::string(content_type.substr(0, 60))};
  }
  auto asked = websub::parse_hub_request(form);
  if (!asked) return {400, asked.error().message};
  if (const std::string refused = fetch::refused_literal_host(asked->callback, options_.fetch);
      !refused.empty()) {
    return {400, "hub.callback: " + refused +
                     " is an address this server does not call (fetch.allow_private, "
                     "fetch.trusted_peers)"};
  }
  return admit(*asked, site);
}

serve::HubAnswer WebSubHub::admit(const HubRequest& asked, const serve::Site& site) {
  auto target = websub::topic_target(asked.topic, options_.base_url);
  if (!target) return {400, target.error().message};
  std::string denial;
  if (!site_resource(site, target->path)) {
    denial = "no such feed: " + target->path;
  } else if (!target->query.empty() && site.shaping) {
    const serve::ShapeQuery q = site.shaping->read(target->path, target->query);
    if (q.verdict == serve::ShapeQuery::Verdict::refused) denial = q.message;
  }
  const Key key{asked.topic, asked.callback};
  std::lock_guard lock(mutex_);
  if (pending_.contains(key)) return {202, "already being verified"};
  if (pending_.size() >= static_cast<std::size_t>(options_.websub.max_pending)) {
    return {429, "too many verifications waiting (websub.max_pending); try again later"};
  }
  if (asked.mode == Mode::subscribe && !active_.contains(key) && denial.empty()) {
    const auto per_topic = std::count_if(active_.begin(), active_.end(),
                                         [&](const auto& a) { return a.first.first == key.first; });
    if (active_.size() + pending_.size() >=
        static_cast<std::size_t>(options_.websub.max_subscriptions)) {
      return {429, "this hub holds as many subscriptions as it takes (websub.max_subscriptions)"};
    }
    if (per_topic >= options_.websub.max_per_topic) {
      return {429, "this topic has as many subscribers as it takes (websub.max_per_topic)"};
    }
  }
  pending_.insert(key);
  const auto now = Clock::now();
  if (!denial.empty()) {
    jobs_.emplace(now, [this, asked, denial] { deny(asked, denial); });
  } else {
    jobs_.emplace(now, [this, asked, feed = target->feed_id] { verify(asked, feed); });
  }
  wake_.notify_all();
  return {202,
          std::string(mode_name(asked.mode)) + " accepted; verifying intent at " + asked.callback};
}

void WebSubHub::verify(HubRequest asked, std::string feed_id) {
  const std::string challenge = websub::new_challenge();
  const auto lease = websub::granted_lease(asked.lease_seconds, options_.websub);
  fetch::Request get;
  get.url = websub::verification_url(asked.callback, asked.mode, asked.topic, challenge, lease);
  fetcher_.fetch_async(
      std::move(get), [this, asked, feed_id, challenge](Result<fetch::Response> answer) {
        post(Clock::now(), [this, asked, feed_id, challenge, answer = std::move(answer)] {
          verified(asked, feed_id, challenge, answer);
        });
      });
}

void WebSubHub::verified(const HubRequest& asked, const std::string& feed_id,
                         const std::string& challenge, const Result<fetch::Response>& answer) {
  const Key key{asked.topic, asked.callback};
  const bool confirmed = answer.ok() && echoes(answer->body, challenge);
  std::string line = "websub_" + std::string(mode_name(asked.mode)) +
                     log::kv("topic", asked.topic) + log::kv("callback", asked.callback);
  if (!confirmed) {
    line +=
        log::kv("verified", "no") +
        log::kv("why", answer.ok() ? std::string("challenge not echoed") : answer.error().message);
  }
  if (confirmed && asked.mode == Mode::subscribe) {
    const Timestamp now = options_.now();
    store::Subscription s{asked.topic,
                          asked.callback,
                          feed_id,
                          asked.secret,
                          now + websub::granted_lease(asked.lease_seconds, options_.websub),
                          now};
    if (auto saved = store_.save_subscription(s); !saved) {
      line += log::kv("error", saved.error().describe());
    } else {
      std::lock_guard lock(mutex_);
      if (auto found = active_.find(key); found != active_.end()) s.created = found->second.created;
      active_[key] = std::move(s);
      update_gauges_locked();
    }
  } else if (confirmed) {
    if (auto removed = store_.remove_subscription(asked.topic, asked.callback); !removed) {
      line += log::kv("error", removed.error().describe());
    }
    std::lock_guard lock(mutex_);
    active_.erase(key);
    update_gauges_locked();
  }
  {
    std::lock_guard lock(mutex_);
    pending_.erase(key);
  }
  if (confirmed) {
    log::info(line);
  } else {
    log::warning(line);
  }
}

void WebSubHub::deny(const HubRequest& asked, std::string reason) {
  fetch::Request get;
  get.url = websub::denial_url(asked.callback, asked.topic, reason);
  fetcher_.fetch_async(std::move(get), [this, asked, reason](Result<fetch::Response> answer) {
    log::info("websub_denied" + log::kv("topic", asked.topic) +
              log::kv("callback", asked.callback) + log::kv("reason", reason) +
              log::kv("told", answer.ok() ? "yes" : answer.error().message));
    std::lock_guard lock(mutex_);
    pending_.erase(Key{asked.topic, asked.callback});
  });
}

}  // namespace fg::app
