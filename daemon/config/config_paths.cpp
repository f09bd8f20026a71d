#include "config/config_paths.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace fg::config::detail {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kConfigRelativePrefix = "file://./";

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const int n = std::stoi(std::string(port));
  return n >= 1 && n <= 65535;
}

// Characters that may stay literal in a URL path; everything else is percent-encoded.
bool path_safe(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~/!$&'()*+,;=:@").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

std::string percent_encode_path(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (path_safe(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_listen(std::string_view listen) {
  std::string_view host;
  std::string_view rest;
  if (listen.starts_with('[')) {
    const std::size_t close = listen.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    host = listen.substr(0, close + 1);
    rest = listen.substr(close + 1);
  } else {
    const std::size_t colon = listen.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    host = listen.substr(0, colon);
    rest = listen.substr(colon);
  }
  if (!rest.starts_with(':') || !valid_port(rest.substr(1))) return std::nullopt;
  return std::make_pair(std::string(host), std::string(rest.substr(1)));
}

std::string base_url_from_listen(std::string_view listen) {
  const auto parts = split_listen(listen);
  if (!parts) return "http://" + std::string(listen);
  std::string host = parts->first;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return "http://" + host + ":" + parts->second;
}

bool valid_feed_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string resolve_relative(const std::string& config_file, const std::string& path) {
  fs::path p(path);
  if (p.is_relative()) {
    fs::path dir = fs::path(config_file).parent_path();
    if (dir.empty()) dir = ".";
    p = dir / p;
  }
  std::error_code ec;
  const fs::path absolute = fs::absolute(p, ec);  // fails only if the cwd is gone
  return (ec ? p : absolute).lexically_normal().string();
}

std::string resolve_config_relative_url(const std::string& config_file, const std::string& url) {
  if (!url.starts_with(kConfigRelativePrefix)) return url;
  const std::string relative = url.substr(kConfigRelativePrefix.size());
  return "file://" + percent_encode_path(resolve_relative(config_file, relative));
}

}  // namespace fg::config::detail
