// The page limits: the element budget, the article size cap and the parse gate.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "pipeline/article_cap.hpp"
#include "pipeline/page_budget.hpp"
#include "pipeline/poll.hpp"

namespace fg::pipeline {
namespace {

TEST(PageElements, CountsStartTagsOnly) {
  EXPECT_TRUE(check_page_elements("<p>a</p><br><!-- <x> -->< b", 3, "list page", "u").ok());
  const auto over = check_page_elements("<p><p><p><p>", 3, "list page", "http://x/");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Errc::too_large);
  EXPECT_NE(over.error().message.find("list page has more than 3 elements"), std::string::npos);
  EXPECT_EQ(over.error().where, "http://x/");
}

TEST(PageElements, ListPageOverTheBudgetIsAPerFeedError) {
  config::FeedConfig feed;
  config::LimitsOptions limits;
  limits.max_page_elements = 1000;
  std::string page = "<ul>";
  for (int i = 0; i < 2000; ++i) page += "<br>";
  const auto links =
      extract_list_page(page, "text/html; charset=utf-8", "http://x/", feed, now_seconds(), limits);
  ASSERT_FALSE(links.ok());
  EXPECT_NE(links.error().describe().find("list page has more than 1000 elements"),
            std::string::npos);
}

TEST(ArticleCap, LeavesContentThatFits) {
  EXPECT_EQ(cap_content_html("<p>short</p>", 100, "http://x/a"), "<p>short</p>");
}

TEST(ArticleCap, CutsBeforeATagAndClosesWhatIsOpen) {
  const std::string html = "<div><p>one</p><p>two <b>bold</b></p><p>three</p></div>";
  const std::string capped = cap_content_html(html, 30, "http://x/a?b=1&c=\"2\"");
  EXPECT_EQ(capped,
            "<div><p>one</p><p>two <b>bold</b></p></div>"
            "<p><a href=\"http://x/a?b=1&amp;c=&quot;2&quot;\">Continue reading…</a></p>")
      << capped;
}

TEST(ArticleCap, VoidAndSelfClosingElementsStayUnopened) {
  const std::string html = "<p>a<br>b<img src=\"x>y\"/></p><p>" + std::string(100, 'z') + "</p>";
  const std::string capped = cap_content_html(html, 40, "u");
  EXPECT_EQ(capped.substr(0, capped.find("<p><a")), "<p>a<br>b<img src=\"x>y\"/></p>");
}

TEST(ArticleCap, OneHugeTextBlockLeavesOnlyTheLink) {
  const std::string html = "<p>" + std::string(1000, 'x') + "</p>";
  EXPECT_EQ(cap_content_html(html, 100, "u"), "<p><a href=\"u\">Continue reading…</a></p>");
}

TEST(ArticleCap, TextIsCutOnACharacterBoundary) {
  EXPECT_EQ(cap_text("abc", 5), "abc");
  EXPECT_EQ(cap_text("新闻发布", 7), "新闻…");  // 3 bytes each: the third would straddle
}

TEST(PageBudget, AdmitsAtMostParseConcurrencyAtOnce) {
  config::LimitsOptions limits;
  limits.parse_concurrency = 2;
  PageBudget budget(limits);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 50; ++k) {
        PageBudget::Slot slot(budget, 1000);
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
}

TEST(PageBudget, LargePagesAreParsedOneAtATime) {
  PageBudget budget;  // parse_concurrency 2
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 20; ++k) {
        PageBudget::Slot slot(budget, PageBudget::kParseBytes / 2 + 1);
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 1);
  PageBudget::Slot huge(budget, PageBudget::kParseBytes * 4);  // always admitted when alone
}

}  // namespace
}  // namespace fg::pipeline
