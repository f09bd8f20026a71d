// `feedgate serve`: the command line, the config, signals and reloads. The service's parts and
// their order are app/daemon.hpp's.

#include <malloc.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/args.hpp"
#include "app/common.hpp"
#include "app/daemon.hpp"
#include "app/service.hpp"
#include "core/log.hpp"

namespace fg::app {

namespace {

struct ServeArgs {
  std::string config_path = kDefaultConfigPath;
  std::optional<log::Level> log_level;  // --log-level; it then overrides the config's
};

// The command line of `feedgate serve`; nullopt when it is wrong (usage printed).
std::optional<ServeArgs> parse_serve_args(int argc, char** argv) {
  auto args = parse_args(argc, argv, 2, {"--config", "--log-level"}, {});
  if (!args) {
    std::fprintf(stderr,
                 "feedgate serve: %s\nusage: feedgate serve [-c FILE] [--log-level LEVEL]\n",
                 args.error().message.c_str());
    return std::nullopt;
  }
  ServeArgs out;
  if (auto level_name = args->get("--log-level")) {
    log::Level level;
    if (!log::parse_level(*level_name, level)) {
      std::fprintf(stderr, "feedgate serve: --log-level must be error, warning, info or debug\n");
      return std::nullopt;
    }
    out.log_level = level;
  }
  out.config_path = args->get("--config").value_or(kDefaultConfigPath);
  return out;
}

// Loads a config for the daemon: every problem becomes one error line (FILE:LINE:COL: message).
std::optional<config::Config> load_logged(const std::string& path) {
  config::LoadResult loaded = config::load_config(path, recipe_dirs(path));
  for (const auto& problem : loaded.problems) {
    log::error("config_problem" +
               log::kv("at", problem.file + ":" + std::to_string(problem.line) + ":" +
                                 std::to_string(problem.column)) +
               log::kv("message", problem.message));
  }
  if (!loaded.problems.empty()) {
    log::error("config_invalid" + log::kv("config", path) +
               log::kv("problems", loaded.problems.size()) +
               log::kv("hint", "run feedgate check -c " + path));
    return std::nullopt;
  }
  return std::move(loaded.config);
}

// Applies the log settings of a config unless --log-level was given.
void apply_log_level(const config::Config& config, bool level_from_command_line) {
  log::Level level;
  if (!level_from_command_line && log::parse_level(config.log.level, level)) log::set_level(level);
}

// Blocks the signals we handle in every thread, so that only sigwait() receives them.
sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Waits for signals: SIGHUP reloads (an invalid config is logged and the running one stays),
// SIGINT/SIGTERM return.
void serve_until_stopped(const sigset_t& signals, const std::string& config_path,
                         bool level_from_command_line,
                         const std::function<void(std::shared_ptr<const config::Config>)>& apply,
                         const std::function<std::string()>& status) {
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig != SIGHUP) return;
    service::reloading();
    log::info("reload" + log::kv("config", config_path));
    auto reloaded = load_logged(config_path);
    if (!reloaded) {
      log::error("reload_failed" + log::kv("config", config_path) +
                 log::kv("result", "the running configuration stays in force"));
    } else {
      apply_log_level(*reloaded, level_from_command_line);
      apply(std::make_shared<const config::Config>(std::move(*reloaded)));
      log::info("reloaded" + log::kv("config", config_path));
    }
    service::ready(status());
  }
}

// glibc gives each polling thread its own malloc arena (up to 8 per core); pages parsed on 16
// workers then leave 16 fragmented heaps resident. Two arenas take ~15% off the resident size in
// tests/bench/poll (see its README). MALLOC_ARENA_MAX in the environment still overrides.
void limit_malloc_arenas() {
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  limit_malloc_arenas();
  const auto args = parse_serve_args(argc, argv);
  if (!args) return kExitUsage;
  const bool level_from_command_line = args->log_level.has_value();
  if (args->log_level) log::set_level(*args->log_level);
  auto loaded = load_logged(args->config_path);
  if (!loaded) return kExitUsage;
  apply_log_level(*loaded, level_from_command_line);
  auto config = std::make_shared<const config::Config>(std::move(*loaded));

  const sigset_t signals = block_signals();  // before any thread starts, so all inherit it
  std::unique_ptr<Daemon> daemon = Daemon::open(config);
  if (!daemon) return kExitFailure;
  daemon->apply(config);
  daemon->start();
  auto status = [&] { return daemon->status(); };
  service::ready(status());

  serve_until_stopped(
      signals, args->config_path, level_from_command_line,
      [&](std::shared_ptr<const config::Config> next) { daemon->apply(std::move(next)); }, status);
  service::stopping();
  log::info("stopping");
  daemon->stop();
  log::info("stopped");
  return kExitOk;
}

}  // namespace fg::app
