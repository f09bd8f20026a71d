#pragma once
// Pages the server does not find in the Site: a path given to Server::handle() is answered by a
// Handler, which may take seconds (the /preview page fetches a portal). The server reads the
// request (with a small form body), hands it over and goes on serving; the Handler answers when
// it is done, from any thread, and the reply is sent on the connection's own thread.

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fg::serve {

struct HandlerRequest {
  std::string method;        // "GET", "HEAD", "POST", ...
  std::string target;        // path and query, as sent
  std::string content_type;  // of the body; empty when there is none
  std::string body;          // at most kMaxHandlerBody bytes (a longer one is answered 413)
  std::string client;        // the peer's IP address ("127.0.0.1", "::1"): rate limits key on it
};

struct HandlerReply {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  // More header fields (name, value); Content-Length and Cache-Control: no-store are added.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // dropped for HEAD, whose Content-Length still gives its size
};

// Bytes of request body a Handler may receive (an HTML form, not an upload).
inline constexpr std::size_t kMaxHandlerBody = 64 * 1024;

// Called exactly once with the reply. Safe from any thread; a reply after Server::stop() (or to
// a client that went away) is dropped.
using Respond = std::function<void(HandlerReply)>;

class Handler {
 public:
  virtual ~Handler() = default;
  // Called on a serving thread, so it must return at once: slow work goes to a thread of the
  // Handler's own, which calls `respond` when it is done.
  virtual void handle(HandlerRequest request, Respond respond) const = 0;
};

}  // namespace fg::serve
