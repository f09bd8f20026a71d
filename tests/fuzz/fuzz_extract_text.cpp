// libFuzzer target for the text rules of extract: dates, bylines and title suffixes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "extract/article.hpp"
#include "extract/dates.hpp"
#include "extract/labels.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text =
      fg::xml_safe_utf8(std::string_view(reinterpret_cast<const char*>(data), size));
  (void)fg::extract::find_date(text, "Asia/Shanghai");
  (void)fg::extract::find_date(text, "America/New_York");
  const fg::extract::Byline b = fg::extract::split_byline(text);
  if (!fg::is_valid_utf8(b.source) || !fg::is_valid_utf8(b.author) ||
      !fg::is_valid_utf8(b.editor)) {
    __builtin_trap();  // splitting never cuts a character in half
  }
  if (!fg::is_valid_utf8(fg::extract::strip_site_suffix(text))) __builtin_trap();
  return 0;
}
