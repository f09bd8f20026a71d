// The /preview work: the form read, the config entry it proposes (checked by the real config
// parser), and previews of a portal on loopback: links, first article with its rules, refusals.

#include "pipeline/preview.hpp"

#include <gtest/gtest.h>

#include <string>

#include "fetch/fetcher.hpp"
#include "support/http_server.hpp"

namespace fg::pipeline {
namespace {

using test::http_response;
using test::TestServer;

// 2026-12-02 08:00 UTC, after the dates on the pages below.
constexpr Timestamp kNow{std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} +
                         std::chrono::hours(8)};

TEST(PreviewForm, ReadsEveryFieldDecoded) {
  const PreviewAsk ask = read_preview_ask(
      "url=http%3A%2F%2Fportal.test%2Fgnxw%2F+&charset=gbk&links=ul.list+li+%3E+a&link_pattern="
      "content_%5Cd%2B&title=h1&published=.time&author=&source=.src&content=%23zoom&remove=.ad&"
      "token=s3cret+&unknown=x");
  EXPECT_EQ(ask.form.url, "http://portal.test/gnxw/");  // trimmed
  EXPECT_EQ(ask.form.charset, "gbk");
  EXPECT_EQ(ask.form.links, "ul.list li > a");
  EXPECT_EQ(ask.form.link_pattern, "content_\\d+");
  EXPECT_EQ(ask.form.title, "h1");
  EXPECT_EQ(ask.form.published, ".time");
  EXPECT_EQ(ask.form.author, "");
  EXPECT_EQ(ask.form.source, ".src");
  EXPECT_EQ(ask.form.content, "#zoom");
  EXPECT_EQ(ask.form.remove, ".ad");
  EXPECT_EQ(ask.token, "s3cret ");  // a token is taken as typed
  const config::FeedConfig feed = preview_feed(ask.form);
  EXPECT_EQ(feed.charset, "gbk");
  EXPECT_EQ(feed.article.content, "#zoom");
  ASSERT_EQ(feed.article.remove.size(), 1u);
}

TEST(PreviewForm, FeedIdsAreCheckClean) {
  EXPECT_EQ(preview_feed_id("https://www.hangzhou.com.cn/gnxw/"), "hangzhou-com-cn-gnxw");
  EXPECT_EQ(preview_feed_id("http://news.example.cn/a/b/list_12.shtml?x=1"),
            "news-example-cn-list-12");
  EXPECT_EQ(preview_feed_id("http://127.0.0.1:8080/index.html"), "127-0-0-1");
  EXPECT_EQ(preview_feed_id("http://例子.中国/新闻/"), "portal");
  EXPECT_EQ(preview_feed_id(std::string("http://") + std::string(100, 'a') + ".test/").size(), 64u);
}

// The entry, pasted under `feeds:`, is a valid config whose feed is the form's.
config::FeedConfig parsed_entry(const render::PreviewForm& form, std::string_view title) {
  const std::string yaml = "feeds:\n" + preview_yaml(form, title);
  const config::LoadResult loaded = config::parse_config(yaml, "pasted.yaml");
  EXPECT_TRUE(loaded.problems.empty())
      << yaml << (loaded.problems.empty() ? "" : loaded.problems.front().describe());
  if (!loaded.config || loaded.config->feeds.size() != 1) return {};
  return loaded.config->feeds.front();
}

TEST(PreviewYaml, ZeroConfigEntryHasOnlyIdTitleAndUrl) {
  render::PreviewForm form;
  form.url = "https://www.hangzhou.com.cn/gnxw/";
  EXPECT_EQ(preview_yaml(form, "杭州网"),
            "  - id: hangzhou-com-cn-gnxw\n"
            "    title: \"杭州网\"\n"
            "    url: \"https://www.hangzhou.com.cn/gnxw/\"\n");
  const config::FeedConfig feed = parsed_entry(form, "杭州网");
  EXPECT_EQ(feed.id, "hangzhou-com-cn-gnxw");
  EXPECT_EQ(feed.title, "杭州网");
  EXPECT_EQ(feed.url, form.url);
}

TEST(PreviewYaml, EveryFieldSurvivesQuotesBackslashesAndControls) {
  render::PreviewForm form;
  form.url = "http://portal.test/list?a=1&b=\"2\"#x";
  form.charset = "gb18030";
  form.links = "a[href*='content'], a[title=\"x\"]";
  form.link_pattern = "content_\\d+\\.html$";
  form.title = "h1.title";
  form.published = ".info span:first-child";
  form.author = ".author";
  form.source = ".source";
  form.content = "#zoom";
  form.remove = ".ad, script";
  const std::string title = "演示网 \"quoted\" \\ back\tslash: # not a comment";
  const config::FeedConfig feed = parsed_entry(form, title);
  EXPECT_EQ(feed.title, title);
  EXPECT_EQ(feed.url, form.url);
  EXPECT_EQ(feed.charset, form.charset);
  EXPECT_EQ(feed.links, form.links);
  EXPECT_EQ(feed.link_pattern, form.link_pattern);
  EXPECT_EQ(feed.article.title, form.title);
  EXPECT_EQ(feed.article.published, form.published);
  EXPECT_EQ(feed.article.author, form.author);
  EXPECT_EQ(feed.article.source, form.source);
  EXPECT_EQ(feed.article.content, form.content);
  ASSERT_EQ(feed.article.remove.size(), 1u);
  EXPECT_EQ(feed.article.remove[0], form.remove);
}

constexpr char kList[] = R"(<html><head><title>频道 <script>x</script></title></head><body>
<div class="nav"><a href="/">首页</a><a href="/about.html">关于</a></div>
<ul class="list">
<li><a href="/2026/12/01/content_1.html">第一条新闻标题在这里足够长 &lt;script&gt;</a><span>2026-12-01</span></li>
<li><a href="/2026/11/30/content_2.html">第二条新闻标题在这里足够长</a><span>2026-11-30</span></li>
<li><a href="/2026/11/29/content_3.html">第三条新闻标题在这里足够长</a><span>2026-11-29</span></li>
</ul></body></html>)";

