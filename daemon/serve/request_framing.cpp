#include "serve/request_framing.hpp"

#include <algorithm>
#include <cctype>

namespace fg::serve {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_chunked(std::string_view coding) {
  // A coding may carry parameters ("chunked;x=1" is not chunked: chunked takes none).
  constexpr std::string_view kChunked = "chunked";
  return std::equal(
      coding.begin(), coding.end(), kChunked.begin(), kChunked.end(),
      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

}  // namespace

bool transfer_encoding_ends_chunked(const std::vector<std::string_view>& lines) {
  std::vector<std::string_view> codings;
  for (std::string_view rest : lines) {
    while (true) {
      const auto comma = rest.find(',');
      const std::string_view coding = trim(rest.substr(0, comma));
      // Empty list elements are allowed (RFC 9110 §5.6.1) and name no coding.
      if (!coding.empty()) codings.push_back(coding);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (codings.empty() || !is_chunked(codings.back())) return false;
  // Chunked applied twice is a framing a proxy in front may read differently.
  return std::count_if(codings.begin(), codings.end(), is_chunked) == 1;
}

bool valid_host(std::string_view host) {
  // uri-host is a reg-name, IPv4 or [IP-literal]; these are the characters any of them may use.
  return std::all_of(host.begin(), host.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) return true;
    return std::string_view("-._~%!$&'()*+,;=:[]").find(c) != std::string_view::npos;
  });
}

int framing_error(const RequestHead& head, std::size_t max_head_bytes) {
  if (head.head_bytes > max_head_bytes) return 431;
  if (!head.transfer_encoding.empty()) {
    // HTTP/1.0 has no transfer codings (RFC 9112 §6.1): the framing is faulty whatever it says.
    if (head.version < 11) return 400;
    if (!transfer_encoding_ends_chunked(head.transfer_encoding)) return 400;
  }
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one in HTTP/1.0, and a valid one.
  if (head.host.size() > 1 || (head.host.empty() && head.version >= 11)) return 400;
  if (!head.host.empty() && !valid_host(trim(head.host.front()))) return 400;
  return 0;
}

}  // namespace fg::serve
