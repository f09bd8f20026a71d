// Structured log lines: key=value quoting, levels and the journald priority prefix.

#include "core/log.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace fg::log {
namespace {

TEST(LogKv, PlainValuesAreBare) {
  EXPECT_EQ(kv("feed", "hz-gnxw"), " feed=hz-gnxw");
  EXPECT_EQ(kv("status", 503), " status=503");
  EXPECT_EQ(kv("url", "https://a.test/x?y"), " url=https://a.test/x?y");
}

TEST(LogKv, SpacesQuotesAndEmptyAreQuoted) {
  EXPECT_EQ(kv("error", "HTTP 503 from a.test"), " error=\"HTTP 503 from a.test\"");
  EXPECT_EQ(kv("error", R"(say "hi" \ bye)"), R"( error="say \"hi\" \\ bye")");
  EXPECT_EQ(kv("title", ""), " title=\"\"");
  EXPECT_EQ(kv("q", "a=b"), " q=\"a=b\"");
}

TEST(LogLevel, ParsesTheFourNames) {
  Level l = Level::info;
  EXPECT_TRUE(parse_level("debug", l));
  EXPECT_EQ(l, Level::debug);
  EXPECT_TRUE(parse_level("warning", l));
  EXPECT_EQ(l, Level::warning);
  EXPECT_TRUE(parse_level("error", l));
  EXPECT_EQ(l, Level::error);
  EXPECT_FALSE(parse_level("loud", l));
}

// Runs `body` with stderr sent to a file and returns what was written.
template <typename F>
std::string captured_stderr(F body) {
  char path[] = "/tmp/fg_log_test_XXXXXX";
  const int fd = mkstemp(path);
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  dup2(fd, STDERR_FILENO);
  body();
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(fd);
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  unlink(path);
  return text.str();
}

TEST(LogWrite, OneLinePerEventWithPriorityAndLevelFilter) {
  // The prefix style is fixed by whether stderr was a terminal when the first line was written.
  const bool terminal = isatty(STDERR_FILENO) != 0;
  set_level(Level::warning);
  const std::string out = captured_stderr([] {
    warning("poll feed=a error=\"two\nlines\"");
    info("poll feed=b");  // below the level: dropped
    error("stopped");
  });
  set_level(Level::info);
  if (terminal) {
    EXPECT_EQ(out, "warning: poll feed=a error=\"two lines\"\nerror: stopped\n");
  } else {
    EXPECT_EQ(out, "<4>poll feed=a error=\"two lines\"\n<3>stopped\n");
  }
}

}  // namespace
}  // namespace fg::log
