#pragma once
// What the subcommands share: loading the config, building the fetcher's options.

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "store/store.hpp"

namespace fg::app {

// Where recipes (feeds/<name>/recipe.yaml) are looked up for a config file: $FEEDGATE_RECIPES
// (colon-separated), then feeds/ beside or above the config's folder, then the installed ones.
std::vector<std::string> recipe_dirs(const std::string& config_path);

// Loads and validates a config; prints every problem as FILE:LINE:COL: message to stderr.
std::optional<config::Config> load_or_report(const std::string& path);

fetch::FetchOptions fetch_options(const config::FetchOptions& options);

// The configured store: PostgreSQL when storage.url is set, else the SQLite file storage.path.
Result<std::unique_ptr<store::Store>> open_store(const config::StorageOptions& storage);
// The store as logs name it: the URL or the file.
std::string store_name(const config::StorageOptions& storage);
// Where prepared feed bodies are kept: bodies/ beside the SQLite file; with PostgreSQL, in
// systemd's StateDirectory ($STATE_DIRECTORY) when set, else beside storage.path's default.
std::string body_dir(const config::StorageOptions& storage);

// The subcommands; each returns the process exit code.
int cmd_serve(int argc, char** argv);
int cmd_check(int argc, char** argv);
int cmd_poll(int argc, char** argv);
int cmd_extract(int argc, char** argv);
int cmd_migrate(int argc, char** argv);

// The config read when -c is not given (the packaged location).
constexpr const char* kDefaultConfigPath = "/etc/feedgate/feedgate.yaml";

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

}  // namespace fg::app
