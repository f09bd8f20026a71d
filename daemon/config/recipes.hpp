#pragma once
// Internal to the config module: finding, reading and caching recipe files
// (<recipe dir>/<name>/recipe.yaml), whose feed-level keys sit between defaults and a feed's own.

#include <map>
#include <string>
#include <vector>

#include "config/feed_layer.hpp"

namespace fg::config::detail {

class RecipeBook {
 public:
  // Problems inside recipe files are appended to `problems`, positioned in the recipe file.
  RecipeBook(std::vector<std::string> dirs, std::vector<Problem>& problems)
      : dirs_(std::move(dirs)), problems_(&problems) {}

  // The settings of the recipe named by entry `e` (a feed's `recipe:`), read on first use. When
  // no directory holds it, reports at the value through `r` (listing what exists) and returns
  // nullptr. Each recipe file is validated once however many feeds use it.
  const FeedLayer* find(Reporter& r, const Entry& e, const std::string& name);

 private:
  std::string locate(const std::string& name) const;  // path of recipe.yaml, or empty
  std::vector<std::string> available() const;         // sorted names of every recipe found
  FeedLayer load(const std::string& path);

  std::vector<std::string> dirs_;
  std::vector<Problem>* problems_;
  std::map<std::string, FeedLayer> loaded_;  // by recipe name
};

}  // namespace fg::config::detail
