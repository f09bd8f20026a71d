// Simplified↔Traditional conversion with OpenCC, on text only: in HTML, the text between tags.

#include <opencc/opencc.h>

#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/text.hpp"
#include "shape/opencc_tables.hpp"
#include "shape/shape.hpp"

namespace fg::shape {
namespace {

// Debian's libopencc-data puts the configs (and the dictionaries they name) here.
constexpr std::string_view kDataDir = "/usr/share/opencc/";
// Stands for a tag while the text around it is converted: a C0 control that no dictionary
// holds, so no phrase matches across it, and that XML forbids, so the content never has one.
constexpr char kTagMark = '\x01';

// One converter per config, loaded on first use and kept for the process's life (loading takes
// tens of milliseconds; converting is read-only, so threads share it). OpenCC reads the config
// and its dictionaries; detail::Tables converts with them (opencc_tables.hpp says why). A config
// of a kind Tables does not run keeps OpenCC's own converter.
class Converters {
 public:
  struct Loaded {
    std::shared_ptr<const detail::Tables> tables;
    opencc_t fallback = nullptr;
  };

  static Converters& instance() {
    static Converters converters;
    return converters;
  }

  Result<Loaded> get(std::string_view name) {
    if (!is_opencc_name(name)) {
      return make_error(Errc::invalid_argument, "opencc: unknown conversion " + std::string(name),
                        "opencc");
    }
    std::lock_guard lock(mutex_);
    auto found = loaded_.find(name);
    if (found != loaded_.end()) return found->second;
    const std::string path = std::string(kDataDir) + std::string(name) + ".json";
    Loaded loaded;
    auto tables = detail::Tables::load(path);
    if (tables) {
      loaded.tables = std::move(*tables);
    } else if (tables.error().code == Errc::unsupported) {
      loaded.fallback = opencc_open(path.c_str());
      if (loaded.fallback == reinterpret_cast<opencc_t>(-1)) {
        return make_error(Errc::io, "opencc: cannot load " + path + ": " + opencc_error(),
                          "opencc");
      }
    } else {
      return make_error(
          Errc::io, tables.error().message + "; install libopencc-data (deploy/install-deps.sh)",
          "opencc");
    }
    loaded_.emplace(std::string(name), loaded);
    return loaded;
  }

  ~Converters() {
    for (auto& [name, loaded] : loaded_) {
      if (loaded.fallback) opencc_close(loaded.fallback);
    }
  }

