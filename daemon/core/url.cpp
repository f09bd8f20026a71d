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

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One decoder for both: lenient leaves a malformed "%" as it is, strict gives up on it.
std::optional<std::string> decode_form(std::string_view s, bool strict) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
               hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else if (s[i] == '%' && strict) {
      return std::nullopt;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string form_decode(std::string_view s) {
  return *decode_form(s, false);
}

std::optional<std::string> form_decode_strict(std::string_view s) {
  return decode_form(s, true);
}

std::vector<std::pair<std::string, std::string>> query_parameters(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto equals = pair.find('=');
    out.emplace_back(
        form_decode(pair.substr(0, equals)),
        equals == std::string_view::npos ? std::string{} : form_decode(pair.substr(equals + 1)));
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace fg
