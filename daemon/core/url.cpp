#include "core/url.hpp"

#include <curl/curl.h>

#include <memory>

#include "core/text.hpp"

namespace fg {

namespace {

struct UrlDeleter {
  void operator()(CURLU* h) const { curl_url_cleanup(h); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::string get_part(CURLU* h, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(h, part, &value, 0) != CURLUE_OK || value == nullptr) return {};
  std::string out(value);
  curl_free(value);
  return out;
}

UrlHandle parse_absolute(std::string_view url) {
  UrlHandle h(curl_url());
  if (!h) return nullptr;
  const std::string s(trim(url));
  if (curl_url_set(h.get(), CURLUPART_URL, s.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return nullptr;
  }
  return h;
}

}  // namespace

std::optional<std::string> resolve_url(std::string_view base, std::string_view ref) {
  UrlHandle h = parse_absolute(base);
  if (!h) return std::nullopt;
  std::string r(trim(ref));
  // Browsers treat backslashes in http(s) references as slashes; portals rely on it.
  for (char& c : r) {
    if (c == '\\') c = '/';
  }
  if (curl_url_set(h.get(), CURLUPART_URL, r.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) !=
      CURLUE_OK) {
    return std::nullopt;
  }
  const std::string scheme = ascii_lower(get_part(h.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https" && scheme != "file") return std::nullopt;
  curl_url_set(h.get(), CURLUPART_FRAGMENT, nullptr, 0);
  std::string out = get_part(h.get(), CURLUPART_URL);
  if (out.empty()) return std::nullopt;
  return out;
}

std::string url_scheme(std::string_view url) {
  UrlHandle h = parse_absolute(url);
  return h ? ascii_lower(get_part(h.get(), CURLUPART_SCHEME)) : std::string{};
}

std::string url_host(std::string_view url) {
  UrlHandle h = parse_absolute(url);
  return h ? ascii_lower(get_part(h.get(), CURLUPART_HOST)) : std::string{};
}

}  // namespace fg
