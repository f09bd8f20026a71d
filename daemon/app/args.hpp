#pragma once
// A small command-line parser: subcommand, --flags with values, and positionals.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace fg::app {

struct Args {
  std::map<std::string, std::string> options;  // "--feed" → "demo"; "-c" stored as "--config"
  std::set<std::string> flags;                 // "--list", "--explain"
  std::vector<std::string> positionals;

  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
};

// Parses argv[first..]. `valued` lists options that take a value; `switches` the flags.
// Errc::invalid_argument naming the bad argument ("unknown option --x") when one is wrong.
Result<Args> parse_args(int argc, char** argv, int first, const std::set<std::string>& valued,
                        const std::set<std::string>& switches);

}  // namespace fg::app
