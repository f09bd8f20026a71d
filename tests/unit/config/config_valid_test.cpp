// Configs that load: every field as written, derived values, and layering of feed settings.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.hpp"
#include "config_test_util.hpp"
#include "support/source_paths.hpp"

namespace fg::config {
namespace {

using std::chrono::milliseconds;
using testing::described;
using testing::TempDir;

constexpr char kFullConfig[] =
    "server:\n"
    "  listen: \"0.0.0.0:9090\"\n"
    "  base_url: \"https://feeds.example.org/\"\n"
    "storage:\n"
    "  path: \"/var/lib/feedgate/db.sqlite\"\n"
    "fetch:\n"
    "  user_agent: \"test-agent/1.0\"\n"
    "  timeout: 45s\n"
    "  max_body: 2MiB\n"
    "  concurrency: 4\n"
    "  per_host: 1\n"
    "defaults:\n"
    "  interval: 20m\n"
    "  max_items: 40\n"
    "  timezone: UTC\n"
    "feeds:\n"
    "  - id: hz-guonei\n"
    "    title: \"杭州网 · 国内新闻\"\n"
    "    url: \"https://news.hangzhou.com.cn/gnxw/\"\n"
    "    interval: 10m\n"
    "    max_items: 30\n"
    "    timezone: Asia/Shanghai\n"
    "    charset: gbk\n"
    "    links: \"ul.list li > a\"\n"
    "    link_pattern: 'content_\\d+\\.htm$'\n"
    "    article:\n"
    "      title: \"h1\"\n"
    "      published: \".time\"\n"
    "      author: \".author\"\n"
    "      source: \".source\"\n"
    "      content: \"#zoom\"\n"
    "      remove: [\".related\", \"script\"]\n"
    "  - id: second\n"
    "    url: \"http://example.com/list\"\n";

TEST(ConfigValid, FullConfigKeepsEveryFieldAsWritten) {
  const LoadResult r = parse_config(kFullConfig, "/etc/feedgate/feedgate.yaml");
  ASSERT_TRUE(r.problems.empty()) << ::testing::PrintToString(described(r));
  ASSERT_TRUE(r.config.has_value());
  const Config& c = *r.config;
  EXPECT_EQ(c.path, "/etc/feedgate/feedgate.yaml");
  EXPECT_EQ(c.server.listen, "0.0.0.0:9090");
  EXPECT_EQ(c.server.base_url, "https://feeds.example.org");
  EXPECT_EQ(c.storage.path, "/var/lib/feedgate/db.sqlite");
  EXPECT_EQ(c.fetch.user_agent, "test-agent/1.0");
  EXPECT_EQ(c.fetch.timeout, milliseconds(45'000));
  EXPECT_EQ(c.fetch.max_body, 2u * 1024 * 1024);
  EXPECT_EQ(c.fetch.concurrency, 4);
  EXPECT_EQ(c.fetch.per_host, 1);
  ASSERT_EQ(c.feeds.size(), 2u);

  const FeedConfig& f = c.feeds[0];
  EXPECT_EQ(f.id, "hz-guonei");
  EXPECT_EQ(f.title, "杭州网 · 国内新闻");
  EXPECT_EQ(f.url, "https://news.hangzhou.com.cn/gnxw/");
  EXPECT_EQ(f.recipe, "");
  EXPECT_EQ(f.interval, milliseconds(600'000));
  EXPECT_EQ(f.max_items, 30);
  EXPECT_EQ(f.timezone, "Asia/Shanghai");
  EXPECT_EQ(f.charset, "gbk");
  EXPECT_EQ(f.links, "ul.list li > a");
  EXPECT_EQ(f.link_pattern, "content_\\d+\\.htm$");
  EXPECT_EQ(f.article.title, "h1");
  EXPECT_EQ(f.article.published, ".time");
  EXPECT_EQ(f.article.author, ".author");
  EXPECT_EQ(f.article.source, ".source");
  EXPECT_EQ(f.article.content, "#zoom");
  EXPECT_EQ(f.article.remove, (std::vector<std::string>{".related", "script"}));

  // The second feed writes nothing feed-level, so it gets `defaults` and the id as title.
  const FeedConfig& s = c.feeds[1];
  EXPECT_EQ(s.title, "second");
  EXPECT_EQ(s.interval, milliseconds(20 * 60'000));
  EXPECT_EQ(s.max_items, 40);
  EXPECT_EQ(s.timezone, "UTC");
  EXPECT_EQ(s.links, "");
}

TEST(ConfigValid, EmptyTextGivesTheBuiltInDefaults) {
  const LoadResult r = parse_config("", "/srv/fg/feedgate.yaml");
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  EXPECT_EQ(r.config->server.listen, "127.0.0.1:8080");
  EXPECT_EQ(r.config->server.base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(r.config->server.threads, 1);
  EXPECT_EQ(r.config->storage.path, "/srv/fg/var/feedgate.db");
  EXPECT_EQ(r.config->fetch.timeout, milliseconds(30'000));
  EXPECT_TRUE(r.config->feeds.empty());
}

TEST(ConfigValid, EmptyFeedListIsAllowedWithoutWarnings) {
  for (const char* text : {"feeds: []\n", "feeds:\n"}) {
    const LoadResult r = parse_config(text, "/x/f.yaml");
    EXPECT_TRUE(r.problems.empty()) << text;
    ASSERT_TRUE(r.config.has_value()) << text;
    EXPECT_TRUE(r.config->feeds.empty());
  }
}

TEST(ConfigValid, MaxBackoffDefaultsToSixHoursAndLayersLikeOtherFeedKeys) {
  const LoadResult r = parse_config(
      "defaults: { max_backoff: 30m }\n"
      "feeds:\n"
      "  - { id: a, url: \"http://a.test/\" }\n"
      "  - { id: b, url: \"http://a.test/\", max_backoff: 10s }\n",
      "/x/f.yaml");
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  EXPECT_EQ(r.config->feeds.at(0).max_backoff, milliseconds(30 * 60'000));
  EXPECT_EQ(r.config->feeds.at(1).max_backoff, milliseconds(10'000));
  EXPECT_EQ(FeedConfig{}.max_backoff, milliseconds(6 * 3600'000));
}

TEST(ConfigValid, RangeLimitsThemselvesAreAccepted) {
  const LoadResult r = parse_config(
      "fetch: { timeout: 1s, max_body: 1B, concurrency: 1, per_host: 1 }\n"
      "feeds:\n"
      "  - { id: a, url: \"http://a.test/\", interval: 1s, max_items: 10000 }\n"
      "  - { id: b, url: \"http://a.test/\", max_items: 1 }\n",
      "/x/f.yaml");
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  EXPECT_EQ(r.config->fetch.timeout, milliseconds(1000));
  EXPECT_EQ(r.config->fetch.max_body, 1u);
  EXPECT_EQ(r.config->feeds.at(0).interval, milliseconds(1'000));
  EXPECT_EQ(r.config->feeds.at(0).max_items, 10000);
  EXPECT_EQ(r.config->feeds.at(1).max_items, 1);
}

TEST(ConfigValid, ServerThreadsAcceptsOneToSixtyFour) {
  for (const auto& [text, expected] :
       {std::pair{"server: { threads: 1 }\n", 1}, std::pair{"server: { threads: 4 }\n", 4},
        std::pair{"server: { threads: 64 }\n", 64}}) {
    const LoadResult r = parse_config(text, "/x/f.yaml");
    ASSERT_TRUE(r.config.has_value()) << text << ::testing::PrintToString(described(r));
    EXPECT_EQ(r.config->server.threads, expected) << text;
  }
}

TEST(ConfigValid, BaseUrlDerivedFromListenUsesLoopbackForWildcards) {
  const auto base = [](const std::string& listen) {
    const LoadResult r = parse_config("server: { listen: \"" + listen + "\" }\n", "/x/f.yaml");
    return r.config ? r.config->server.base_url : "<problems>";
  };
  EXPECT_EQ(base("0.0.0.0:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(base("192.168.1.5:80"), "http://192.168.1.5:80");
  EXPECT_EQ(base("[::]:9000"), "http://[::1]:9000");
  EXPECT_EQ(base("[::1]:9000"), "http://[::1]:9000");
  EXPECT_EQ(base("localhost:1"), "http://localhost:1");
}

TEST(ConfigValid, BaseUrlTrailingSlashesAreStripped) {
  const LoadResult r =
      parse_config("server: { base_url: \"http://example.org/feeds//\" }\n", "/x/f.yaml");
  ASSERT_TRUE(r.config.has_value());
  EXPECT_EQ(r.config->server.base_url, "http://example.org/feeds");
}

TEST(ConfigValid, RelativeStoragePathIsResolvedAgainstTheConfigDirectory) {
  const LoadResult r = parse_config("storage: { path: ../data/./fg.db }\n", "/etc/fg/main.yaml");
  ASSERT_TRUE(r.config.has_value());
  EXPECT_EQ(r.config->storage.path, "/etc/data/fg.db");
}

TEST(ConfigValid, StoragePathOfARelativeConfigFileBecomesAbsolute) {
  const LoadResult r = parse_config("storage: { path: db/fg.db }\n", "conf/main.yaml");
  ASSERT_TRUE(r.config.has_value());
  const std::string expected = (std::filesystem::current_path() / "conf/db/fg.db").string();
  EXPECT_EQ(r.config->storage.path, expected);
}

TEST(ConfigValid, DotSlashFileUrlIsResolvedAgainstTheConfigDirectory) {
  const LoadResult r = parse_config(
      "feeds:\n"
      "  - id: demo\n"
      "    url: file://./feeds/demo/site/list.html\n"
      "  - id: spaced\n"
      "    url: file://./a b/列表.html\n"
      "  - id: absolute\n"
      "    url: file:///srv/list.html\n",
      "/home/me/my repo/feedgate.yaml");
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  EXPECT_EQ(r.config->feeds[0].url, "file:///home/me/my%20repo/feeds/demo/site/list.html");
  EXPECT_EQ(r.config->feeds[1].url, "file:///home/me/my%20repo/a%20b/%E5%88%97%E8%A1%A8.html");
  EXPECT_EQ(r.config->feeds[2].url, "file:///srv/list.html");
}

TEST(ConfigValid, DefaultsAreOverriddenByTheFeed) {
  const LoadResult r = parse_config(
      "feeds:\n"
      "  - { id: a, url: \"http://a.test/\", max_items: 7, article: { title: h2 } }\n"
      "defaults:\n"
      "  max_items: 9\n"
      "  charset: gb18030\n"
      "  article: { title: h1, content: \"#zoom\" }\n",
      "/x/f.yaml");
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  const FeedConfig& f = r.config->feeds.at(0);
  EXPECT_EQ(f.max_items, 7);
  EXPECT_EQ(f.charset, "gb18030");
  EXPECT_EQ(f.article.title, "h2");
  EXPECT_EQ(f.article.content, "#zoom");  // article selectors merge one by one
}

TEST(ConfigValid, RecipeSitsBetweenDefaultsAndTheFeed) {
  TempDir dir;
  dir.write("demo/recipe.yaml",
            "name: Demo portal\n"
            "description: a portal for tests\n"
            "homepage: http://demo.test/\n"
            "samples: [{ page: list.html }]\n"
            "interval: 30m\n"
            "max_items: 20\n"
            "charset: gbk\n"
            "links: \"ul.news a\"\n"
            "article: { title: h1, content: \".body\", remove: [script] }\n");
  const LoadResult r = parse_config(
      "defaults:\n"
      "  interval: 1h\n"
      "  max_items: 5\n"
      "  timezone: UTC\n"
      "  links: \"a\"\n"
      "feeds:\n"
      "  - id: one\n"
      "    url: http://demo.test/list\n"
      "    recipe: demo\n"
      "    max_items: 25\n"
      "    article: { content: \"#main\" }\n",
      "/x/f.yaml", {dir.path().string()});
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  const FeedConfig& f = r.config->feeds.at(0);
  EXPECT_EQ(f.recipe, "demo");
  EXPECT_EQ(f.interval, milliseconds(30 * 60'000));  // recipe beats defaults
  EXPECT_EQ(f.max_items, 25);                        // feed beats recipe
  EXPECT_EQ(f.timezone, "UTC");                      // only defaults set it
  EXPECT_EQ(f.charset, "gbk");
  EXPECT_EQ(f.links, "ul.news a");
  EXPECT_EQ(f.article.title, "h1");
  EXPECT_EQ(f.article.content, "#main");
  EXPECT_EQ(f.article.remove, std::vector<std::string>{"script"});
}

TEST(ConfigValid, RecipeIsTakenFromTheFirstDirectoryHoldingIt) {
  TempDir first;
  TempDir second;
  first.write("a/recipe.yaml", "max_items: 11\n");
  second.write("a/recipe.yaml", "max_items: 22\n");
  second.write("b/recipe.yaml", "max_items: 33\n");
  const LoadResult r = parse_config(
      "feeds:\n"
      "  - { id: x, url: \"http://a.test/\", recipe: a }\n"
      "  - { id: y, url: \"http://a.test/\", recipe: b }\n",
      "/x/f.yaml", {first.path().string(), second.path().string()});
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  EXPECT_EQ(r.config->feeds.at(0).max_items, 11);
  EXPECT_EQ(r.config->feeds.at(1).max_items, 33);
}

TEST(ConfigValid, LoadConfigReadsAFileAndResolvesAgainstItsDirectory) {
  const std::string path = FG_FIXTURES + "/config/relative_paths.yaml";
  const LoadResult r = load_config(path);
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  const std::string dir =
      std::filesystem::path(FG_FIXTURES + "/config").lexically_normal().string();
  EXPECT_EQ(r.config->path, path);
  EXPECT_EQ(r.config->storage.path, dir + "/var/test.db");
  ASSERT_EQ(r.config->feeds.size(), 1u);
  EXPECT_EQ(r.config->feeds[0].url, "file://" + dir + "/site/list.html");
}

// The config shipped in the repo must load wherever the repo is cloned, and its demo feed must
// point at the bundled demo portal through the file://./ convenience.
TEST(ConfigValid, BundledDefaultConfigLoadsAndPointsAtTheDemoPortal) {
  const std::filesystem::path source = std::filesystem::path(FG_SOURCE_DIR).lexically_normal();
  const std::filesystem::path config = source / "config" / "feedgate.yaml";
  if (!std::filesystem::exists(config)) GTEST_SKIP() << "no bundled config at " << config;
  const LoadResult r = load_config(config.string(), {(source / "feeds").string()});
  ASSERT_TRUE(r.config.has_value()) << ::testing::PrintToString(described(r));
  for (const FeedConfig& feed : r.config->feeds) {
    if (!feed.url.starts_with("file://")) continue;
    const std::string file = feed.url.substr(std::string_view("file://").size());
    EXPECT_TRUE(std::filesystem::is_regular_file(file)) << feed.id << ": " << feed.url;
  }
}

TEST(ConfigValid, ProblemDescribeIsFileLineColumnMessage) {
  const Problem p{"conf/feedgate.yaml", 12, 7, "something is wrong"};
  EXPECT_EQ(p.describe(), "conf/feedgate.yaml:12:7: something is wrong");
}

}  // namespace
}  // namespace fg::config
