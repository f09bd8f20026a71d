// The `websub` section: the hub's caps and the leases it grants.

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "config/storage_keys.hpp"
#include "core/units.hpp"

namespace fg::config::detail {

namespace {

constexpr std::string_view kWebSubKeys[] = {
    "enabled", "max_subscriptions", "max_per_topic", "max_pending",
    "lease",   "max_lease",         "min_lease"};

std::optional<std::chrono::seconds> read_seconds(Reporter& r, const Entry& e) {
  auto v = read_duration(r, e, std::chrono::seconds{1});
  if (!v) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*v);
}

}  // namespace

void read_websub(Reporter& r, const Entry& section, WebSubOptions& out) {
  // Kept for the whole function: lease_entry points into it for the range check after the loop.
  const std::vector<Entry> entries =
      mapping_entries(r, section.key, section.value, "websub", kWebSubKeys);
  const Entry* lease_entry = nullptr;
  for (const Entry& e : entries) {
    if (e.name == "enabled") {
      if (auto v = read_bool(r, e)) out.enabled = *v;
    } else if (e.name == "max_subscriptions") {
      if (auto v = read_integer(r, e, 1, 10'000'000)) out.max_subscriptions = static_cast<int>(*v);
    } else if (e.name == "max_per_topic") {
      if (auto v = read_integer(r, e, 1, 10'000'000)) out.max_per_topic = static_cast<int>(*v);
    } else if (e.name == "max_pending") {
      if (auto v = read_integer(r, e, 1, 100'000)) out.max_pending = static_cast<int>(*v);
    } else if (auto v = read_seconds(r, e)) {
      if (e.name == "lease") {
        out.lease = *v;
        lease_entry = &e;
      }
      if (e.name == "max_lease") out.max_lease = *v;
      if (e.name == "min_lease") out.min_lease = *v;
    }
  }
  if (out.min_lease > out.max_lease) {
    r.at_value(section.key, section.value,
               "websub: min_lease (" + format_duration(out.min_lease) + ") is above max_lease (" +
                   format_duration(out.max_lease) + "); lower min_lease or raise max_lease");
  } else if (out.lease < out.min_lease || out.lease > out.max_lease) {
    const Entry& at = lease_entry ? *lease_entry : section;
    r.at_value(at.key, at.value,
               "websub: lease (" + format_duration(out.lease) + ") must lie between min_lease (" +
                   format_duration(out.min_lease) + ") and max_lease (" +
                   format_duration(out.max_lease) + ")");
  }
}

}  // namespace fg::config::detail
