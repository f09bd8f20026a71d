// Configs that fail: each kind of problem, positioned at FILE:LINE:COL (1-based).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config_test_util.hpp"

namespace fg::config {
namespace {

using testing::described;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TempDir;

constexpr char kFile[] = "t.yaml";

// Problems of a config that is expected to fail; also checks no Config is returned.
std::vector<std::string> problems_of(const std::string& text,
                                     const std::vector<std::string>& recipe_dirs = {}) {
  const LoadResult r = parse_config(text, kFile, recipe_dirs);
  EXPECT_FALSE(r.config.has_value());
  return described(r);
}

TEST(ConfigProblems, UnknownKeySuggestsTheClosestAllowedKey) {
  EXPECT_THAT(
      problems_of("feeds:\n"
                  "  - id: a\n"
                  "    url: http://a.test/\n"
                  "    intervl: 10m\n"),
      ElementsAre("t.yaml:4:5: unknown key \"intervl\" in feed; did you mean \"interval\"?"));
}

TEST(ConfigProblems, TranspositionCountsAsOneEdit) {
  EXPECT_THAT(problems_of("fetch:\n"
                          "  per_hsot: 2\n"),
              ElementsAre("t.yaml:2:3: unknown key \"per_hsot\" in fetch; did you mean "
                          "\"per_host\"?"));
}

TEST(ConfigProblems, UnknownKeyFarFromAnyListsTheAllowedKeys) {
  EXPECT_THAT(problems_of("server: {}\n"
                          "colour: blue\n"),
              ElementsAre("t.yaml:2:1: unknown key \"colour\" in the top level; expected one of: "
                          "server, storage, fetch, defaults, feeds, log, limits, cluster, preview, "
                          "websub"));
}

TEST(ConfigProblems, FeedOnlyKeysAreUnknownInDefaults) {
  EXPECT_THAT(problems_of("defaults:\n"
                          "  url: http://a.test/\n"),
              ElementsAre(StartsWith("t.yaml:2:3: unknown key \"url\" in defaults;")));
}

TEST(ConfigProblems, DuplicateKeyNamesTheFirstLine) {
  EXPECT_THAT(problems_of("fetch:\n"
                          "  timeout: 10s\n"
                          "  timeout: 20s\n"),
              ElementsAre("t.yaml:3:3: duplicate key \"timeout\" in fetch; first set on line 2"));
}

TEST(ConfigProblems, WrongTypesSayWhatWasExpected) {
  EXPECT_THAT(problems_of("fetch: 5\n"
                          "server:\n"
                          "  listen: [a, b]\n"
                          "feeds:\n"
                          "  - id: a\n"
                          "    url: http://a.test/\n"
                          "    max_items: many\n"
                          "    article: { remove: h1 }\n"),
              ElementsAre("t.yaml:1:8: expected a mapping for fetch, got \"5\"",
                          "t.yaml:3:11: listen: expected a string, got a sequence",
                          "t.yaml:7:16: max_items: expected an integer, got \"many\"",
                          "t.yaml:8:24: remove: expected a sequence, got \"h1\""));
}

TEST(ConfigProblems, FeedsMustBeASequenceOfMappings) {
  EXPECT_THAT(problems_of("feeds: { id: a }\n"),
              ElementsAre("t.yaml:1:8: feeds: expected a sequence, got a mapping"));
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - just-a-string\n"),
              ElementsAre("t.yaml:2:5: feeds: expected a mapping for feed, got \"just-a-string\""));
}

TEST(ConfigProblems, NullValueIsReportedAtItsKey) {
  EXPECT_THAT(problems_of("fetch:\n"
                          "  user_agent:\n"
                          "  timeout: 5s\n"),
              ElementsAre("t.yaml:2:3: user_agent: expected a string, got nothing"));
}

TEST(ConfigProblems, BadDurationAndSizeCarryTheUnitsMessages) {
  EXPECT_THAT(
      problems_of("fetch:\n"
                  "  timeout: 10x\n"
                  "  max_body: 8 MiB\n"),
      ElementsAre("t.yaml:2:12: timeout: invalid duration \"10x\": unknown unit \"x\" (write e.g. "
                  "90s, 15m, 1h30m)",
                  "t.yaml:3:13: max_body: invalid size \"8 MiB\": unknown unit (use B, KB, KiB, "
                  "MB, MiB, GB or GiB)"));
}

TEST(ConfigProblems, DurationWithoutUnitIsRejected) {
  EXPECT_THAT(problems_of("defaults: { interval: 600 }\n"),
              ElementsAre("t.yaml:1:23: interval: invalid duration \"600\": missing unit (ms, s, "
                          "m, h or d) (write e.g. 90s, 15m, 1h30m)"));
}

TEST(ConfigProblems, NumbersOutOfRange) {
  EXPECT_THAT(problems_of("fetch:\n"
                          "  timeout: 500ms\n"
                          "  concurrency: 0\n"
                          "  per_host: -1\n"
                          "defaults:\n"
                          "  interval: 500ms\n"
                          "  max_items: 0\n"
                          "feeds:\n"
                          "  - { id: a, url: \"http://a.test/\", max_items: 10001 }\n"),
              ElementsAre("t.yaml:2:12: timeout must be at least 1s, got 500ms",
                          "t.yaml:3:16: concurrency must be between 1 and 1000, got 0",
                          "t.yaml:4:13: per_host must be between 1 and 1000, got -1",
                          "t.yaml:6:13: interval must be at least 1s, got 500ms",
                          "t.yaml:7:14: max_items must be between 1 and 10000, got 0",
                          "t.yaml:9:48: max_items must be between 1 and 10000, got 10001"));
}

TEST(ConfigProblems, ServerThreadsBetweenOneAndSixtyFour) {
  EXPECT_THAT(problems_of("server:\n"
                          "  threads: 0\n"),
              ElementsAre("t.yaml:2:12: threads must be between 1 and 64, got 0"));
  EXPECT_THAT(problems_of("server:\n"
                          "  threads: 65\n"),
              ElementsAre("t.yaml:2:12: threads must be between 1 and 64, got 65"));
}

TEST(ConfigProblems, MaxBackoffBetweenTenSecondsAndADay) {
  EXPECT_THAT(problems_of("defaults: { max_backoff: 5s }\n"
                          "feeds:\n"
                          "  - { id: a, url: \"http://a.test/\", max_backoff: 25h }\n"
                          "  - { id: b, url: \"http://a.test/\", max_backoff: often }\n"),
              ElementsAre("t.yaml:1:26: max_backoff must be at least 10s, got 5s",
                          "t.yaml:3:50: max_backoff must be at most 24h, got 25h",
                          StartsWith("t.yaml:4:50: max_backoff: invalid duration \"often\"")));
}

TEST(ConfigProblems, BadSelectorAndBadRegex) {
  const auto problems = problems_of(
      "defaults:\n"
      "  links: \"ul >\"\n"
      "  link_pattern: \"content_(\\\\d+\"\n"
      "  article:\n"
      "    remove: [script, \"[[\"]\n");
  ASSERT_EQ(problems.size(), 3u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], StartsWith("t.yaml:2:10: links: invalid CSS selector \"ul >\": "));
  EXPECT_THAT(problems[1], StartsWith("t.yaml:3:17: link_pattern: invalid regular expression "
                                      "\"content_(\\d+\": "));
  EXPECT_THAT(problems[2], StartsWith("t.yaml:5:22: remove: invalid CSS selector \"[[\": "));
}

