#pragma once
// Process-wide metrics (counters, gauges, histograms with labels), rendered in the Prometheus
// text exposition format by the server at GET /metrics.
//
// Registering a series takes a mutex; updating one is a relaxed atomic operation. Callers on a
// hot path look a series up once and keep the reference: series are never moved or freed while
// the registry lives.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fg::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;  // name, value

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds`: the upper bounds of the buckets, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);

  const std::vector<double>& bounds() const { return bounds_; }
  // Per-bucket (not cumulative) counts; the last one is the +Inf bucket.
  std::vector<std::uint64_t> bucket_counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<double> sum_{0.0};
  std::atomic<std::uint64_t> count_{0};
};

// Latency buckets in seconds, from 5 ms to 60 s: fetches of slow portals included.
std::vector<double> latency_buckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Find-or-create. A name already registered with another type yields a series that is
  // counted but never rendered (a programming error that must not crash the daemon).
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, const Labels& labels = {},
                       std::vector<double> bounds = latency_buckets());

  // Everything, in the Prometheus text format (version 0.0.4), families sorted by name.
  std::string render() const;

 private:
  struct Family;
  struct Series;
  Series& series(std::string_view name, std::string_view help, int type, const Labels& labels,
                 std::vector<double>* bounds);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;
  std::vector<std::unique_ptr<Series>> orphans_;
};

// The registry the daemon renders at /metrics.
Registry& registry();

// Names shared across modules, so that every writer spells them alike.
inline constexpr std::string_view kPollsTotal = "feedgate_polls_total";  // {feed, outcome}
inline constexpr std::string_view kFetchSeconds = "feedgate_fetch_duration_seconds";  // {feed}
inline constexpr std::string_view kItemsStored = "feedgate_items_stored";             // {feed}
inline constexpr std::string_view kLastSuccess =
    "feedgate_feed_last_success_timestamp_seconds";  // {feed}

// One finished poll: counts it by outcome ("ok", "not_modified", "http_error", "network_error",
// "parse_error", ...) and, when it fetched, records how long the fetch took.
void record_poll(const std::string& feed, const std::string& outcome, double fetch_seconds = -1);

}  // namespace fg::metrics
