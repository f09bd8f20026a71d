// The hub's content distribution (WebSub section 7): each changed topic's document POSTed to
// its subscribers, signed when they gave a secret (section 8), retried with backoff for a day.

#include <algorithm>

#include "app/websub_hub.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "serve/prepare.hpp"
#include "serve/shaping.hpp"

namespace fg::app {
namespace {

metrics::Counter& deliveries_counter(std::string_view result) {
  return metrics::registry().counter("feedgate_websub_deliveries_total",
                                     "WebSub deliveries (POSTs to subscribers), by result.",
                                     {{"result", std::string(result)}});
}

// The document of `target` in `site`: the plain feed, or the variant its query asks for.
std::shared_ptr<const serve::Resource> topic_document(const serve::Site& site,
                                                      const websub::TopicTarget& target) {
  auto plain = site_resource(site, target.path);
  if (!plain || target.query.empty() || !site.shaping) return plain;
  const serve::ShapeQuery q = site.shaping->read(target.path, target.query);
  if (q.verdict != serve::ShapeQuery::Verdict::variant) return plain;
  return site.shaping->prepare(target.path, q.key, *plain).resource;
}

}  // namespace

std::shared_ptr<const serve::Resource> site_resource(const serve::Site& site,
                                                     std::string_view path) {
  if (const auto found = site.resources.find(path); found != site.resources.end()) {
    return found->second;
  }
  return site.renderer ? site.renderer->render(path) : nullptr;
}

void WebSubHub::feeds_changed(const std::vector<std::string>& feed_ids,
                              std::shared_ptr<const serve::Site> site) {
  std::set<std::string> ids(feed_ids.begin(), feed_ids.end());
  // Rendering variants and reading bodies back is the worker's job, not the publisher's.
  post(Clock::now(), [this, ids = std::move(ids), site = std::move(site)]() mutable {
    prepare_deliveries(std::move(ids), std::move(site));
  });
}

void WebSubHub::prepare_deliveries(std::set<std::string> feed_ids,
                                   std::shared_ptr<const serve::Site> site) {
  std::map<std::string, std::vector<store::Subscription>> by_topic;
  // The store is what counts: instances sharing a PostgreSQL see each other's subscriptions.
  auto stored = store_.subscriptions(options_.now());
  if (!stored) log::warning("websub_load_failed" + log::kv("error", stored.error().describe()));
  {
    std::lock_guard lock(mutex_);
    if (stored) {
      active_.clear();
      for (auto& s : *stored) active_.emplace(Key{s.topic, s.callback}, std::move(s));
      update_gauges_locked();
    }
    for (const auto& [key, s] : active_) {
      if (feed_ids.contains(s.feed_id)) by_topic[key.first].push_back(s);
    }
  }
  for (auto& [topic, subscribers] : by_topic) {
    auto target = websub::topic_target(topic, options_.base_url);
    if (!target) continue;
    std::shared_ptr<const serve::Resource> document;
    try {
      document = topic_document(*site, *target);
    } catch (const std::exception& e) {
      log::warning("websub_render_failed" + log::kv("topic", topic) + log::kv("error", e.what()));
    }
    if (!document) continue;
    auto body = serve::identity_body(*document);
    if (!body) {
      log::warning("websub_render_failed" + log::kv("topic", topic) +
                   log::kv("error", body.error().describe()));
      continue;
    }
    auto shared = std::make_shared<const std::string>(std::move(*body));
    const std::string link =
        "<" + options_.base_url + "/websub>; rel=\"hub\", <" + topic + ">; rel=\"self\"";
    for (auto& s : subscribers) {
      deliver(Delivery{std::move(s), document->content_type, shared, link, 0, Timestamp{}});
    }
  }
}

void WebSubHub::deliver(Delivery delivery) {
  fetch::Request post_request;
  post_request.url = delivery.to.callback;
  fetch::PostBody body{delivery.content_type, *delivery.body, {"Link: " + delivery.link}};
  if (!delivery.to.secret.empty()) {
    body.headers.push_back("X-Hub-Signature: " +
                           websub::hub_signature(delivery.to.secret, *delivery.body));
  }
  post_request.post = std::move(body);
  fetcher_.fetch_async(std::move(post_request),
                       [this, delivery = std::move(delivery)](Result<fetch::Response> answer) {
                         post(Clock::now(), [this, delivery, answer = std::move(answer)] {
                           delivered(delivery, answer);
                         });
                       });
}

void WebSubHub::delivered(Delivery delivery, const Result<fetch::Response>& answer) {
  const Key key{delivery.to.topic, delivery.to.callback};
  if (answer.ok()) {
    deliveries_counter("ok").inc();
    std::lock_guard lock(mutex_);
    ++counts_.deliveries;
    log::info("websub_delivered" + log::kv("topic", key.first) + log::kv("callback", key.second) +
              log::kv("bytes", delivery.body->size()) + log::kv("tries", delivery.failures + 1));
    return;
  }
  deliveries_counter("failed").inc();
  {
    std::lock_guard lock(mutex_);
    ++counts_.failures;
    // Unsubscribed (or expired) meanwhile: nobody waits for this document any more.
    if (!active_.contains(key)) return;
  }
  const Timestamp now = options_.now();
  if (delivery.failures++ == 0) delivery.first_failure = now;
  const auto delay = websub::retry_delay(
      delivery.failures,
      std::chrono::duration_cast<std::chrono::seconds>(now - delivery.first_failure));
  if (!delay) return drop(key, answer.error().message);
  log::warning("websub_delivery_failed" + log::kv("topic", key.first) +
               log::kv("callback", key.second) + log::kv("error", answer.error().message) +
               log::kv("retry_in_s", delay->count()));
  post(Clock::now() + *delay, [this, delivery = std::move(delivery)]() mutable {
    bool still = false;
    {
      std::lock_guard lock(mutex_);
      still = active_.contains(Key{delivery.to.topic, delivery.to.callback});
    }
    if (still) deliver(std::move(delivery));
  });
}

void WebSubHub::drop(const Key& key, const std::string& why) {
  deliveries_counter("dropped").inc();
  log::warning("websub_subscription_dropped" + log::kv("topic", key.first) +
               log::kv("callback", key.second) + log::kv("error", why) +
               log::kv("failing_for_h", websub::kGiveUp.count()));
  if (auto removed = store_.remove_subscription(key.first, key.second); !removed) {
    log::warning("websub_drop_failed" + log::kv("error", removed.error().describe()));
  }
  std::lock_guard lock(mutex_);
  ++counts_.dropped;
  active_.erase(key);
  update_gauges_locked();
}

HubStats WebSubHub::stats() const {
  std::lock_guard lock(mutex_);
  HubStats out = counts_;
  for (const auto& [key, s] : active_) ++out.subscribers[s.feed_id];
  return out;
}

void WebSubHub::update_gauges_locked() {
  std::map<std::string, int> per_feed;
  for (const auto& [key, s] : active_) ++per_feed[s.feed_id];
  for (const std::string& feed : gauged_feeds_) per_feed.try_emplace(feed, 0);
  for (const auto& [feed, count] : per_feed) {
    metrics::registry()
        .gauge("feedgate_websub_subscribers", "Active WebSub subscriptions, by feed.",
               {{"feed", feed}})
        .set(count);
    gauged_feeds_.insert(feed);
  }
}

}  // namespace fg::app
