// The status page's history: items per day, poll durations, sparklines, and the row they fill.

#include "render/status_page_history.hpp"

#include <gtest/gtest.h>

#include <string>

#include "render/render.hpp"
#include "sample_feed.hpp"

namespace fg::render {
namespace {

using namespace std::chrono_literals;
using test::at;

const Timestamp kNow = at(2020y / std::chrono::January / 28, 18h);

PollSample sample(Timestamp started, std::chrono::milliseconds took, int new_items) {
  return PollSample{started, took, new_items};
}

TEST(StatusHistory, ItemsPerDayCountsTheLast30UtcDaysOldestFirst) {
  const std::vector<PollSample> polls = {
      sample(kNow - 1h, 100ms, 3),                                    // today
      sample(at(2020y / std::chrono::January / 27, 23h), 100ms, 2),   // yesterday
      sample(at(2020y / std::chrono::January / 27, 1h), 100ms, 1),    // yesterday
      sample(at(2019y / std::chrono::December / 29, 12h), 100ms, 7),  // 30 days ago: out
      sample(kNow + 48h, 100ms, 9),                                   // in the future: out
  };
  const auto days = detail::items_per_day(polls, kNow, 30);
  ASSERT_EQ(days.size(), 30u);
  EXPECT_EQ(days[29], 3);
  EXPECT_EQ(days[28], 3);
  long long total = 0;
  for (long long n : days) total += n;
  EXPECT_EQ(total, 6);
}

TEST(StatusHistory, PollDurationsAreTheLatestOldestFirst) {
  const std::vector<PollSample> newest_first = {sample(kNow, 300ms, 0), sample(kNow - 1h, 200ms, 0),
                                                sample(kNow - 2h, 100ms, 0)};
  EXPECT_EQ(detail::poll_durations(newest_first, 2), (std::vector<long long>{200, 300}));
  EXPECT_EQ(detail::poll_durations(newest_first, 10), (std::vector<long long>{100, 200, 300}));
}

TEST(StatusHistory, FormatMillis) {
  EXPECT_EQ(detail::format_millis(340), "340 ms");
  EXPECT_EQ(detail::format_millis(2500), "2.5 s");
}

TEST(StatusHistory, SparklineScalesToItsMaximum) {
  const std::string svg = detail::sparkline_svg({0, 5, 10}, "label");
  EXPECT_EQ(svg.rfind("<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("points=\"1.0,23.0 60.0,12.0 119.0,1.0\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>label</title>"), std::string::npos);
  EXPECT_NE(detail::sparkline_svg({4}, "one").find("points=\"1.0,1.0 119.0,1.0\""),
            std::string::npos);
  EXPECT_EQ(detail::sparkline_svg({}, "none"), "");
}

TEST(StatusPage, RowCarriesSourceSparklinesAndAveragePollTime) {
  FeedStatus s;
  s.info = test::sample_info();
  s.item_count = 8;
  s.recent_polls = {sample(kNow - 1h, 300ms, 5), sample(kNow - 2h, 200ms, 3),
                    sample(kNow - 3h, 100ms, 0)};
  const std::string page = render_status_page({s}, kNow);
  EXPECT_NE(page.find("<tr id=\"feed-hz-gnxw\">"), std::string::npos);
  EXPECT_NE(page.find("<td class=\"url\">http://news.hangzhou.com.cn/gnxw/?a=1&amp;b=2</td>"),
            std::string::npos);
  EXPECT_NE(page.find("8 new in 30 d"), std::string::npos);
  EXPECT_NE(page.find("avg 200 ms over 3 polls"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("src="), std::string::npos);  // no external assets
  std::size_t svgs = 0;
  for (auto at = page.find("<svg"); at != std::string::npos; at = page.find("<svg", at + 1)) ++svgs;
  EXPECT_EQ(svgs, 2u);
}

}  // namespace
}  // namespace fg::render
