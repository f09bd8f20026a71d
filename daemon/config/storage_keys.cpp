#include "config/storage_keys.hpp"

#include <string_view>

#include "config/config_paths.hpp"

namespace fg::config::detail {

namespace {

constexpr std::string_view kStorageKeys[] = {"path", "url", "password_file", "pool"};

// A libpq connection URI names its password as user:PASSWORD@ or ?password= / &password=.
bool url_has_password(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    const std::string_view rest = url.substr(scheme_end + 3);
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
    const std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos)
      return true;
  }
  const std::size_t query = url.find('?');
  if (query == std::string_view::npos) return false;
  const std::string_view params = url.substr(query);
  return params.find("?password=") != std::string_view::npos ||
         params.find("&password=") != std::string_view::npos;
}

void read_url(Reporter& r, const Entry& e, StorageOptions& out) {
  const auto text = read_string(r, e);
  if (!text) return;
  if (!text->starts_with("postgresql://") && !text->starts_with("postgres://")) {
    r.at_value(e.key, e.value,
               "url: expected a PostgreSQL connection URI such as "
               "\"postgresql://feedgate@db.example:5432/feedgate\", got \"" +
                   *text + "\"");
    return;
  }
  if (url_has_password(*text)) {
    r.at_value(e.key, e.value,
               "url: the URL holds a password; remove it and put it in ~/.pgpass, PGPASSFILE or "
               "storage.password_file, so that the config can be read without revealing it");
    return;
  }
  out.url = *text;
}

}  // namespace

void read_storage(Reporter& r, const Entry& section, StorageOptions& out) {
  const Entry* path = nullptr;
  const Entry* url = nullptr;
  const auto entries = mapping_entries(r, section.key, section.value, "storage", kStorageKeys);
  for (const Entry& e : entries) {
    if (e.name == "pool") {
      if (auto v = read_integer(r, e, 1, 64)) out.pool = static_cast<int>(*v);
      continue;
    }
    if (e.name == "url") {
      url = &e;
      read_url(r, e, out);
      continue;
    }
    const auto text = read_string(r, e);
    if (!text) continue;
    if (e.name == "password_file") {
      if (!text->empty()) out.password_file = resolve_relative(r.file(), *text);
      continue;
    }
    path = &e;
    if (text->empty()) {
      r.at_value(e.key, e.value, "path: expected the path of the SQLite database file");
      continue;
    }
    out.path = *text;
  }
  if (path != nullptr && url != nullptr) {
    r.at_value(url->key, url->value,
               "url: storage has both \"path\" (SQLite) and \"url\" (PostgreSQL); keep one");
  }
}

}  // namespace fg::config::detail