constexpr char kArticle[] = R"(<html><head><title>第一条新闻 - 演示网</title></head><body>
<h1>第一条新闻 "&lt;script&gt;alert(1)&lt;/script&gt;"</h1>
<div class="info">2026-12-01 10:30 来源：新华网 作者：张三</div>
<div id="zoom"><p>正文第一段，足够长的文字，讲述了一件事情。</p>
<p>正文第二段 <script>alert('body')</script> 继续讲述这件事情的经过。</p></div>
</body></html>)";

class PreviewRun : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string html = "Content-Type: text/html; charset=utf-8\r\n";
    portal_.on("/list/", http_response(200, html, kList));
    portal_.on("/2026/12/01/content_1.html", http_response(200, html, kArticle));
    config_.fetch.allow_private = true;  // the portal is on loopback
  }
  fetch::FetchOptions fetch_options() const {
    fetch::FetchOptions o;
    o.allow_private = config_.fetch.allow_private;
    o.min_gap = std::chrono::milliseconds(0);
    return o;
  }
  TestServer portal_;
  config::Config config_;
};

TEST_F(PreviewRun, LinksFirstArticleRulesAndEntry) {
  fetch::Fetcher fetcher(fetch_options());
  render::PreviewForm form;
  form.url = portal_.url("/list/");
  const PreviewOutcome out = run_preview(form, fetcher, config_, kNow);
  EXPECT_EQ(out.status, 200) << out.page.refusal;
  ASSERT_TRUE(out.page.result.has_value());
  const render::PreviewResult& r = *out.page.result;
  ASSERT_EQ(r.links.size(), 3u);
  EXPECT_EQ(r.links[0].url, portal_.url("/2026/12/01/content_1.html"));
  EXPECT_EQ(r.links[0].date.substr(0, 10), "2026-12-01");
  EXPECT_FALSE(r.groups.empty());
  ASSERT_TRUE(r.article.has_value()) << r.article_error;
  EXPECT_EQ(r.article->title, "第一条新闻 \"<script>alert(1)</script>\"");
  EXPECT_EQ(r.article->source, "新华网");
  EXPECT_EQ(r.article->author, "张三");
  EXPECT_EQ(r.article->content_html.find("<script"), std::string::npos);  // sanitized
  EXPECT_NE(r.article->content_html.find("正文第一段"), std::string::npos);
  bool title_rule = false;
  for (const auto& rule : r.rules) title_rule = title_rule || rule.starts_with("title: ");
  EXPECT_TRUE(title_rule);
  EXPECT_EQ(r.yaml.rfind("  - id: 127-0-0-1-list\n", 0), 0u) << r.yaml;
  // The hostile title and link text come out of the page escaped, never as elements.
  const std::string html = render::render_preview_page(out.page);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST_F(PreviewRun, AddressPolicyRefusalIs403) {
  config_.fetch.allow_private = false;
  fetch::Fetcher fetcher(fetch_options());
  render::PreviewForm form;
  form.url = portal_.url("/list/");
  const PreviewOutcome out = run_preview(form, fetcher, config_, kNow);
  EXPECT_EQ(out.status, 403);
  EXPECT_EQ(out.page.refusal.rfind("Refused by the address policy: ", 0), 0u) << out.page.refusal;
  EXPECT_NE(out.page.refusal.find("fetch.allow_private"), std::string::npos);
  EXPECT_FALSE(out.page.result.has_value());
  EXPECT_TRUE(portal_.requests().empty());
}

TEST_F(PreviewRun, BadUrlAndUnreadablePages) {
  fetch::Fetcher fetcher(fetch_options());
  render::PreviewForm form;
  for (const char* url : {"file:///etc/passwd", "javascript:alert(1)", "portal.test/list"}) {
    form.url = url;
    EXPECT_EQ(run_preview(form, fetcher, config_, kNow).status, 400) << url;
  }
  form.url = portal_.url("/missing/");
  const PreviewOutcome missing = run_preview(form, fetcher, config_, kNow);
  EXPECT_EQ(missing.status, 502);
  EXPECT_NE(missing.page.refusal.find("404"), std::string::npos) << missing.page.refusal;
  form.url = portal_.url("/list/");
  form.links = "ul[";  // a selector the engine refuses
  EXPECT_EQ(run_preview(form, fetcher, config_, kNow).status, 422);
}

TEST_F(PreviewRun, SelectorsFromTheFormApply) {
  fetch::Fetcher fetcher(fetch_options());
  render::PreviewForm form;
  form.url = portal_.url("/list/");
  form.links = "div.nav a";
  form.link_pattern = "about";
  const PreviewOutcome out = run_preview(form, fetcher, config_, kNow);
  ASSERT_TRUE(out.page.result.has_value());
  ASSERT_EQ(out.page.result->links.size(), 1u);
  EXPECT_EQ(out.page.result->links[0].url, portal_.url("/about.html"));
  EXPECT_TRUE(out.page.result->links_by_selector);
  EXPECT_NE(out.page.result->yaml.find("    links: \"div.nav a\"\n"), std::string::npos);
}

}  // namespace
}  // namespace fg::pipeline