TEST(ConfigProblems, BadFeedIds) {
  const std::string long_id(65, 'a');
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - id: Hz_News\n"
                          "    url: http://a.test/\n"
                          "  - id: " +
                          long_id +
                          "\n"
                          "    url: http://a.test/\n"),
              ElementsAre("t.yaml:2:9: id: invalid feed id \"Hz_News\"; use 1 to 64 characters "
                          "from a-z, 0-9 and '-' (it appears in URLs)",
                          StartsWith("t.yaml:4:9: id: invalid feed id \"aaaa")));
}

TEST(ConfigProblems, DuplicateFeedIdNamesTheFirstLine) {
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - id: news\n"
                          "    url: http://a.test/\n"
                          "  - id: other\n"
                          "    url: http://a.test/\n"
                          "  - url: http://b.test/\n"
                          "    id: news\n"),
              ElementsAre("t.yaml:7:9: id: duplicate feed id \"news\"; first defined on line 2"));
}

TEST(ConfigProblems, MissingRequiredKeysAreReportedAtTheFeed) {
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - title: no id\n"
                          "    url: http://a.test/\n"
                          "  - id: no-url\n"),
              ElementsAre("t.yaml:2:5: feed is missing required key \"id\"",
                          "t.yaml:4:5: feed is missing required key \"url\""));
}

TEST(ConfigProblems, UrlMustBeAbsoluteWithAKnownScheme) {
  EXPECT_THAT(
      problems_of("feeds:\n"
                  "  - id: a\n"
                  "    url: ftp://files.test/list\n"
                  "  - id: b\n"
                  "    url: feeds/demo/list.html\n"),
      ElementsAre("t.yaml:3:10: url: unsupported scheme \"ftp\" in \"ftp://files.test/list\"; use "
                  "http, https or file",
                  "t.yaml:5:10: url: expected an absolute http://, https:// or file:// URL, got "
                  "\"feeds/demo/list.html\" (for a file beside the config write file://./path)"));
}

TEST(ConfigProblems, UnknownTimezone) {
  EXPECT_THAT(problems_of("defaults:\n"
                          "  timezone: Mars/Olympus\n"
                          "feeds:\n"
                          "  - { id: a, url: \"http://a.test/\", timezone: ../../etc/passwd }\n"),
              ElementsAre("t.yaml:2:13: timezone: unknown time zone \"Mars/Olympus\" (use an IANA "
                          "name such as Asia/Shanghai or UTC)",
                          StartsWith("t.yaml:4:47: timezone: unknown time zone \"../../etc")));
}

