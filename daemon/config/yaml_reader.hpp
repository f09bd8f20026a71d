#pragma once
// Internal to the config module: typed reads of yaml-cpp nodes that record a positioned Problem
// instead of throwing. Includes yaml-cpp, so it is never included from config.hpp.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"

namespace fg::config::detail {

// Collects problems for one file.
class Reporter {
 public:
  Reporter(std::string file, std::vector<Problem>& problems)
      : file_(std::move(file)), problems_(&problems) {}

  const std::string& file() const { return file_; }
  // Records a problem at a yaml-cpp mark (0-based; a null mark becomes 1:1).
  void at(const YAML::Mark& mark, std::string message);
  // Records a problem at `value`, or at `key` when the value has no text of its own (null).
  void at_value(const YAML::Node& key, const YAML::Node& value, std::string message);

 private:
  std::string file_;
  std::vector<Problem>* problems_;
};

// Reads a whole file; on failure returns nullopt and sets `error` to strerror's text.
Result<std::string> read_text_file(const std::string& path);

// Parses YAML text; a syntax error is reported at its position and yields nullopt.
std::optional<YAML::Node> parse_yaml(Reporter& r, const std::string& text);

// One `key: value` pair of a mapping, with the key node kept for positions.
struct Entry {
  std::string name;
  YAML::Node key;
  YAML::Node value;
};

// Restricted Damerau-Levenshtein (optimal string alignment) distance.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest of `candidates` within distance 2, or empty.
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);

// "a mapping", "a sequence", "a string", "nothing": for "expected X, got Y" messages.
std::string describe_node(const YAML::Node& node);

// Checks that `node` is a mapping and returns its entries in document order. Unknown keys (with a
// did-you-mean), duplicate keys and non-string keys are reported and left out. `context` names
// the mapping in messages ("feed", "fetch", ...). A null node yields no entries and no problem.
std::vector<Entry> mapping_entries(Reporter& r, const YAML::Node& key, const YAML::Node& node,
                                   std::string_view context,
                                   std::span<const std::string_view> allowed);

// Typed reads of an entry's value; each reports a problem and returns nullopt when invalid.
std::optional<std::string> read_string(Reporter& r, const Entry& e);
std::optional<long long> read_integer(Reporter& r, const Entry& e, long long min, long long max);
std::optional<std::chrono::milliseconds> read_duration(Reporter& r, const Entry& e,
                                                       std::chrono::milliseconds min);
std::optional<std::uint64_t> read_size(Reporter& r, const Entry& e, std::uint64_t min);
// true/false (also yes/no, on/off as YAML 1.1 spells them).
std::optional<bool> read_bool(Reporter& r, const Entry& e);
// A sequence of strings.
std::optional<std::vector<std::string>> read_string_list(Reporter& r, const Entry& e);

}  // namespace fg::config::detail
