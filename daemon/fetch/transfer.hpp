#pragma once
// Internal: one HTTP/file transfer on a curl easy handle: option setup, header and body
// callbacks, and turning the outcome into a Result<Response>. Kept free of how the handle is
// driven (curl_easy_perform today, a curl multi on Asio later) so both drivers share it.

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "fetch/fetcher.hpp"

namespace fg::fetch {

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// State of one transfer. Curl callbacks hold its address, so it lives behind a unique_ptr.
struct Transfer {
  Request request;
  FetchOptions options;
  std::unique_ptr<CURL, EasyDeleter> easy;
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  std::unique_ptr<curl_slist, SlistDeleter> connect_to;
  char errbuf[CURL_ERROR_SIZE] = {};
  std::chrono::steady_clock::time_point started{};

  // The response being received; header fields reset at every status line, so after
  // redirects they describe the final response only.
  int status = 0;  // from the status line; stays 0 for file://
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::optional<std::uint64_t> content_length;
  std::string body;
  bool too_large = false;                           // set by a callback that refused more bytes
  std::optional<std::chrono::seconds> retry_after;  // Retry-After of a 429/503
  std::string refused_peer;  // "127.0.0.1 (loopback)" when allow_private refused a connect
};

// Whether a connect to this peer is allowed (allow_private, trusted_peers). On refusal, says
// why in `refused` ("127.0.0.1 (loopback)"). Used by the socket-open callback.
bool peer_allowed(const FetchOptions& options, const sockaddr* address, std::string& refused);

// Creates an easy handle with every option `options` and `request` call for, and
// CURLOPT_CONNECT_TO `connect_to` when not empty. The caller adds it to a multi handle.
Result<std::unique_ptr<Transfer>> make_transfer(const Request& request, const FetchOptions& options,
                                                const std::string& connect_to = {});

// The outcome of a finished transfer: a Response for 2xx/304, an Error otherwise.
Result<Response> finish_transfer(Transfer& transfer, CURLcode code);

}  // namespace fg::fetch
