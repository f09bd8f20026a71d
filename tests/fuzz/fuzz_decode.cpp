// libFuzzer target for decode: charset sniffing and conversion of arbitrary bytes.
// Input: the first line is a Content-Type header value, the rest is the body.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"
#include "decode/decode.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view content_type =
      newline == std::string_view::npos ? std::string_view{} : input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? input : input.substr(newline + 1);
  (void)fg::decode::charset_from_meta(body);
  (void)fg::decode::charset_from_content_type(content_type);
  auto decoded = fg::decode::to_utf8(body, content_type);
  // Whatever came in, what comes out is well-formed UTF-8.
  if (decoded.ok() && !fg::is_valid_utf8(decoded->text)) __builtin_trap();
  return 0;
}
