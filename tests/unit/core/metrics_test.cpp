#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "support/prom_text.hpp"

namespace fg::metrics {
namespace {

TEST(Metrics, CounterWithLabelsRendersOneSamplePerLabelSet) {
  Registry r;
  r.counter("fg_requests_total", "Requests.", {{"route", "feed"}, {"status", "200"}}).inc(3);
  r.counter("fg_requests_total", "Requests.", {{"route", "feed"}, {"status", "304"}}).inc();
  r.counter("fg_requests_total", "Requests.", {{"route", "feed"}, {"status", "200"}}).inc();
  const auto text = testing::parse_prom_text(r.render());
  ASSERT_EQ(text.error, "");
  EXPECT_EQ(text.types.at("fg_requests_total"), "counter");
  EXPECT_EQ(text.get("fg_requests_total{route=\"feed\",status=\"200\"}"), 4.0);
  EXPECT_EQ(text.get("fg_requests_total{route=\"feed\",status=\"304\"}"), 1.0);
  EXPECT_EQ(text.samples.size(), 2u);
}

TEST(Metrics, SameSeriesIsTheSameObject) {
  Registry r;
  Counter& a = r.counter("fg_x_total", "X.", {{"feed", "a"}});
  Counter& b = r.counter("fg_x_total", "X.", {{"feed", "a"}});
  EXPECT_EQ(&a, &b);
}

TEST(Metrics, GaugeKeepsTheLastValueAndAdds) {
  Registry r;
  Gauge& g = r.gauge("fg_items", "Items.", {{"feed", "hz"}});
  g.set(50);
  g.add(-2.5);
  const auto text = testing::parse_prom_text(r.render());
  ASSERT_EQ(text.error, "");
  EXPECT_EQ(text.types.at("fg_items"), "gauge");
  EXPECT_EQ(text.get("fg_items{feed=\"hz\"}"), 47.5);
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry r;
  Histogram& h = r.histogram("fg_fetch_seconds", "Fetch time.", {{"feed", "a"}}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.1);  // on a bound: counted in that bucket (le means <=)
  h.observe(0.5);
  h.observe(7);
  const auto text = testing::parse_prom_text(r.render());
  ASSERT_EQ(text.error, "");
  EXPECT_EQ(text.types.at("fg_fetch_seconds"), "histogram");
  EXPECT_EQ(text.get("fg_fetch_seconds_bucket{feed=\"a\",le=\"0.1\"}"), 2.0);
  EXPECT_EQ(text.get("fg_fetch_seconds_bucket{feed=\"a\",le=\"1\"}"), 3.0);
  EXPECT_EQ(text.get("fg_fetch_seconds_bucket{feed=\"a\",le=\"+Inf\"}"), 4.0);
  EXPECT_EQ(text.get("fg_fetch_seconds_count{feed=\"a\"}"), 4.0);
  EXPECT_DOUBLE_EQ(*text.get("fg_fetch_seconds_sum{feed=\"a\"}"), 7.65);
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry r;
  r.counter("fg_odd_total", "Odd \\ help\nsecond line.", {{"feed", "a\"b\\c\nd"}}).inc();
  const std::string rendered = r.render();
  EXPECT_NE(rendered.find("fg_odd_total{feed=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos);
  EXPECT_NE(rendered.find("# HELP fg_odd_total Odd \\\\ help\\nsecond line.\n"), std::string::npos);
  EXPECT_EQ(testing::parse_prom_text(rendered).error, "");
}

TEST(Metrics, InvalidNameOrTypeClashIsNotRendered) {
  Registry r;
  r.counter("fg_a_total", "A.").inc();
  r.gauge("fg_a_total", "Clash.").set(9);  // same name, other type
  r.counter("9starts-with-digit", "Bad.").inc();
  const auto text = testing::parse_prom_text(r.render());
  ASSERT_EQ(text.error, "");
  EXPECT_EQ(text.types.size(), 1u);
  EXPECT_EQ(text.get("fg_a_total"), 1.0);
}

TEST(Metrics, ConcurrentIncrementsAreAllCounted) {
  Registry r;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&r] {
      for (int i = 0; i < 10000; ++i) r.counter("fg_c_total", "C.", {{"t", "x"}}).inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(r.counter("fg_c_total", "C.", {{"t", "x"}}).value(), 40000u);
}

TEST(Metrics, RecordPollCountsOutcomeAndFetchTime) {
  record_poll("metrics_test_feed", "ok", 0.2);
  record_poll("metrics_test_feed", "network_error");
  const auto text = testing::parse_prom_text(registry().render());
  ASSERT_EQ(text.error, "");
  EXPECT_EQ(text.get("feedgate_polls_total{feed=\"metrics_test_feed\",outcome=\"ok\"}"), 1.0);
  EXPECT_EQ(text.get("feedgate_polls_total{feed=\"metrics_test_feed\",outcome=\"network_error\"}"),
            1.0);
  EXPECT_EQ(text.get("feedgate_fetch_duration_seconds_count{feed=\"metrics_test_feed\"}"), 1.0);
  EXPECT_EQ(
      text.get("feedgate_fetch_duration_seconds_bucket{feed=\"metrics_test_feed\",le=\"0.25\"}"),
      1.0);
}

TEST(PromTextParser, RejectsWhatPrometheusWouldReject) {
  EXPECT_NE(testing::parse_prom_text("x 1\n").error, "");  // no TYPE
  EXPECT_NE(testing::parse_prom_text("# TYPE x counter\nx{a=\"1} 1\n").error, "");
  EXPECT_NE(testing::parse_prom_text("# TYPE x counter\nx one\n").error, "");
  EXPECT_NE(testing::parse_prom_text("# TYPE x counter\nx 1").error, "");  // no final newline
  EXPECT_EQ(testing::parse_prom_text("# TYPE x counter\nx{a=\"1\"} 1\n").error, "");
}

}  // namespace
}  // namespace fg::metrics
