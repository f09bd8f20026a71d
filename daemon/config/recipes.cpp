#include "config/recipes.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fg::config::detail {

namespace {

namespace fs = std::filesystem;

// Informational keys a recipe may carry besides the feed-level ones.
constexpr std::string_view kRecipeKeys[] = {"interval", "max_items", "timezone", "charset", "links",
                                            "link_pattern", "article", "name", "description",
                                            "homepage", "samples", "max_backoff", "keep_items",
                                            // Bylines.
                                            "byline_in_content"};

// A recipe name is one path component; anything else could escape the recipe directories.
bool plain_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

bool file_exists(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

}  // namespace

const FeedLayer* RecipeBook::find(Reporter& r, const Entry& e, const std::string& name) {
  if (auto it = loaded_.find(name); it != loaded_.end()) return &it->second;
  const std::string path = plain_name(name) ? locate(name) : std::string{};
  if (path.empty()) {
    std::string names;
    for (const std::string& n : available()) names += (names.empty() ? "" : ", ") + n;
    r.at_value(
        e.key, e.value,
        "recipe: unknown recipe \"" + name + "\"; " +
            (names.empty() ? std::string("no recipes were found") : "available recipes: " + names));
    return nullptr;
  }
  return &loaded_.emplace(name, load(path)).first->second;
}

std::string RecipeBook::locate(const std::string& name) const {
  for (const std::string& dir : dirs_) {
    const fs::path candidate = fs::path(dir) / name / "recipe.yaml";
    if (file_exists(candidate)) return candidate.string();
  }
  return {};
}

std::vector<std::string> RecipeBook::available() const {
  std::vector<std::string> names;
  for (const std::string& dir : dirs_) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (file_exists(it->path() / "recipe.yaml")) {
        names.push_back(it->path().filename().string());
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

FeedLayer RecipeBook::load(const std::string& path) {
  Reporter r(path, *problems_);
  FeedLayer layer;
  const auto text = read_text_file(path);
  if (!text) {
    r.at(YAML::Mark::null_mark(), "cannot read recipe file: " + text.error().message);
    return layer;
  }
  const auto root = parse_yaml(r, *text);
  if (!root) return layer;
  for (const Entry& e : mapping_entries(r, YAML::Node(), *root, "recipe", kRecipeKeys)) {
    if (read_feed_level_key(r, e, layer)) continue;
    if (e.name != "samples") (void)read_string(r, e);  // name, description, homepage
  }
  return layer;
}

}  // namespace fg::config::detail
