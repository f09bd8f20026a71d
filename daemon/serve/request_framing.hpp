#pragma once
// The checks of a request's framing that Beast's parser leaves to us (RFC 9112): a
// Transfer-Encoding it reads as "no body", Host lines, and the header size. Free of Beast, so
// they can be unit-tested cheaply.

#include <cstddef>
#include <string_view>
#include <vector>

namespace fg::serve {

// What the server reads of a request's head to judge its framing.
struct RequestHead {
  unsigned version = 11;                            // 10 for HTTP/1.0, 11 for HTTP/1.1
  std::size_t head_bytes = 0;                       // request line, fields and the blank line
  std::vector<std::string_view> transfer_encoding;  // each Transfer-Encoding line, as sent
  std::vector<std::string_view> host;               // each Host line, as sent
};

// Whether the Transfer-Encoding lines (read as one list) end in exactly one `chunked`, the only
// framing RFC 9112 §6.3 lets a request body have besides Content-Length.
bool transfer_encoding_ends_chunked(const std::vector<std::string_view>& lines);

// Whether a Host value is a uri-host with an optional port (RFC 9110 §7.2); empty is allowed.
bool valid_host(std::string_view host);

// The status to refuse a request with before answering it (431 for a head over
// `max_head_bytes`, 400 for faulty framing or Host lines), or 0 when the request may be answered.
// Each refusal closes the connection: what follows a misframed request cannot be trusted.
int framing_error(const RequestHead& head, std::size_t max_head_bytes);

}  // namespace fg::serve
