#include "render/status_page_history.hpp"

#include <algorithm>
#include <cstdio>

namespace fg::render::detail {

namespace {
constexpr int kWidth = 120;
constexpr int kHeight = 24;

std::chrono::sys_days day_of(Timestamp t) {
  return std::chrono::floor<std::chrono::days>(t);
}
}  // namespace

std::vector<long long> items_per_day(const std::vector<PollSample>& polls, Timestamp now,
                                     int days) {
  std::vector<long long> counts(static_cast<std::size_t>(std::max(days, 0)), 0);
  const auto last_day = day_of(now);
  for (const PollSample& p : polls) {
    const auto age = (last_day - day_of(p.started)).count();
    if (age < 0 || age >= days) continue;
    counts[static_cast<std::size_t>(days - 1 - age)] += p.new_items;
  }
  return counts;
}

std::vector<long long> poll_durations(const std::vector<PollSample>& polls, std::size_t count) {
  std::vector<long long> out;
  for (std::size_t i = std::min(count, polls.size()); i-- > 0;) {
    out.push_back(polls[i].duration.count());
  }
  return out;
}

std::string format_millis(long long ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ms) / 1000.0);
  return text;
}

std::string sparkline_svg(const std::vector<long long>& series, const std::string& label) {
  if (series.empty()) return {};
  // One value is drawn as a flat line across the box.
  const std::vector<long long> values =
      series.size() == 1 ? std::vector<long long>{series[0], series[0]} : series;
  const long long top = std::max<long long>(1, *std::max_element(values.begin(), values.end()));
  const double step = static_cast<double>(kWidth - 2) / static_cast<double>(values.size() - 1);
  std::string points;
  char point[48];
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = 1.0 + step * static_cast<double>(i);
    const double y =
        (kHeight - 1) - static_cast<double>(values[i]) / static_cast<double>(top) * (kHeight - 2);
    std::snprintf(point, sizeof point, "%s%.1f,%.1f", i ? " " : "", x, y);
    points += point;
  }
  const std::string size = "width=\"" + std::to_string(kWidth) + "\" height=\"" +
                           std::to_string(kHeight) + "\" viewBox=\"0 0 " + std::to_string(kWidth) +
                           " " + std::to_string(kHeight) + "\"";
  return "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" " + size +
         " role=\"img\" aria-label=\"" + label + "\"><title>" + label +
         "</title><polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"" +
         points + "\"/></svg>";
}

}  // namespace fg::render::detail
