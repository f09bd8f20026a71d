// The status page of an instance in a cluster: the live instances, and who polled each feed.
#include <gtest/gtest.h>

#include "render/render.hpp"

namespace fg::render {
namespace {

const Timestamp kNow{std::chrono::seconds{1'700'000'000}};

bool contains(const std::string& page, const std::string& text) {
  return page.find(text) != std::string::npos;
}

ClusterSummary cluster(std::string self, std::vector<std::string> alive, int leases_held,
                       int config_differs) {
  ClusterSummary c;
  c.self = std::move(self);
  c.alive = std::move(alive);
  c.leases_held = leases_held;
  c.config_differs = config_differs;
  return c;
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
  head.cluster = cluster("host-a/10.0.0.1:8080/41-aa",
                         {"host-a/10.0.0.1:8080/41-aa", "host-b/10.0.0.2:8080/42-bb"}, 1, 0);
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
  head.cluster = cluster("a", {"a", "b", "c"}, 0, 2);
  const std::string page = render_status_page(two_feeds(), kNow, {}, head);
  EXPECT_TRUE(contains(page, "3 instances alive (a, b, c)"));
  EXPECT_TRUE(contains(page, "2 of them read a different config file"));
}

TEST(StatusPageCluster, SaysWhenThisInstancesConfigIsOlder) {
  StatusHead head;
  head.cluster = cluster("a", {"a", "b"}, 0, 1);
  EXPECT_FALSE(contains(render_status_page(two_feeds(), kNow, {}, head), "is older"));
  head.cluster->newer_config = "host-b/<b>:8080/42-bb";
  EXPECT_TRUE(contains(render_status_page(two_feeds(), kNow, {}, head),
                       "This instance's config file is older than that of "
                       "host-b/&lt;b&gt;:8080/42-bb: the shared schedule follows that one."));
}

TEST(StatusPageCluster, ABannerSaysSinceWhenTheStoreIsUnavailableAndWhy) {
  StatusHead head;
  head.cluster = cluster("a", {"a"}, 0, 0);
  EXPECT_FALSE(contains(render_status_page(two_feeds(), kNow, {}, head), "store-unavailable"));
  head.cluster->store_unavailable_since = kNow - std::chrono::minutes{3};
  head.cluster->store_error = "cannot claim due feeds: connection <refused>";
  auto feeds = two_feeds();
  feeds[1].last_error = "store unavailable";  // as the cluster member marks the feeds due
  feeds[1].last_error_at = head.cluster->store_unavailable_since;
  const std::string page = render_status_page(feeds, kNow, {}, head);
  const auto banner = page.substr(page.find("<p id=\"store-unavailable\" class=\"error\">"));
  EXPECT_TRUE(contains(banner.substr(0, banner.find("</p>")),
                       "<strong>Store unavailable</strong> since <time datetime=\""
                       "2023-11-14T22:10:20Z\" title=\"2023-11-14 22:10:20 UTC\">3 min ago</time>: "
                       "cannot claim due feeds: connection &lt;refused&gt;. Feeds are served as "
                       "last rendered; polls resume when the database answers."));
  // The feed whose poll could not run is listed first, with the state instead of its last poll.
  EXPECT_LT(page.find("<tr id=\"feed-xh\">"), page.find("<tr id=\"feed-hz\">"));
  const auto xh = page.substr(page.find("<tr id=\"feed-xh\">"));
  EXPECT_TRUE(contains(xh.substr(0, xh.find("</tr>")), "<td class=\"error\">store unavailable ("));
  EXPECT_TRUE(contains(page, "2 feeds, 1 failing"));
}

}  // namespace
}  // namespace fg::render
