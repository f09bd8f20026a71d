// The WebSub hub's pure parts: form reading, URLs, lease, signature, backoff.

#include "app/websub_request.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <random>

#include "core/url.hpp"

namespace fg::app::websub {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string hex(const unsigned char* bytes, std::size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

Error refuse(std::string message) {
  return make_error(Errc::invalid_argument, std::move(message));
}

// Every name=value pair; a name given twice is an error, as is an undecodable one.
Result<std::map<std::string, std::string>> read_pairs(std::string_view form) {
  std::map<std::string, std::string> pairs;
  while (!form.empty()) {
    const std::size_t amp = form.find('&');
    const std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view{} : form.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const auto name = form_decode_strict(pair.substr(0, eq));
    const auto value =
        form_decode_strict(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!name || !value) {
      return refuse("malformed %-escape in \"" + std::string(pair.substr(0, 80)) +
                    "\"; send application/x-www-form-urlencoded");
    }
    if (!pairs.emplace(*name, *value).second) return refuse(*name + ": given more than once");
  }
  return pairs;
}

// An absolute http(s) URL with a host and no fragment, within kMaxUrlBytes.
std::string url_problem(const std::string& name, const std::string& url) {
  if (url.empty()) return name + ": missing; send the URL";
  if (url.size() > kMaxUrlBytes) {
    return name + ": " + std::to_string(url.size()) + " bytes; at most " +
           std::to_string(kMaxUrlBytes);
  }
  const std::string scheme = url_scheme(url);
  if (scheme != "http" && scheme != "https") {
    return name + ": \"" + url.substr(0, 100) + "\" is not an http:// or https:// URL";
  }
  if (url_host(url).empty()) return name + ": \"" + url.substr(0, 100) + "\" names no host";
  if (url.find('#') != std::string::npos) return name + ": a URL with a #fragment";
  for (unsigned char c : url) {
    if (c <= ' ' || c == 0x7f) return name + ": a URL with spaces or control characters";
  }
  return {};
}

std::string lease_problem(const std::string& text, std::optional<std::int64_t>& out) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return "hub.lease_seconds: \"" + text.substr(0, 40) + "\" is not a positive whole number";
  }
  out = value;
  return {};
}

}  // namespace

Result<HubRequest> parse_hub_request(std::string_view form) {
  auto pairs = read_pairs(form);
  if (!pairs) return pairs.error();
  const auto get = [&](const char* name) {
    const auto found = pairs->find(name);
    return found == pairs->end() ? std::string{} : found->second;
  };
  HubRequest request;
  const std::string mode = get("hub.mode");
  if (mode == "subscribe") {
    request.mode = Mode::subscribe;
  } else if (mode == "unsubscribe") {
    request.mode = Mode::unsubscribe;
  } else {
    return refuse(mode.empty()
                      ? "hub.mode: missing; send subscribe or unsubscribe"
                      : "hub.mode: \"" + mode.substr(0, 40) + "\"; send subscribe or unsubscribe");
  }
  request.topic = get("hub.topic");
  request.callback = get("hub.callback");
  for (const auto& [name, url] :
       {std::pair<std::string, const std::string*>{"hub.topic", &request.topic},
        {"hub.callback", &request.callback}}) {
    if (std::string problem = url_problem(name, *url); !problem.empty()) return refuse(problem);
  }
  if (const auto lease = pairs->find("hub.lease_seconds"); lease != pairs->end()) {
    std::string problem = lease_problem(lease->second, request.lease_seconds);
    if (!problem.empty()) return refuse(problem);
  }
  request.secret = get("hub.secret");
  if (request.secret.size() > kMaxSecretBytes) {
    return refuse("hub.secret: " + std::to_string(request.secret.size()) + " bytes; at most " +
                  std::to_string(kMaxSecretBytes));
  }
  return request;
}

Result<TopicTarget> topic_target(std::string_view topic, std::string_view base_url) {
  static constexpr std::string_view kFeeds = "/feeds/";
  static constexpr std::string_view kExtensions[] = {".rss", ".atom", ".json"};
  const std::string base = std::string(base_url);
  if (!topic.starts_with(base) || topic.size() == base.size() || topic[base.size()] != '/') {
    return refuse("hub.topic: \"" + std::string(topic.substr(0, 100)) +
                  "\" is not a feed of this server; topics start with " + base + "/feeds/");
  }
  std::string_view rest = topic.substr(base.size());
  TopicTarget target;
  const std::size_t question = rest.find('?');
  target.path = std::string(rest.substr(0, question));
  if (question != std::string_view::npos) target.query = std::string(rest.substr(question + 1));
  std::string_view path = target.path;
  if (path.starts_with(kFeeds)) {
    path.remove_prefix(kFeeds.size());
    for (std::string_view extension : kExtensions) {
      if (path.ends_with(extension) && path.size() > extension.size()) {
        target.feed_id = std::string(path.substr(0, path.size() - extension.size()));
        if (target.feed_id.find('/') == std::string::npos) return target;
      }
    }
  }
  return refuse("hub.topic: \"" + std::string(topic.substr(0, 100)) +
                "\" is not a feed URL; topics are " + base + "/feeds/<id>.rss, .atom or .json");
}

std::chrono::seconds granted_lease(std::optional<std::int64_t> asked,
                                   const config::WebSubOptions& options) {
  if (!asked) return options.lease;
  return std::clamp(std::chrono::seconds{*asked}, options.min_lease, options.max_lease);
}

namespace {

std::string with_query(const std::string& callback, const std::string& added) {
  return callback + (callback.find('?') == std::string::npos ? "?" : "&") + added;
}

}  // namespace

std::string verification_url(const std::string& callback, Mode mode, const std::string& topic,
                             std::string_view challenge, std::chrono::seconds lease) {
  std::string query =
      std::string("hub.mode=") + (mode == Mode::subscribe ? "subscribe" : "unsubscribe") +
      "&hub.topic=" + percent_encode(topic) + "&hub.challenge=" + percent_encode(challenge);
  if (mode == Mode::subscribe) query += "&hub.lease_seconds=" + std::to_string(lease.count());
  return with_query(callback, query);
}

std::string denial_url(const std::string& callback, const std::string& topic,
                       std::string_view reason) {
  return with_query(callback, "hub.mode=denied&hub.topic=" + percent_encode(topic) +
                                  "&hub.reason=" + percent_encode(reason));
}

std::string hub_signature(std::string_view secret, std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &size);
  return "sha256=" + hex(digest, size);
}

std::string new_challenge() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // The challenge only has to be unguessable by a callback that never saw it.
    std::random_device device;
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(device());
  }
  return hex(bytes, sizeof bytes);
}

std::optional<std::chrono::seconds> retry_delay(int failures, std::chrono::seconds failing_for) {
  if (failing_for >= kGiveUp) return std::nullopt;
  constexpr std::chrono::seconds kFirst{5}, kLongest{3600};
  std::chrono::seconds delay = kFirst;
  for (int i = 1; i < failures && delay < kLongest; ++i) delay *= 2;
  delay = std::min(delay, kLongest);
  // The last try falls at the end of the day, not an hour past it.
  const std::chrono::seconds left =
      std::chrono::duration_cast<std::chrono::seconds>(kGiveUp) - failing_for;
  return std::min(delay, left);
}

}  // namespace fg::app::websub
