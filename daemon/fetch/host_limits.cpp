#include "fetch/host_limits.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>

namespace fg::fetch {

HostLimits::HostLimits(int concurrency, int per_host, std::chrono::milliseconds min_gap)
    : concurrency_(std::max(concurrency, 1)),
      per_host_(std::max(per_host, 1)),
      min_gap_(std::max(min_gap, std::chrono::milliseconds{0})) {}

HostLimits::Decision HostLimits::check(const std::string& host, TimePoint now) const {
  const auto it = host.empty() ? hosts_.end() : hosts_.find(host);
  if (it != hosts_.end() && it->second.paused_until > now) {
    return {Verdict::paused, it->second.paused_until};
  }
  if (in_flight_ >= concurrency_) return {Verdict::wait_slot, {}};
  if (it == hosts_.end()) return {Verdict::start, {}};
  if (it->second.in_flight >= per_host_) return {Verdict::wait_slot, {}};
  if (it->second.next_start > now) return {Verdict::wait_until, it->second.next_start};
  return {Verdict::start, {}};
}

void HostLimits::started(const std::string& host, TimePoint now) {
  ++in_flight_;
  if (host.empty()) return;
  Host& h = hosts_[host];
  ++h.in_flight;
  h.next_start = now + min_gap_;
}

void HostLimits::finished(const std::string& host) {
  if (in_flight_ > 0) --in_flight_;
  if (host.empty()) return;
  const auto it = hosts_.find(host);
  if (it != hosts_.end() && it->second.in_flight > 0) --it->second.in_flight;
}

void HostLimits::set_per_host(int per_host) {
  per_host_ = std::max(per_host, 1);
}

void HostLimits::set_min_gap(std::chrono::milliseconds min_gap) {
  min_gap_ = std::max(min_gap, std::chrono::milliseconds{0});
}

void HostLimits::pause(const std::string& host, TimePoint until) {
  if (host.empty()) return;
  Host& h = hosts_[host];
  h.paused_until = std::max(h.paused_until, until);
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::int64_t now_unix) {
  constexpr std::int64_t kCap = 24 * 3600;  // a broken header must not silence a host for years
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
  } else {
    const std::string text(value);
    const time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    seconds = std::max<std::int64_t>(0, static_cast<std::int64_t>(when) - now_unix);
  }
  return std::chrono::seconds(std::min(seconds, kCap));
}

}  // namespace fg::fetch
