#include "serve/http_metrics.hpp"

#include <array>
#include <atomic>

#include "core/metrics.hpp"

namespace fg::serve {
namespace {

constexpr std::array<std::string_view, 7> kRoutes = {"feed",    "status", "opml", "metrics",
                                                     "healthz", "websub", "other"};
constexpr std::array<int, 13> kStatuses = {200, 202, 304, 400, 404, 405, 408,
                                           413, 414, 429, 431, 500, 503};

// Series resolved once and then reached by index: the hot path never takes the registry mutex.
struct Table {
  std::array<std::array<metrics::Counter*, kStatuses.size() + 1>, kRoutes.size()> requests{};
  metrics::Counter* bytes = nullptr;
  metrics::Gauge* ratio = nullptr;

  Table() {
    auto& r = metrics::registry();
    for (std::size_t i = 0; i < kRoutes.size(); ++i) {
      for (std::size_t j = 0; j <= kStatuses.size(); ++j) {
        const std::string status = j < kStatuses.size() ? std::to_string(kStatuses[j]) : "other";
        requests[i][j] = &r.counter("feedgate_http_requests_total",
                                    "HTTP requests answered, by route and status.",
                                    {{"route", std::string(kRoutes[i])}, {"status", status}});
      }
    }
    bytes = &r.counter("feedgate_http_response_bytes_total",
                       "Bytes of HTTP responses sent (headers and bodies).");
    ratio = &r.gauge("feedgate_http_not_modified_ratio",
                     "Share of feed requests answered 304 Not Modified, since start.");
  }
};

Table& table() {
  static Table* instance = new Table();  // lives as long as the registry it points into
  return *instance;
}

std::size_t index_of_route(std::string_view route) {
  for (std::size_t i = 0; i < kRoutes.size(); ++i) {
    if (kRoutes[i] == route) return i;
  }
  return kRoutes.size() - 1;
}

std::size_t index_of_status(int status) {
  for (std::size_t j = 0; j < kStatuses.size(); ++j) {
    if (kStatuses[j] == status) return j;
  }
  return kStatuses.size();
}

}  // namespace

std::string_view route_label(std::string_view path) {
  if (path.starts_with("/feeds/")) return "feed";
  if (path == "/") return "status";
  if (path == "/feeds.opml") return "opml";
  if (path == "/metrics") return "metrics";
  if (path == "/healthz") return "healthz";
  return "other";
}

void count_request(std::string_view route, int status, std::size_t bytes_out) {
  Table& t = table();
  t.requests[index_of_route(route)][index_of_status(status)]->inc();
  t.bytes->inc(bytes_out);
}

std::string metrics_text() {
  Table& t = table();
  const auto& feed = t.requests[index_of_route("feed")];
  const double ok = static_cast<double>(feed[index_of_status(200)]->value());
  const double not_modified = static_cast<double>(feed[index_of_status(304)]->value());
  t.ratio->set(ok + not_modified > 0 ? not_modified / (ok + not_modified) : 0.0);
  return metrics::registry().render();
}

}  // namespace fg::serve
