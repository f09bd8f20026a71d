#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>

namespace fg::log {

namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;
}  // namespace

void set_level(Level level) {
  g_level = level;
}
Level level() {
  return g_level;
}

bool parse_level(std::string_view name, Level& out) {
  if (name == "error")
    out = Level::error;
  else if (name == "warning" || name == "warn")
    out = Level::warning;
  else if (name == "info")
    out = Level::info;
  else if (name == "debug")
    out = Level::debug;
  else
    return false;
  return true;
}

std::string kv(std::string_view key, std::string_view value) {
  std::string out = " ";
  out.append(key);
  out += '=';
  const bool quote = value.empty() || value.find_first_of(" \t\"\\=") != std::string_view::npos;
  if (!quote) return out.append(value);
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string kv(std::string_view key, long long value) {
  return kv(key, std::string_view(std::to_string(value)));
}

namespace {
// "<N>" priority prefixes, which journald reads (SyslogLevelPrefix=), when stderr is no terminal.
// FEEDGATE_LOG_FORMAT=plain keeps the terminal's form: a container runtime stores lines as they
// are, and `docker logs` readers want "warning: ...", not "<4>...".
bool journal_prefixes() {
  const char* format = std::getenv("FEEDGATE_LOG_FORMAT");
  if (format != nullptr && std::string_view(format) == "plain") return false;
  return isatty(STDERR_FILENO) == 0;
}
}  // namespace

void write(Level lvl, std::string_view message) {
  if (static_cast<int>(lvl) > static_cast<int>(g_level.load())) return;
  static const bool journal = journal_prefixes();
  std::string line;
  if (journal) {
    line.append("<").append(std::to_string(static_cast<int>(lvl))).append(">");
  } else {
    static constexpr const char* kNames[] = {"", "", "", "error: ", "warning: ", "", "", ""};
    line = kNames[static_cast<int>(lvl)];
  }
  line.append(message);
  // One event per line: fold embedded newlines.
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  line += '\n';
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void thread_failed(std::string_view thread, std::string_view result) {
  std::string what = "unknown (not a std::exception)";
  try {
    if (auto current = std::current_exception()) std::rethrow_exception(current);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {  // `what` already says it
  }
  try {
    error("thread_failed" + kv("thread", thread) + kv("error", what) + kv("result", result));
  } catch (...) {  // out of memory for the line: nothing better to do than go on
  }
}

}  // namespace fg::log
