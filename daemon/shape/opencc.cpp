// Simplified↔Traditional conversion with OpenCC, on text only: in HTML, the text between tags.

#include <opencc/opencc.h>

#include <map>
#include <mutex>

#include "core/text.hpp"
#include "shape/shape.hpp"

namespace fg::shape {
namespace {

// Debian's libopencc-data puts the configs (and the dictionaries they name) here.
constexpr std::string_view kDataDir = "/usr/share/opencc/";
// Stands for a tag while the text around it is converted: a C0 control that no dictionary
// holds, so no phrase matches across it, and that XML forbids, so the content never has one.
constexpr char kTagMark = '\x01';

// One converter per config, loaded on first use and kept for the process's life (loading takes
// milliseconds; converting is read-only, so threads share it).
class Converters {
 public:
  static Converters& instance() {
    static Converters converters;
    return converters;
  }

  Result<opencc_t> get(std::string_view name) {
    if (!is_opencc_name(name)) {
      return make_error(Errc::invalid_argument, "opencc: unknown conversion " + std::string(name),
                        "opencc");
    }
    std::lock_guard lock(mutex_);
    auto found = loaded_.find(name);
    if (found != loaded_.end()) return found->second;
    const std::string path = std::string(kDataDir) + std::string(name) + ".json";
    opencc_t handle = opencc_open(path.c_str());
    if (handle == reinterpret_cast<opencc_t>(-1)) {
      return make_error(Errc::io,
                        "opencc: cannot load " + path + ": " + opencc_error() +
                            "; install libopencc-data (deploy/install-deps.sh)",
                        "opencc");
    }
    loaded_.emplace(std::string(name), handle);
    return handle;
  }

  ~Converters() {
    for (auto& [name, handle] : loaded_) opencc_close(handle);
  }

 private:
  Converters() = default;
  std::mutex mutex_;
  std::map<std::string, opencc_t, std::less<>> loaded_;
};

Result<std::string> convert_with(opencc_t handle, std::string_view text) {
  if (text.empty()) return std::string{};
  // OpenCC walks UTF-8 by lead bytes and trusts them; never hand it a broken sequence.
  const std::string safe = is_valid_utf8(text) ? std::string(text) : xml_safe_utf8(text);
  char* converted = opencc_convert_utf8(handle, safe.data(), safe.size());
  if (converted == nullptr) {
    return make_error(Errc::io, std::string("opencc: conversion failed: ") + opencc_error(),
                      "opencc");
  }
  std::string out(converted);
  opencc_convert_utf8_free(converted);
  return out;
}

// Where the markup starting at html[at] ('<') ends: past "-->" for a comment, else past the
// '>' that is outside quoted attribute values. npos when it never ends.
std::size_t markup_end(std::string_view html, std::size_t at) {
  if (html.substr(at, 4) == "<!--") {
    const auto close = html.find("-->", at + 4);
    return close == std::string_view::npos ? close : close + 3;
  }
  char quote = 0;
  for (std::size_t i = at + 1; i < html.size(); ++i) {
    const char c = html[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Result<std::string> convert_text(std::string_view name, std::string_view text) {
  auto handle = Converters::instance().get(name);
  if (!handle) return handle.error();
  return convert_with(*handle, text);
}

// The text runs and the tags between them are taken apart: the runs, joined by kTagMark, are
// converted in one call (one call per item, not per run), then the tags are put back.
Result<std::string> convert_html(std::string_view name, std::string_view html) {
  auto handle = Converters::instance().get(name);
  if (!handle) return handle.error();
  // Repaired first, so the repair in convert_with() never meets (and drops) a kTagMark.
  std::string repaired;
  if (!is_valid_utf8(html)) {
    repaired = xml_safe_utf8(html);
    html = repaired;
  }
  std::vector<std::string_view> tags;
  std::string text;
  text.reserve(html.size());
  for (std::size_t i = 0; i < html.size();) {
    if (html[i] == '<') {
      const std::size_t end = markup_end(html, i);
      if (end != std::string_view::npos) {
        tags.push_back(html.substr(i, end - i));
        text += kTagMark;
        i = end;
        continue;
      }
    }
    if (html[i] != kTagMark) text += html[i];
    ++i;
  }
  auto converted = convert_with(*handle, text);
  if (!converted) return converted.error();
  std::string out;
  out.reserve(html.size() + html.size() / 8);
  std::size_t next_tag = 0;
  for (char c : *converted) {
    if (c == kTagMark && next_tag < tags.size()) {
      out.append(tags[next_tag++]);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace fg::shape
