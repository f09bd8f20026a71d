#include <cstdio>

#include "app/args.hpp"
#include "app/common.hpp"

namespace fg::app {

int cmd_check(int argc, char** argv) {
  auto args = parse_args(argc, argv, 2, {"--config"}, {});
  if (!args) {
    std::fprintf(stderr, "feedgate check: %s\nusage: feedgate check [-c FILE]\n",
                 args.error().message.c_str());
    return kExitUsage;
  }
  auto config = load_or_report(args->get("--config").value_or(kDefaultConfigPath));
  if (!config) return kExitUsage;
  std::printf("%s: OK, %zu feed(s)\n", config->path.c_str(), config->feeds.size());
  return kExitOk;
}

}  // namespace fg::app
