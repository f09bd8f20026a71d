// Turning a finished curl transfer into a Response or an Error that says what to do.

#include <string>

#include "core/url.hpp"
#include "fetch/transfer.hpp"

namespace fg::fetch {

namespace {

long info_long(CURL* easy, CURLINFO what) {
  long value = 0;
  curl_easy_getinfo(easy, what, &value);
  return value;
}

std::string info_string(CURL* easy, CURLINFO what) {
  char* value = nullptr;
  curl_easy_getinfo(easy, what, &value);
  return value == nullptr ? std::string() : std::string(value);
}

// curl's short text for the code plus the detail in the error buffer, when there is one.
std::string curl_detail(const Transfer& t, CURLcode code) {
  std::string detail = curl_easy_strerror(code);
  if (t.errbuf[0] != '\0') detail += std::string(" (") + t.errbuf + ")";
  return detail;
}

Error transfer_error(Transfer& t, CURLcode code) {
  const std::string& url = t.request.url;
  const std::string detail = curl_detail(t, code);
  if (!t.refused_peer.empty()) {
    return make_error(Errc::network,
                      "refused to connect to " + t.refused_peer +
                          ": not a public address and fetch.allow_private is false; list it in "
                          "fetch.trusted_peers (or set allow_private: true) only if feedgate "
                          "should read portals on your own network",
                      url);
  }
  if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return make_error(Errc::too_large,
                      "response body exceeds max_body (" + std::to_string(t.options.max_body) +
                          " bytes); raise fetch.max_body",
                      url);
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return make_error(Errc::timeout,
                        "no complete response within " + std::to_string(t.options.timeout.count()) +
                            " ms (or nothing received for " +
                            std::to_string(t.options.stall_timeout.count()) + " ms): " + detail +
                            "; raise fetch.timeout or fetch.stall_timeout if the site is slow",
                        url);
    case CURLE_UNSUPPORTED_PROTOCOL:
      if (info_long(t.easy.get(), CURLINFO_REDIRECT_COUNT) > 0 ||
          !info_string(t.easy.get(), CURLINFO_REDIRECT_URL).empty() || url_scheme(url) == "http" ||
          url_scheme(url) == "https") {
        return make_error(Errc::unsupported, "redirect to a non-http(s) URL refused: " + detail,
                          url);
      }
      return make_error(Errc::unsupported,
                        "unsupported URL scheme: " + detail + "; use http, https or file", url);
    case CURLE_URL_MALFORMAT:
      return make_error(Errc::invalid_argument, "malformed URL: " + detail, url);
    case CURLE_FILE_COULDNT_READ_FILE:
      return make_error(Errc::not_found, "cannot read the file: " + detail, url);
    case CURLE_TOO_MANY_REDIRECTS:
      return make_error(Errc::network,
                        "more than " + std::to_string(t.options.max_redirects) +
                            " redirects (a redirect loop?): " + detail +
                            "; put the final URL in the feed's url",
                        url);
    case CURLE_OUT_OF_MEMORY:
      return make_error(Errc::io, "out of memory: " + detail, url);
    default:
      return make_error(Errc::network, detail + "; check the URL and the network", url);
  }
}

}  // namespace

Result<Response> finish_transfer(Transfer& t, CURLcode code) {
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - t.started);
  if (code != CURLE_OK) return transfer_error(t, code);

  Response r;
  r.final_url = info_string(t.easy.get(), CURLINFO_EFFECTIVE_URL);
  if (r.final_url.empty()) r.final_url = t.request.url;
  r.status = static_cast<int>(info_long(t.easy.get(), CURLINFO_RESPONSE_CODE));
  if (url_scheme(r.final_url) == "file") r.status = 200;  // curl reports 0 for files
  if (t.options.return_redirects && r.status >= 300 && r.status < 400 && r.status != 304) {
    r.redirect_url = info_string(t.easy.get(), CURLINFO_REDIRECT_URL);
    if (!r.redirect_url.empty()) return r;  // the Fetcher checks the target, then follows it
  }
  if (!(r.status >= 200 && r.status < 300) && r.status != 304) {
    std::string message = "HTTP " + std::to_string(r.status) + " from " + r.final_url;
    if (t.retry_after) {
      message +=
          "; the server asks to wait: retry after " + std::to_string(t.retry_after->count()) + " s";
    }
    return make_error(Errc::http_status, std::move(message), t.request.url);
  }
  r.elapsed = elapsed;
  r.validators.etag = std::move(t.etag);
  r.validators.last_modified = std::move(t.last_modified);
  if (r.not_modified()) {
    // A 304 need not repeat the validators; the ones we sent still describe the content.
    if (r.validators.etag.empty()) r.validators.etag = t.request.validators.etag;
    if (r.validators.last_modified.empty()) {
      r.validators.last_modified = t.request.validators.last_modified;
    }
    return r;
  }
  if (url_scheme(r.final_url) != "file") r.content_type = std::move(t.content_type);
  r.body = std::move(t.body);
  return r;
}

}  // namespace fg::fetch
