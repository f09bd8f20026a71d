// The status page at thousands of feeds: pages, search by id or title, failing feeds first,
// times relative to the page's own time.
#include <gtest/gtest.h>

#include "render/render.hpp"

namespace fg::render {
namespace {

using namespace std::chrono_literals;
const Timestamp kNow{std::chrono::seconds{1'700'000'000}};

std::vector<FeedStatus> feeds(int n) {
  std::vector<FeedStatus> out(n);
  for (int i = 0; i < n; ++i) {
    out[i].info.id = "feed" + std::to_string(i);
    out[i].info.title =
        i % 10 == 0 ? "杭州 News " + std::to_string(i) : "Other " + std::to_string(i);
  }
  return out;
}

std::vector<std::string> row_ids(const std::string& page) {
  std::vector<std::string> ids;
  for (auto at = page.find("<tr id=\"feed-"); at != std::string::npos;
       at = page.find("<tr id=\"feed-", at + 1)) {
    const auto start = at + 13;
    ids.push_back(page.substr(start, page.find('"', start) - start));
  }
  return ids;
}

bool contains(const std::string& page, const std::string& text) {
  return page.find(text) != std::string::npos;
}

TEST(StatusPages, OnePageOfRowsWithLinksToTheOthers) {
  const auto all = feeds(250);
  const std::string first = render_status_page(all, kNow);
  ASSERT_EQ(row_ids(first).size(), 100u);
  EXPECT_EQ(row_ids(first).front(), "feed0");
  EXPECT_TRUE(contains(first, "<span>page 1 of 3</span>"));
  EXPECT_TRUE(contains(first, "<a href=\"/?page=2\">next"));
  EXPECT_TRUE(contains(first, "<a href=\"/?page=3\">last"));
  EXPECT_FALSE(contains(first, "previous"));
  const std::string last = render_status_page(all, kNow, {.search = "", .page = 3});
  EXPECT_EQ(row_ids(last).size(), 50u);
  EXPECT_EQ(row_ids(last).front(), "feed200");
  EXPECT_TRUE(contains(last, "<a href=\"/?page=2\">\xE2\x80\xB9 previous</a>"));
  EXPECT_EQ(render_status_page(all, kNow, {.search = "", .page = 99}),
            last);  // past the end: the last page
  EXPECT_FALSE(contains(render_status_page(feeds(3), kNow), "<nav>"));  // one page: no pager
}

TEST(StatusPages, SearchByIdOrTitleKeepsTheQueryInTheFormAndThePager) {
  const auto all = feeds(2500);
  const std::string by_title = render_status_page(all, kNow, {.search = "杭州 news"});
  EXPECT_EQ(row_ids(by_title).size(), 100u);  // 250 match, 100 a page
  EXPECT_TRUE(contains(by_title, "250 feeds match"));
  EXPECT_TRUE(contains(by_title, "value=\"杭州 news\""));
  EXPECT_TRUE(contains(by_title, "<a href=\"/?q=%E6%9D%AD%E5%B7%9E%20news&amp;page=2\">next"));
  EXPECT_EQ(row_ids(render_status_page(all, kNow, {.search = "FEED2499"})),
            std::vector<std::string>{"feed2499"});
  EXPECT_TRUE(row_ids(render_status_page(all, kNow, {.search = "nothing"})).empty());
  const std::string hostile = render_status_page(all, kNow, {.search = "\"><script>"});
  EXPECT_FALSE(contains(hostile, "<script>"));
  EXPECT_TRUE(contains(hostile, "value=\"&quot;&gt;&lt;script&gt;\""));
}

TEST(StatusPages, FailingFeedsFirst) {
  auto all = feeds(300);
  all[7].last_error = "connect: refused";
  all[250].last_error = "HTTP 500";
  const std::string page = render_status_page(all, kNow);
  const auto ids = row_ids(page);
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(ids[0], "feed7");
  EXPECT_EQ(ids[1], "feed250");
  EXPECT_EQ(ids[2], "feed0");
  EXPECT_TRUE(contains(page, "300 feeds, 2 failing"));
}

TEST(StatusPages, TimesAreRelativeWithTheUtcTimeOnHover) {
  auto one = feeds(1);
  one[0].last_poll = kNow - 3min;
  one[0].last_success = kNow - 20s;
  one[0].next_poll = kNow + 2h;
  one[0].last_error = "x";
  one[0].last_error_at = kNow - 3 * 24h;
  const std::string page = render_status_page(one, kNow);
  EXPECT_TRUE(contains(page, "title=\"2023-11-14 22:10:20 UTC\">3 min ago</time>"));
  EXPECT_TRUE(contains(page, ">just now</time>"));
  EXPECT_TRUE(contains(page, ">in 2 h</time>"));
  EXPECT_TRUE(contains(page, ">3 d ago</time>"));
}

TEST(StatusPages, AddressOfAQuery) {
  EXPECT_EQ(status_page_url({}), "/");
  EXPECT_EQ(status_page_url({.search = "", .page = 4}), "/?page=4");
  EXPECT_EQ(status_page_url({.search = "a b&c", .page = 2}), "/?q=a%20b%26c&page=2");
}

}  // namespace
}  // namespace fg::render
