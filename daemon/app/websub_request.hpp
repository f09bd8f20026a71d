#pragma once
// The WebSub hub's pure parts (W3C WebSub, 2018): reading a subscription request (section 5.1),
// the verification and denial URLs (5.2, 5.3), the lease granted, the signature of a delivery
// (8) and the backoff between its retries. No I/O, so each is tested alone.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "core/result.hpp"

namespace fg::app::websub {

// Longest secret taken (the spec asks subscribers for fewer than 200 bytes).
inline constexpr std::size_t kMaxSecretBytes = 200;
// Longest topic or callback URL taken.
inline constexpr std::size_t kMaxUrlBytes = 2048;

enum class Mode { subscribe, unsubscribe };

struct HubRequest {
  Mode mode = Mode::subscribe;
  std::string topic;
  std::string callback;
  std::optional<std::int64_t> lease_seconds;  // as asked
  std::string secret;                         // empty: deliveries unsigned
};

// Reads an application/x-www-form-urlencoded body. Errc::invalid_argument with one line that
// names the parameter and says what is wrong ("hub.secret: 250 bytes; at most 200") when a
// parameter is missing, repeated, malformed or out of bounds. The callback must be an absolute
// http(s) URL without a fragment; where it may point is judged by the caller.
Result<HubRequest> parse_hub_request(std::string_view form);

// Where a topic points on this server: "/feeds/<id>.<rss|atom|json>" and its query.
struct TopicTarget {
  std::string path;
  std::string query;  // without '?'; empty: the plain feed
  std::string feed_id;
};
// The target of `topic` when it is a feed URL under `base_url` (no trailing '/'); else
// Errc::invalid_argument saying why (another server, not a feed URL, a fragment).
Result<TopicTarget> topic_target(std::string_view topic, std::string_view base_url);

// The lease granted for an ask (none: options.lease), within [min_lease, max_lease].
std::chrono::seconds granted_lease(std::optional<std::int64_t> asked,
                                   const config::WebSubOptions& options);

// The GET of a verification of intent (5.3): the callback with hub.mode, hub.topic,
// hub.challenge and, for a subscription, hub.lease_seconds added to its query.
std::string verification_url(const std::string& callback, Mode mode, const std::string& topic,
                             std::string_view challenge, std::chrono::seconds lease);
// The GET telling a subscriber its subscription was denied (5.2), with hub.reason.
std::string denial_url(const std::string& callback, const std::string& topic,
                       std::string_view reason);

// X-Hub-Signature's value for `body` (8): "sha256=" and the hex HMAC-SHA256 keyed by `secret`.
std::string hub_signature(std::string_view secret, std::string_view body);

// A random hub.challenge (hex, 32 bytes of entropy).
std::string new_challenge();

// How long to wait before retrying a delivery that failed `failures` times in a row (1: the
// first failure): 5 s doubling up to an hour. nullopt once the first failure was `kGiveUp`
// ago or more: the subscription is then dropped.
inline constexpr std::chrono::hours kGiveUp{24};
std::optional<std::chrono::seconds> retry_delay(int failures, std::chrono::seconds failing_for);

}  // namespace fg::app::websub
