#pragma once
// Sending a reply on a non-blocking socket without copying its body: the in-memory parts with
// one sendmsg(2), then the file parts with sendfile(2). Free of Asio so it can be tested on a
// socketpair; the server calls it again when the socket becomes writable.

#include <array>
#include <cstddef>
#include <string_view>

#include "serve/http_rules.hpp"

namespace fg::serve {

// A reply on its way out; the views and descriptors must stay valid until it is done.
struct Outgoing {
  std::array<std::string_view, 3> memory{};  // sent first, in order (head, body, body tail)
  std::array<FileSlice, 2> file{};           // then these, in order
  std::size_t sent = 0;                      // bytes sent so far
};

enum class SendState { done, would_block, failed };

// Sends as much as the socket takes now. On `failed`, `error` holds the errno.
SendState send_some(int socket_fd, Outgoing& out, int& error);

}  // namespace fg::serve
