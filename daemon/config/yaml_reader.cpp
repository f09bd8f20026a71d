#include "config/yaml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

#include "core/text.hpp"
#include "core/units.hpp"

namespace fg::config::detail {

void Reporter::at(const YAML::Mark& mark, std::string message) {
  // yaml-cpp marks are 0-based and -1 when unknown; Problem positions are 1-based.
  const int line = mark.is_null() ? 1 : mark.line + 1;
  const int column = mark.is_null() ? 1 : mark.column + 1;
  problems_->push_back(Problem{file_, line, column, std::move(message)});
}

void Reporter::at_value(const YAML::Node& key, const YAML::Node& value, std::string message) {
  // A null value's mark points at whatever token follows it, which would mislead the reader.
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) {
    at(key.Mark(), std::move(message));
  } else {
    at(value.Mark(), std::move(message));
  }
}

Result<std::string> read_text_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return make_error(Errc::io, std::strerror(errno), path);
  std::string text;
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  // A directory opens fine on Linux and fails on read with EISDIR.
  const bool failed = std::ferror(f) != 0;
  const int saved_errno = errno;
  std::fclose(f);
  if (failed) return make_error(Errc::io, std::strerror(saved_errno), path);
  return text;
}

std::optional<YAML::Node> parse_yaml(Reporter& r, const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& ex) {
    r.at(ex.mark, "YAML syntax error: " + ex.msg);
  } catch (const YAML::Exception& ex) {
    r.at(ex.mark, "YAML error: " + ex.msg);
  }
  return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string closest_match(std::string_view word, std::span<const std::string_view> candidates) {
  std::string best;
  std::size_t best_distance = 3;  // suggestions further than 2 edits away are noise
  for (std::string_view c : candidates) {
    const std::size_t dist = edit_distance(word, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = std::string(c);
    }
  }
  return best;
}

std::string describe_node(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a sequence";
  return "\"" + node.Scalar() + "\"";
}

namespace {

std::string join(std::span<const std::string_view> words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

std::string unknown_key_message(const std::string& name, std::string_view context,
                                std::span<const std::string_view> allowed) {
  std::string msg = "unknown key \"" + name + "\" in " + std::string(context);
  const std::string suggestion = closest_match(name, allowed);
  if (!suggestion.empty()) return msg + "; did you mean \"" + suggestion + "\"?";
  return msg + "; expected one of: " + join(allowed);
}

}  // namespace

std::vector<Entry> mapping_entries(Reporter& r, const YAML::Node& key, const YAML::Node& node,
                                   std::string_view context,
                                   std::span<const std::string_view> allowed) {
  std::vector<Entry> entries;
  if (!node.IsDefined() || node.IsNull()) return entries;
  if (!node.IsMap()) {
    r.at_value(key, node,
               "expected a mapping for " + std::string(context) + ", got " + describe_node(node));
    return entries;
  }
  std::map<std::string, int> first_line;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node k = it->first;  // a copy: `it->` yields a temporary pair
    if (!k.IsScalar()) {
      r.at(k.Mark(),
           "expected a plain key in " + std::string(context) + ", got " + describe_node(k));
      continue;
    }
    const std::string name = k.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      r.at(k.Mark(), unknown_key_message(name, context, allowed));
      continue;
    }
    const auto [seen, inserted] = first_line.emplace(name, k.Mark().line + 1);
    if (!inserted) {
      r.at(k.Mark(), "duplicate key \"" + name + "\" in " + std::string(context) +
                         "; first set on line " + std::to_string(seen->second));
      continue;
    }
    entries.push_back(Entry{name, k, it->second});
  }
  return entries;
}

std::optional<std::string> read_string(Reporter& r, const Entry& e) {
  if (!e.value.IsScalar()) {
    r.at_value(e.key, e.value, e.name + ": expected a string, got " + describe_node(e.value));
    return std::nullopt;
  }
  return e.value.Scalar();
}

std::optional<long long> read_integer(Reporter& r, const Entry& e, long long min, long long max) {
  const auto text = read_string(r, e);
  if (!text) return std::nullopt;
  long long n = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, n);
  if (text->empty() || ec != std::errc{} || ptr != end) {
    r.at_value(e.key, e.value, e.name + ": expected an integer, got \"" + *text + "\"");
    return std::nullopt;
  }
  if (n < min || n > max) {
    const std::string range =
        max == std::numeric_limits<long long>::max()
            ? "at least " + std::to_string(min)
            : "between " + std::to_string(min) + " and " + std::to_string(max);
    r.at_value(e.key, e.value, e.name + " must be " + range + ", got " + *text);
    return std::nullopt;
  }
  return n;
}

std::optional<bool> read_bool(Reporter& r, const Entry& e) {
  const auto text = read_string(r, e);
  if (!text) return std::nullopt;
  const std::string v = ascii_lower(*text);
  if (v == "true" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "no" || v == "off") return false;
  r.at_value(e.key, e.value, e.name + ": expected true or false, got \"" + *text + "\"");
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> read_duration(Reporter& r, const Entry& e,
                                                       std::chrono::milliseconds min) {
  const auto text = read_string(r, e);
  if (!text) return std::nullopt;
  auto parsed = parse_duration(*text);
  if (!parsed) {
    r.at_value(e.key, e.value, e.name + ": " + parsed.error().message);
    return std::nullopt;
  }
  if (*parsed < min) {
    r.at_value(e.key, e.value,
               e.name + " must be at least " + format_duration(min) + ", got " + *text);
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::uint64_t> read_size(Reporter& r, const Entry& e, std::uint64_t min) {
  const auto text = read_string(r, e);
  if (!text) return std::nullopt;
  auto parsed = parse_size(*text);
  if (!parsed) {
    r.at_value(e.key, e.value, e.name + ": " + parsed.error().message);
    return std::nullopt;
  }
  if (*parsed < min) {
    r.at_value(e.key, e.value,
               e.name + " must be at least " + std::to_string(min) + " bytes, got " + *text);
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::vector<std::string>> read_string_list(Reporter& r, const Entry& e) {
  if (!e.value.IsSequence()) {
    r.at_value(e.key, e.value, e.name + ": expected a sequence, got " + describe_node(e.value));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : e.value) {
    if (!item.IsScalar()) {
      r.at_value(e.key, item, e.name + ": expected a string, got " + describe_node(item));
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace fg::config::detail