TEST(ConfigProblems, ListenMustBeHostColonPort) {
  for (const char* listen : {"localhost", ":8080", "host:99999", "host:http", "[::1]8080"}) {
    const std::string text = std::string("server:\n  listen: \"") + listen + "\"\n";
    EXPECT_THAT(problems_of(text),
                ElementsAre("t.yaml:2:11: listen: expected host:port such as \"127.0.0.1:8080\" "
                            "or \"[::1]:8080\", got \"" +
                            std::string(listen) + "\""))
        << listen;
  }
}

TEST(ConfigProblems, BaseUrlMustBeHttp) {
  EXPECT_THAT(problems_of("server: { base_url: \"ftp://x.test/\" }\n"),
              ElementsAre("t.yaml:1:21: base_url: expected an http:// or https:// URL, got "
                          "\"ftp://x.test/\""));
}

TEST(ConfigProblems, YamlSyntaxErrorIsPositioned) {
  EXPECT_THAT(problems_of("server:\n"
                          "  listen: a: b\n"),
              ElementsAre("t.yaml:2:12: YAML syntax error: illegal map value"));
}

TEST(ConfigProblems, ManyProblemsAreReportedTogetherInDocumentOrder) {
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - id: a\n"
                          "    url: http://a.test/\n"
                          "    interval: soon\n"
                          "  - id: a\n"
                          "    titel: again\n"
                          "fetch:\n"
                          "  concurrency: 0\n"
                          "defaults:\n"
                          "  max_items: lots\n"),
              ElementsAre(StartsWith("t.yaml:4:15: interval: invalid duration \"soon\""),
                          "t.yaml:5:5: feed is missing required key \"url\"",
                          "t.yaml:5:9: id: duplicate feed id \"a\"; first defined on line 2",
                          "t.yaml:6:5: unknown key \"titel\" in feed; did you mean \"title\"?",
                          "t.yaml:8:16: concurrency must be between 1 and 1000, got 0",
                          "t.yaml:10:14: max_items: expected an integer, got \"lots\""));
}

TEST(ConfigProblems, UnknownRecipeListsTheAvailableOnes) {
  TempDir dir;
  dir.write("hangzhou/recipe.yaml", "max_items: 5\n");
  dir.write("demo/recipe.yaml", "max_items: 5\n");
  dir.write("not-a-recipe/readme.txt", "no recipe.yaml here\n");
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - id: a\n"
                          "    url: http://a.test/\n"
                          "    recipe: hangzou\n",
                          {dir.path().string()}),
              ElementsAre("t.yaml:4:13: recipe: unknown recipe \"hangzou\"; available recipes: "
                          "demo, hangzhou"));
}

TEST(ConfigProblems, RecipeNameCannotLeaveTheRecipeDirectory) {
  TempDir dir;
  dir.write("inner/demo/recipe.yaml", "max_items: 5\n");
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - { id: a, url: \"http://a.test/\", recipe: ../inner/demo }\n",
                          {(dir.path() / "inner" / "x").string()}),
              ElementsAre("t.yaml:2:45: recipe: unknown recipe \"../inner/demo\"; no recipes "
                          "were found"));
}

TEST(ConfigProblems, RecipeProblemsAreReportedInTheRecipeFileOnce) {
  TempDir dir;
  const std::string recipe = dir.write("demo/recipe.yaml",
                                       "name: Demo\n"
                                       "links: \"ul a\"\n"
                                       "interval: 900ms\n"
                                       "max_itmes: 3\n");
  EXPECT_THAT(problems_of("feeds:\n"
                          "  - { id: a, url: \"http://a.test/\", recipe: demo }\n"
                          "  - { id: b, url: \"http://a.test/\", recipe: demo }\n"
                          "  - { id: c, url: \"http://a.test/\", intervals: 1h }\n",
                          {dir.path().string()}),
              ElementsAre(StartsWith("t.yaml:4:37: unknown key \"intervals\" in feed"),
                          recipe + ":3:11: interval must be at least 1s, got 900ms",
                          recipe + ":4:1: unknown key \"max_itmes\" in recipe; did you mean "
                                   "\"max_items\"?"));
}

TEST(ConfigProblems, RecipeSyntaxErrorIsPositionedInTheRecipe) {
  TempDir dir;
  const std::string recipe = dir.write("demo/recipe.yaml", "links: [a\nmax_items: 3\n");
  const auto problems = problems_of(
      "feeds:\n"
      "  - { id: a, url: \"http://a.test/\", recipe: demo }\n",
      {dir.path().string()});
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_THAT(problems[0], StartsWith(recipe + ":2:"));
  EXPECT_THAT(problems[0], HasSubstr("YAML syntax error"));
}

TEST(ConfigProblems, UnreadableConfigFileIsReportedAtLineOne) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.yaml").string();
  const LoadResult r = load_config(missing);
  EXPECT_FALSE(r.config.has_value());
  EXPECT_THAT(described(r),
              ElementsAre(missing + ":1:1: cannot read config file: No such file or directory"));

  const LoadResult d = load_config(dir.path().string());
  EXPECT_THAT(described(d),
              ElementsAre(dir.path().string() + ":1:1: cannot read config file: Is a directory"));
}

}  // namespace
}  // namespace fg::config
