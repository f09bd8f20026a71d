#include "config/preview_keys.hpp"

#include <charconv>
#include <string_view>

namespace fg::config::detail {

namespace {

constexpr std::string_view kPreviewKeys[] = {"enabled", "token", "rate", "concurrency"};

// The periods a rate may be counted over; "N/min" reads as N previews a minute.
struct RatePeriod {
  std::string_view unit;
  milliseconds length;
};
constexpr RatePeriod kRatePeriods[] = {
    {"s", milliseconds{1000}}, {"min", milliseconds{60'000}}, {"h", milliseconds{3'600'000}}};

void read_rate(Reporter& r, const Entry& e, PreviewOptions& out) {
  const auto text = read_string(r, e);
  if (!text) return;
  const std::string_view rate = *text;
  const std::size_t slash = rate.find('/');
  int count = 0;
  const std::string_view number = rate.substr(0, slash);
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), count);
  if (slash != std::string_view::npos && ec == std::errc() &&
      end == number.data() + number.size() && count >= 1 && count <= 100'000) {
    for (const RatePeriod& period : kRatePeriods) {
      if (rate.substr(slash + 1) != period.unit) continue;
      out.rate_count = count;
      out.rate_period = period.length;
      return;
    }
  }
  r.at_value(e.key, e.value,
             "rate: expected previews per client as N/s, N/min or N/h with N from 1 to 100000 "
             "(such as \"6/min\"), got \"" +
                 *text + "\"");
}

}  // namespace

void read_preview(Reporter& r, const Entry& section, PreviewOptions& out) {
  for (const Entry& e : mapping_entries(r, section.key, section.value, "preview", kPreviewKeys)) {
    if (e.name == "enabled") {
      if (auto v = read_bool(r, e)) out.enabled = *v;
    } else if (e.name == "concurrency") {
      if (auto v = read_integer(r, e, 1, 64)) out.concurrency = static_cast<int>(*v);
    } else if (e.name == "rate") {
      read_rate(r, e, out);
    } else if (e.name == "token") {
      const auto v = read_string(r, e);
      if (!v) continue;
      // A short token is guessed within the rate limit's patience; ask for one worth having.
      if (!v->empty() && v->size() < 12) {
        r.at_value(e.key, e.value,
                   "token: use at least 12 characters (such as the output of `openssl rand "
                   "-hex 16`), or leave it out to let anyone who reaches /preview use it");
        continue;
      }
      out.token = *v;
    }
  }
}

}  // namespace fg::config::detail
