#pragma once
// HTTP(S) and file:// fetching with libcurl: limits, redirects, conditional GET.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace fg::fetch {

struct FetchOptions {
  std::string user_agent = "feedgate";
  std::chrono::milliseconds timeout{30'000};
  std::uint64_t max_body = 8ull << 20;  // Errc::too_large past this many (decompressed) bytes
  int max_redirects = 5;                // only to http/https; never to file:// or others
};

// Validators from an earlier response of the same URL, sent as If-None-Match/If-Modified-Since.
struct Validators {
  std::string etag;
  std::string last_modified;
  bool empty() const { return etag.empty() && last_modified.empty(); }
};

struct Request {
  std::string url;        // http, https or file
  Validators validators;  // may be empty
};

struct Response {
  int status = 0;            // 200, 304, ... (200 for file:// reads)
  std::string final_url;     // after redirects
  std::string content_type;  // Content-Type header, verbatim; empty for files
  std::string body;          // decompressed bytes; empty on 304
  Validators validators;     // ETag / Last-Modified of this response
  std::chrono::milliseconds elapsed{0};
  bool not_modified() const { return status == 304; }
};

// Blocking fetcher; safe to call from several threads at once (one curl easy handle per call,
// shared DNS and connection caches).
class Fetcher {
 public:
  explicit Fetcher(FetchOptions options);
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // 2xx and 304 are successes; other statuses are Errc::http_status with the status in the
  // message; network problems are Errc::network / Errc::timeout; oversize Errc::too_large.
  Result<Response> fetch(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The status of an Errc::http_status error ("HTTP 503 from ..."), or 0 for any other error.
int http_status_of(const Error& error);

}  // namespace fg::fetch
