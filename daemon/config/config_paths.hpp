#pragma once
// Internal to the config module: checks and rewrites of paths, URLs, addresses and ids
// written in a config file. Pure functions of their arguments (plus the current directory).

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace fg::config::detail {

// "127.0.0.1:8080" → {"127.0.0.1", "8080"}; "[::1]:8080" → {"[::1]", "8080"}. nullopt unless
// the host is non-empty and the port is a number in 1..65535.
std::optional<std::pair<std::string, std::string>> split_listen(std::string_view listen);

// "http://" + listen, with wildcard hosts (0.0.0.0, [::]) replaced by loopback so the URL works.
std::string base_url_from_listen(std::string_view listen);

// [a-z0-9-]{1,64}
bool valid_feed_id(std::string_view id);

// `path` made absolute against the directory of `config_file` (absolute paths only normalized).
std::string resolve_relative(const std::string& config_file, const std::string& path);

// A url starting with "file://./" becomes an absolute file:/// URL of that path relative to the
// config file's directory (percent-encoded); any other url is returned unchanged.
std::string resolve_config_relative_url(const std::string& config_file, const std::string& url);

}  // namespace fg::config::detail