 private:
  Converters() = default;
  std::mutex mutex_;
  std::map<std::string, Loaded, std::less<>> loaded_;
};

// `text`, valid UTF-8 (OpenCC walks UTF-8 by lead bytes and trusts them), converted.
Result<std::string> convert_valid(const Converters::Loaded& converter, std::string_view text) {
  if (text.empty()) return std::string{};
  if (converter.tables) return converter.tables->convert(text);
  const std::string safe(text);
  char* converted = opencc_convert_utf8(converter.fallback, safe.data(), safe.size());
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

// Conversions kept for the next variant or publish of the same items: a new filter on a feed
// already converted, or a re-render after a poll that added one item, converts only what is
// new. Two generations, each up to half of kMemoBytes: finding an entry of the older one moves
// it to the newer, and when the newer is full the older is dropped, so what is in use stays.
class ConversionMemo {
 public:
  static constexpr std::size_t kMemoBytes = 16 << 20;
  static ConversionMemo& instance() {
    static ConversionMemo memo;
    return memo;
  }

  std::optional<std::string> find(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (const auto found = current_.find(key); found != current_.end()) return found->second;
    const auto old = previous_.find(key);
    if (old == previous_.end()) return std::nullopt;
    std::string value = std::move(old->second);
    previous_.erase(old);
    keep_locked(key, value);
    return value;
  }

  void keep(const std::string& key, const std::string& value) {
    std::lock_guard lock(mutex_);
    keep_locked(key, value);
  }

  std::size_t entries() {
    std::lock_guard lock(mutex_);
    return current_.size() + previous_.size();
  }

 private:
  void keep_locked(const std::string& key, const std::string& value) {
    const std::size_t bytes = key.size() + value.size() + 64;  // 64: the node, roughly
    if (bytes > kMemoBytes / 2) return;
    if (current_bytes_ + bytes > kMemoBytes / 2) {
      previous_ = std::move(current_);
      current_.clear();
      current_bytes_ = 0;
    }
    if (current_.emplace(key, value).second) current_bytes_ += bytes;
  }

  std::mutex mutex_;
  std::unordered_map<std::string, std::string> current_, previous_;
  std::size_t current_bytes_ = 0;
};

// `convert` of `input` by conversion `name`, from the memo when it was done before.
template <typename Convert>
Result<std::string> memoized(char kind, std::string_view name, std::string_view input,
                             Convert convert) {
  if (input.empty()) return convert();  // loads the converter: compile() relies on it
  std::string key;
  key.reserve(name.size() + input.size() + 2);
  key.append(1, kind).append(name).append(1, '\0').append(input);
  if (auto found = ConversionMemo::instance().find(key)) return std::move(*found);
  auto converted = convert();
  if (converted) ConversionMemo::instance().keep(key, *converted);
  return converted;
}

Result<std::string> convert_text_now(std::string_view name, std::string_view text) {
  auto converter = Converters::instance().get(name);
  if (!converter) return converter.error();
  // Never hand a broken sequence on.
  if (!is_valid_utf8(text)) return convert_valid(*converter, xml_safe_utf8(text));
  return convert_valid(*converter, text);
}

Result<std::string> convert_html_now(std::string_view name, std::string_view html);

}  // namespace

Result<std::string> convert_text(std::string_view name, std::string_view text) {
  return memoized('t', name, text, [&] { return convert_text_now(name, text); });
}

Result<std::string> convert_html(std::string_view name, std::string_view html) {
  return memoized('h', name, html, [&] { return convert_html_now(name, html); });
}

std::size_t detail::conversion_memo_entries() {
  return ConversionMemo::instance().entries();
}

void preload_opencc() {
  for (std::string_view name : kOpenccConversions) (void)Converters::instance().get(name);
}

namespace {

// The text runs and the tags between them are taken apart: the runs, joined by kTagMark, are
// converted in one call (one call per item, not per run), then the tags are put back.
Result<std::string> convert_html_now(std::string_view name, std::string_view html) {
  auto converter = Converters::instance().get(name);
  if (!converter) return converter.error();
  // Repaired first, so that the converter never meets a broken sequence, and no repair of the
  // joined text could drop a kTagMark.
  std::string repaired;
  if (!is_valid_utf8(html)) {
    repaired = xml_safe_utf8(html);
    html = repaired;
  }
  std::vector<std::string_view> tags;
  std::string text;
  text.reserve(html.size());
  for (std::size_t i = 0; i < html.size();) {
    std::size_t run = i;
    while (run < html.size() && html[run] != '<' && html[run] != kTagMark) ++run;
    text.append(html.substr(i, run - i));
    if (run == html.size()) break;
    i = run;
    if (html[i] == '<') {
      const std::size_t end = markup_end(html, i);
      if (end != std::string_view::npos) {
        tags.push_back(html.substr(i, end - i));
        text += kTagMark;
        i = end;
        continue;
      }
      text += '<';  // markup that never ends is text
    }
    ++i;  // a kTagMark in the input itself is dropped
  }
  auto converted = convert_valid(*converter, text);
  if (!converted) return converted.error();
  const std::string_view done = *converted;
  std::string out;
  out.reserve(done.size() + html.size() - text.size() + tags.size());
  std::size_t next_tag = 0, at = 0;
  while (at < done.size()) {
    const std::size_t mark = done.find(kTagMark, at);
    if (mark == std::string_view::npos || next_tag == tags.size()) {
      out.append(done.substr(at));
      break;
    }
    out.append(done.substr(at, mark - at)).append(tags[next_tag++]);
    at = mark + 1;
  }
  return out;
}

}  // namespace
}  // namespace fg::shape
