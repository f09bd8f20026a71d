// libFuzzer target, differential: parse::Document::parse (which takes script and style contents
// out of gumbo's input and puts them back) must build the very tree gumbo builds from the same
// input. Inputs deeper than the nesting guard's limit are skipped: those are flattened on purpose.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../support/dom_dump.hpp"
#include "parse/nesting_guard.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  std::string storage;
  if (fg::parse::limit_nesting(html, fg::parse::kMaxNestingDepth, storage).data() != html.data()) {
    return 0;
  }
  if (fg::test::our_tree(html) != fg::test::gumbo_tree(html)) __builtin_trap();
  return 0;
}
