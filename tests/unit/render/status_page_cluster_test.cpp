// The status page of an instance in a cluster: the live instances, and who polled each feed.
#include <gtest/gtest.h>

#include "render/render.hpp"

namespace fg::render {
namespace {

const Timestamp kNow{std::chrono::seconds{1'700'000'000}};

bool contains(const std::string& page, const std::string& text) {
  return page.find(text) != std::string::npos;
}

std::vector<FeedStatus> two_feeds() {
  std::vector<FeedStatus> feeds(2);
  feeds[0].info.id = "hz";
  feeds[0].polled_by = "host-a/10.0.0.1:8080/41-aa";
  feeds[1].info.id = "xh";
  feeds[1].polled_by = "host-b/10.0.0.2:8080/42-bb";
  feeds[1].polling_on = "host-c/<10.0.0.3>:8080/43-cc";
  return feeds;
}

TEST(StatusPageCluster, NoClusterLineOrColumnOnASingleInstance) {
  const std::string page = render_status_page(two_feeds(), kNow);
  EXPECT_FALSE(contains(page, "id=\"cluster\""));
  EXPECT_FALSE(contains(page, "Polled by"));
  EXPECT_FALSE(contains(page, "host-a"));
}

TEST(StatusPageCluster, NamesTheLiveInstancesAndWhoPolledEachFeed) {
  StatusHead head;
  head.cluster = ClusterSummary{"host-a/10.0.0.1:8080/41-aa",
                                {"host-a/10.0.0.1:8080/41-aa", "host-b/10.0.0.2:8080/42-bb"},
                                1,
                                0};
  const std::string page = render_status_page(two_feeds(), kNow, {}, head);
  EXPECT_TRUE(contains(page,
                       "Cluster: 2 instances alive (host-a/10.0.0.1:8080/41-aa, "
                       "host-b/10.0.0.2:8080/42-bb); this one is host-a/10.0.0.1:8080/41-aa; "
                       "1 polls running."));
  EXPECT_TRUE(contains(page, "<th>Polled by</th>"));
  const auto xh = page.substr(page.find("<tr id=\"feed-xh\">"));
  EXPECT_TRUE(contains(xh.substr(0, xh.find("</tr>")),
                       "host-b/10.0.0.2:8080/42-bb<br>polling now: host-c/&lt;10.0.0.3&gt;"));
  EXPECT_FALSE(contains(page, "different config"));
}

TEST(StatusPageCluster, SaysWhenAnotherInstanceReadsADifferentConfig) {
  StatusHead head;
  head.cluster = ClusterSummary{"a", {"a", "b", "c"}, 0, 2};
  const std::string page = render_status_page(two_feeds(), kNow, {}, head);
  EXPECT_TRUE(contains(page, "3 instances alive (a, b, c)"));
  EXPECT_TRUE(contains(page, "2 of them read a different config file"));
}

}  // namespace
}  // namespace fg::render
