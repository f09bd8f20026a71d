#pragma once
// Internal to the config module: a feed's shaping keys (`filter:`, `opencc:`), checked as the
// query parameters of the same names are when a reader sends them (RE2 syntax, 256 bytes).

#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace fg::config::detail {

// Reads a `filter:` mapping (include, exclude, case_sensitive, max_age) into `out`; a pattern
// RE2 rejects is reported at its own position.
void read_feed_filter(Reporter& r, const Entry& e, FeedFilter& out);

// An `opencc:` value: one of the conversions offered; nullopt (reported) otherwise.
std::optional<std::string> read_opencc(Reporter& r, const Entry& e);

}  // namespace fg::config::detail
