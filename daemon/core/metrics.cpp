#include "core/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace fg::metrics {
namespace {

enum Type { kCounter = 0, kGauge = 1, kHistogram = 2 };
constexpr const char* kTypeNames[] = {"counter", "gauge", "histogram"};

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Label values and help text escape backslash and newline; label values also the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `{a="x",b="y"}` (without braces when `extra` is empty and there are no labels).
std::string label_text(const Labels& labels, std::string_view extra = {}) {
  if (labels.empty() && extra.empty()) return {};
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += valid_name(name) ? name : std::string("invalid_label");
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  out += '}';
  return out;
}

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  // Shorter when it round-trips: 0.1 rather than 0.10000000000000001.
  char shorter[32];
  std::snprintf(shorter, sizeof shorter, "%g", value);
  return std::strtod(shorter, nullptr) == value ? shorter : text;
}

}  // namespace

struct Registry::Series {
  std::string labels;  // rendered label set, "" or {...}
  Labels label_pairs;
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
};

struct Registry::Family {
  std::string name;
  std::string help;
  int type = kCounter;
  std::map<std::string, std::unique_ptr<Series>, std::less<>> series;
};

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double value) {
  const auto at = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[static_cast<std::size_t>(at)].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] = buckets_[i].load(std::memory_order_relaxed);
  }
  return counts;
}

std::vector<double> latency_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Series& Registry::series(std::string_view name, std::string_view help, int type,
                                   const Labels& labels, std::vector<double>* bounds) {
  auto make = [&] {
    auto s = std::make_unique<Series>();
    s->label_pairs = labels;
    s->labels = label_text(labels);
    if (type == kCounter) s->counter = std::make_unique<Counter>();
    if (type == kGauge) s->gauge = std::make_unique<Gauge>();
    if (type == kHistogram) s->histogram = std::make_unique<Histogram>(std::move(*bounds));
    return s;
  };
  std::lock_guard lock(mutex_);
  auto family = std::find_if(families_.begin(), families_.end(),
                             [&](const auto& f) { return f->name == name; });
  if (family == families_.end()) {
    if (!valid_name(name)) return *orphans_.emplace_back(make());
    auto created = std::make_unique<Family>();
    created->name = std::string(name);
    created->help = std::string(help);
    created->type = type;
    families_.push_back(std::move(created));
    family = families_.end() - 1;
  }
  if ((*family)->type != type) return *orphans_.emplace_back(make());
  const std::string key = label_text(labels);
  auto found = (*family)->series.find(key);
  if (found != (*family)->series.end()) return *found->second;
  return *(*family)->series.emplace(key, make()).first->second;
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  return *series(name, help, kCounter, labels, nullptr).counter;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  return *series(name, help, kGauge, labels, nullptr).gauge;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help, const Labels& labels,
                               std::vector<double> bounds) {
  return *series(name, help, kHistogram, labels, &bounds).histogram;
}

namespace {

void render_histogram(std::string& out, const std::string& name, const Labels& labels,
                      const Histogram& h) {
  const auto counts = h.bucket_counts();
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    const std::string le = i < h.bounds().size() ? number(h.bounds()[i]) : "+Inf";
    out += name + "_bucket" + label_text(labels, "le=\"" + le + "\"") + ' ' +
           std::to_string(cumulative) + '\n';
  }
  // Sum and count read after the buckets may be a little ahead of them; Prometheus tolerates it.
  out += name + "_sum" + label_text(labels) + ' ' + number(h.sum()) + '\n';
  out += name + "_count" + label_text(labels) + ' ' + std::to_string(cumulative) + '\n';
}

}  // namespace

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::vector<const Family*> sorted;
  for (const auto& f : families_) sorted.push_back(f.get());
  std::sort(sorted.begin(), sorted.end(),
            [](const Family* a, const Family* b) { return a->name < b->name; });
  std::string out;
  for (const Family* f : sorted) {
    out += "# HELP " + f->name + ' ';
    append_escaped(out, f->help, false);
    out += "\n# TYPE " + f->name + ' ' + kTypeNames[f->type] + '\n';
    for (const auto& [key, s] : f->series) {
      if (s->counter) out += f->name + key + ' ' + std::to_string(s->counter->value()) + '\n';
      if (s->gauge) out += f->name + key + ' ' + number(s->gauge->value()) + '\n';
      if (s->histogram) render_histogram(out, f->name, s->label_pairs, *s->histogram);
    }
  }
  return out;
}

Registry& registry() {
  static Registry* instance = new Registry();  // never destroyed: threads may record at exit
  return *instance;
}

void record_poll(const std::string& feed, const std::string& outcome, double fetch_seconds) {
  registry()
      .counter(kPollsTotal, "Polls of each feed by outcome.",
               {{"feed", feed}, {"outcome", outcome}})
      .inc();
  if (fetch_seconds >= 0) {
    registry()
        .histogram(kFetchSeconds, "Time to fetch a feed's list page, in seconds.", {{"feed", feed}})
        .observe(fetch_seconds);
  }
}

}  // namespace fg::metrics
