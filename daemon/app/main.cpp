#include <cstdio>
#include <cstring>
#include <string>

#include "app/common.hpp"

namespace {

constexpr const char* kHelp =
    "feedgate " FEEDGATE_VERSION
    " — turns news portals into RSS, Atom and JSON feeds\n"
    "\n"
    "usage: feedgate COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  serve [-c FILE] [--log-level L]  run the daemon: poll feeds and serve them over HTTP\n"
    "  check [-c FILE]                validate a config; print every problem as FILE:LINE:COL\n"
    "  poll [-c FILE] [--feed ID]     poll once, store, print a line per feed, exit\n"
    "  extract [--list] [--base-url URL] [--charset NAME] [-c FILE --feed ID] (URL|FILE)\n"
    "                                 extract one article (or, with --list, the article links of\n"
    "                                 a list page) and print it as JSON\n"
    "  migrate --from PATH.db --to postgresql://USER@HOST:PORT/DB [--password-file FILE]\n"
    "                                 copy a SQLite store into an empty PostgreSQL database\n"
    "  help                           this text\n"
    "  --version                      print the version\n"
    "\n"
    "Feeds are served at /feeds/ID.rss, /feeds/ID.atom and /feeds/ID.json; all of them are\n"
    "listed at /feeds.opml, and / shows each feed's state.\n"
    "Without -c, the config is /etc/feedgate/feedgate.yaml. See feedgate(1), feedgate.yaml(5).\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace fg::app;
  if (argc < 2) {
    std::fputs(kHelp, stderr);
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "serve") return cmd_serve(argc, argv);
  if (command == "check") return cmd_check(argc, argv);
  if (command == "poll") return cmd_poll(argc, argv);
  if (command == "extract") return cmd_extract(argc, argv);
  if (command == "migrate") return cmd_migrate(argc, argv);
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    std::printf("feedgate %s\n", FEEDGATE_VERSION);
    return kExitOk;
  }
  std::fprintf(stderr, "feedgate: unknown command \"%s\"; see `feedgate help`\n", command.c_str());
  return kExitUsage;
}
