#pragma once
// Internal to the config module: feeds that name other feeds (merge, same_as) name ones that
// exist and poll; problems are reported where the naming feed was defined.

#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace fg::config::detail {

// Feed id → where its merge or same_as was written.
using FeedMarks = std::map<std::string, YAML::Mark>;

// Every merged id names a feed that polls (merges do not nest), and none is listed twice.
void check_merges(Reporter& r, const std::vector<FeedConfig>& feeds, const FeedMarks& marks);
// A same_as names another feed defined here that is not itself a same_as (one level).
void check_same_as(Reporter& r, const std::vector<FeedConfig>& feeds, const FeedMarks& marks);

}  // namespace fg::config::detail
