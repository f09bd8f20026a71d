// libFuzzer target for config: arbitrary YAML text through the validator.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto result = fg::config::parse_config(text, "/fuzz/feedgate.yaml");
  // Either a config or at least one positioned problem, never neither.
  if (!result.config.has_value() && result.problems.empty()) __builtin_trap();
  for (const auto& p : result.problems) {
    if (p.line < 1 || p.column < 1) __builtin_trap();
  }
  return 0;
}
