#pragma once
// Leveled logging to stderr, one event per line: an event name, then key=value fields
// ("poll feed=demo status=200 took_ms=12"). Under journald (stderr not a terminal) lines carry
// the "<N>" syslog priority prefix that SyslogLevelPrefix understands.

#include <string>
#include <string_view>

namespace fg::log {

enum class Level { error = 3, warning = 4, info = 6, debug = 7 };

// Messages above this level are dropped. Default: info.
void set_level(Level level);
Level level();
// Parses "error", "warning", "info", "debug"; false when unknown.
bool parse_level(std::string_view name, Level& out);

// " key=value", the value double-quoted (with \" and \\ escaped) when it is empty or holds a
// space, a quote, a backslash or '='.
std::string kv(std::string_view key, std::string_view value);
std::string kv(std::string_view key, long long value);

void write(Level level, std::string_view message);
inline void error(std::string_view m) {
  write(Level::error, m);
}
inline void warning(std::string_view m) {
  write(Level::warning, m);
}
inline void info(std::string_view m) {
  write(Level::info, m);
}
inline void debug(std::string_view m) {
  write(Level::debug, m);
}

// For the catch block at a thread's entry point: logs the exception being handled as
// "thread_failed thread=<thread> error=<what> result=<result>", `result` saying what the thread
// does next (recovers, or shuts down). Never throws.
void thread_failed(std::string_view thread, std::string_view result);

}  // namespace fg::log
