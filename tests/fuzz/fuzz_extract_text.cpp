// libFuzzer target for the text rules of extract: dates (full, without a year, slashed with
// AM/PM, periodical issues, relative, beside list links), bylines, blog owners and title
// suffixes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "extract/article.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/labels.hpp"
#include "extract/links.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text =
      fg::xml_safe_utf8(std::string_view(reinterpret_cast<const char*>(data), size));
  (void)fg::extract::find_date(text, "Asia/Shanghai");
  (void)fg::extract::find_date(text, "America/New_York");
  fg::extract::DateReading reading("Asia/Shanghai");
  reading.order = fg::extract::DayMonthOrder::day_first;
  reading.reference = [] { return fg::extract::find_date("2020-01-02 10:00", "UTC"); };
  (void)fg::extract::find_date(text, reading);
  (void)fg::extract::find_yearless_date(text, reading, fg::Timestamp{});
  (void)fg::extract::find_yearless_date(text, "Asia/Shanghai", fg::Timestamp{});
  (void)fg::extract::find_issue_month(text, "Asia/Shanghai");
  const fg::Timestamp fetched{std::chrono::seconds{1796194800}};
  for (const char* zone : {"Asia/Shanghai", "America/New_York"}) {
    const auto relative = fg::extract::find_relative_date(text, zone, fetched);
    const auto listed = fg::extract::find_list_date(text, zone, fetched);
    // A date read against the fetch is never later than it.
    if ((relative && relative->utc > fetched) || (listed && listed->utc > fetched)) {
      __builtin_trap();
    }
  }
  if (!fg::is_valid_utf8(fg::extract::detail::blog_owner(text, "标题"))) __builtin_trap();
  const fg::extract::Byline b = fg::extract::split_byline(text);
  if (!fg::is_valid_utf8(b.source) || !fg::is_valid_utf8(b.author) ||
      !fg::is_valid_utf8(b.editor)) {
    __builtin_trap();  // splitting never cuts a character in half
  }
  if (!fg::is_valid_utf8(fg::extract::strip_site_suffix(text))) __builtin_trap();
  return 0;
}
