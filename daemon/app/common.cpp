#include "app/common.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace fg::app {

namespace fs = std::filesystem;

std::vector<std::string> recipe_dirs(const std::string& config_path) {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("FEEDGATE_RECIPES")) {
    std::string list = env;
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t end = std::min(list.find(':', start), list.size());
      if (end > start) dirs.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  std::error_code ec;
  const fs::path config_dir = fs::absolute(config_path, ec).parent_path();
  for (const fs::path& candidate : {config_dir / "feeds", config_dir.parent_path() / "feeds"}) {
    if (fs::is_directory(candidate, ec)) dirs.push_back(candidate.lexically_normal().string());
  }
  dirs.push_back("/usr/share/feedgate/feeds");
  return dirs;
}

std::optional<config::Config> load_or_report(const std::string& path) {
  config::LoadResult loaded = config::load_config(path, recipe_dirs(path));
  for (const auto& problem : loaded.problems)
    std::fprintf(stderr, "%s\n", problem.describe().c_str());
  if (!loaded.problems.empty()) {
    std::fprintf(stderr, "%s: %zu problem(s); fix them and run `feedgate check -c %s`\n",
                 path.c_str(), loaded.problems.size(), path.c_str());
    return std::nullopt;
  }
  return std::move(loaded.config);
}

fetch::FetchOptions fetch_options(const config::FetchOptions& options) {
  fetch::FetchOptions out;
  out.user_agent = options.user_agent;
  out.timeout = options.timeout;
  out.max_body = options.max_body;
  out.stall_timeout = options.stall_timeout;
  out.concurrency = options.concurrency;
  out.per_host = options.per_host;
  out.min_gap = options.min_gap;
  out.allow_private = options.allow_private;
  out.proxy = options.proxy;
  out.ca_bundle = options.ca_bundle;
  out.trusted_peers = options.trusted_peers;
  return out;
}

}  // namespace fg::app
