#include "core/time.hpp"

#include <date/date.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace fg {

namespace {

std::string format_offset(std::chrono::minutes offset, bool colon) {
  const char sign = offset.count() < 0 ? '-' : '+';
  // Real offsets are within +-18h; clamp so the text always fits.
  const long total = std::min<long>(offset.count() < 0 ? -offset.count() : offset.count(), 99 * 60);
  char buf[16];
  std::snprintf(buf, sizeof buf, colon ? "%c%02ld:%02ld" : "%c%02ld%02ld", sign, total / 60,
                total % 60);
  return buf;
}

}  // namespace

Timestamp now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string format_rfc3339(const PublishedTime& t, bool use_z) {
  const auto local = date::local_seconds{(t.utc + t.offset).time_since_epoch()};
  std::string out = date::format("%Y-%m-%dT%H:%M:%S", local);
  if (use_z && t.offset.count() == 0) return out + "Z";
  return out + format_offset(t.offset, true);
}

namespace {

int detail_rank(TimePrecision p) {
  switch (p) {
    case TimePrecision::month:
      return 0;
    case TimePrecision::day:
      return 1;
    case TimePrecision::hour:
      return 2;
    case TimePrecision::time:
      break;
  }
  return 3;
}

}  // namespace

bool finer_than(TimePrecision a, TimePrecision b) {
  return detail_rank(a) > detail_rank(b);
}

std::string_view precision_name(TimePrecision p) {
  switch (p) {
    case TimePrecision::hour:
      return "hour";
    case TimePrecision::day:
      return "day";
    case TimePrecision::month:
      return "month";
    case TimePrecision::time:
      break;
  }
  return "time";
}

std::string format_rfc3339(Timestamp utc) {
  return format_rfc3339(PublishedTime{utc, {}}, true);
}

std::string format_rfc822(const PublishedTime& t) {
  const auto local = date::local_seconds{(t.utc + t.offset).time_since_epoch()};
  return date::format("%a, %d %b %Y %H:%M:%S ", local) + format_offset(t.offset, false);
}

std::string format_http_date(Timestamp utc) {
  return date::format("%a, %d %b %Y %H:%M:%S GMT", utc);
}

std::optional<Timestamp> parse_http_date(std::string_view text) {
  std::istringstream in{std::string(text)};
  Timestamp t;
  in >> date::parse("%a, %d %b %Y %H:%M:%S GMT", t);
  if (in.fail()) return std::nullopt;
  return t;
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  std::istringstream in{std::string(text)};
  date::local_seconds local;
  in >> date::parse("%Y-%m-%dT%H:%M:%S", local);
  if (in.fail()) return std::nullopt;
  std::string rest;
  std::getline(in, rest);
  std::size_t i = 0;
  if (i < rest.size() && rest[i] == '.') {
    ++i;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
  }
  const std::string zone = rest.substr(i);
  std::chrono::minutes offset{0};
  if (zone != "Z" && zone != "z") {
    int hh = 0, mm = 0;
    char sign = 0, colon = 0, extra = 0;
    if (std::sscanf(zone.c_str(), "%c%2d%c%2d%c", &sign, &hh, &colon, &mm, &extra) != 4 ||
        (sign != '+' && sign != '-') || colon != ':' || zone.size() != 6 || hh > 23 || mm > 59) {
      return std::nullopt;
    }
    offset = std::chrono::hours{hh} + std::chrono::minutes{mm};
    if (sign == '-') offset = -offset;
  }
  return Timestamp{local.time_since_epoch() - offset};
}

}  // namespace fg
