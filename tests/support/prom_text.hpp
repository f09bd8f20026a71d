#pragma once
// A small, strict reader of the Prometheus text exposition format (0.0.4), for tests: every
// line must be a HELP, a TYPE or a sample of a declared family, or parsing fails.

#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fg::testing {

struct PromText {
  std::map<std::string, std::string> types;  // family name -> "counter", "gauge", ...
  std::map<std::string, double> samples;     // `name{a="x",b="y"}` as written -> value
  std::string error;                         // empty when the whole text parsed

  std::optional<double> get(const std::string& key) const {
    auto it = samples.find(key);
    if (it == samples.end()) return std::nullopt;
    return it->second;
  }
};

namespace prom_detail {

inline bool name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

// Reads a metric or label name at `pos`; empty when there is none.
inline std::string read_name(std::string_view line, std::size_t& pos) {
  std::size_t start = pos;
  while (pos < line.size() && name_char(line[pos], pos == start)) ++pos;
  return std::string(line.substr(start, pos - start));
}

// Reads `{a="x",...}` at `pos` (already at '{'); false when malformed.
inline bool read_labels(std::string_view line, std::size_t& pos) {
  ++pos;
  while (pos < line.size() && line[pos] != '}') {
    if (read_name(line, pos).empty()) return false;
    if (line.substr(pos, 2) != "=\"") return false;
    pos += 2;
    while (pos < line.size() && line[pos] != '"') {
      if (line[pos] == '\\') {
        if (pos + 1 >= line.size() ||
            std::string_view("\\\"n").find(line[pos + 1]) == std::string_view::npos) {
          return false;
        }
        ++pos;
      }
      ++pos;
    }
    if (pos >= line.size()) return false;
    ++pos;  // closing quote
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
  if (pos >= line.size()) return false;
  ++pos;
  return true;
}

inline std::optional<double> read_value(std::string_view text) {
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  std::string copy(text);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (copy.empty() || *end != '\0') return std::nullopt;
  return v;
}

// The family a sample belongs to: histogram samples end in _bucket, _sum or _count.
inline std::string family_of(const std::string& name, const std::map<std::string, std::string>& t) {
  if (t.count(name)) return name;
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      std::string base = name.substr(0, name.size() - suffix.size());
      if (t.count(base) && (t.at(base) == "histogram" || t.at(base) == "summary")) return base;
    }
  }
  return {};
}

}  // namespace prom_detail

inline PromText parse_prom_text(std::string_view text) {
  using namespace prom_detail;
  PromText out;
  int number = 0;
  while (!text.empty()) {
    ++number;
    const auto eol = text.find('\n');
    if (eol == std::string_view::npos) {
      out.error = "line " + std::to_string(number) + ": missing final newline";
      return out;
    }
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    auto fail = [&](const std::string& why) {
      out.error = "line " + std::to_string(number) + ": " + why + ": " + std::string(line);
      return out;
    };
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      std::size_t pos = 7;
      const std::string name = read_name(line, pos);
      if (name.empty() || pos >= line.size() || line[pos] != ' ') return fail("bad name");
      if (line[2] == 'T') {
        const std::string type(line.substr(pos + 1));
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
            type != "untyped") {
          return fail("bad type");
        }
        if (out.types.count(name)) return fail("second TYPE");
        out.types[name] = type;
      }
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::size_t pos = 0;
    const std::string name = read_name(line, pos);
    if (name.empty()) return fail("bad metric name");
    if (pos < line.size() && line[pos] == '{' && !read_labels(line, pos)) return fail("bad labels");
    if (pos >= line.size() || line[pos] != ' ') return fail("no value");
    const std::string key(line.substr(0, pos));
    std::string_view rest = line.substr(pos + 1);
    rest = rest.substr(0, rest.find(' '));  // an optional timestamp follows
    auto value = read_value(rest);
    if (!value) return fail("bad value");
    if (family_of(name, out.types).empty()) return fail("sample before its TYPE");
    if (out.samples.count(key)) return fail("duplicate sample");
    out.samples[key] = *value;
  }
  return out;
}

}  // namespace fg::testing
