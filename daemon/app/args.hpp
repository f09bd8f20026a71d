#pragma once
// A small command-line parser: subcommand, --flags with values, and positionals.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fg::app {

struct Args {
  std::map<std::string, std::string> options;  // "--feed" → "demo"; "-c" stored as "--config"
  std::set<std::string> flags;                 // "--list", "--explain"
  std::vector<std::string> positionals;

  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
};

// Parses argv[first..]. `valued` lists options that take a value; `switches` the flags.
// On error returns nullopt and sets `error` to a message naming the bad argument.
std::optional<Args> parse_args(int argc, char** argv, int first,
                               const std::set<std::string>& valued,
                               const std::set<std::string>& switches, std::string& error);

}  // namespace fg::app
