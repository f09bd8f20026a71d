// libFuzzer target for normalize: sanitizing arbitrary HTML fragments.

#include <cstddef>
#include <cstdint>
#include <string>

#include "normalize/normalize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string html(reinterpret_cast<const char*>(data), size);
  const auto out = fg::normalize::normalize_html(html, "http://news.example.com/a/b.html");
  // Nothing executable survives the allowlist.
  for (const char* banned : {"<script", "<iframe", "javascript:", " onerror=", " onclick="}) {
    if (out.html.find(banned) != std::string::npos) __builtin_trap();
  }
  return 0;
}
