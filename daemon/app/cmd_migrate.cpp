// `feedgate migrate --from PATH.db --to postgresql://…`: moves a SQLite store to PostgreSQL.

#include <cstdio>

#include "app/args.hpp"
#include "app/common.hpp"
#include "store/store.hpp"

namespace fg::app {

namespace {

constexpr const char* kUsage =
    "usage: feedgate migrate --from PATH.db --to postgresql://USER@HOST:PORT/DB"
    " [--password-file FILE]\n";

}  // namespace

int cmd_migrate(int argc, char** argv) {
  auto args = parse_args(argc, argv, 2, {"--from", "--to", "--password-file"}, {});
  std::string error = args ? "" : args.error().message;
  if (args && (!args->get("--from") || !args->get("--to") || !args->positionals.empty())) {
    error = "--from and --to are both needed, and nothing else";
  }
  if (!args || !error.empty()) {
    std::fprintf(stderr, "feedgate migrate: %s\n%s", error.c_str(), kUsage);
    return kExitUsage;
  }
  store::PostgresOptions options;
  options.password_file = args->get("--password-file").value_or("");
  auto copied = store::copy_sqlite_to_postgres(*args->get("--from"), *args->get("--to"), options);
  if (!copied) {
    std::fprintf(stderr, "feedgate migrate: %s\n", copied.error().describe().c_str());
    return kExitFailure;
  }
  std::printf(
      "migrated feeds=%lld items=%lld polls=%lld validators=%lld subscriptions=%lld"
      " (counts verified)\n"
      "now set storage.url to the database (and remove storage.path) in the config\n",
      static_cast<long long>(copied->feeds), static_cast<long long>(copied->items),
      static_cast<long long>(copied->polls), static_cast<long long>(copied->validators),
      static_cast<long long>(copied->subscriptions));
  return kExitOk;
}

}  // namespace fg::app
