// The shared limits on reading pages (see page_budget.hpp).

#include "pipeline/page_budget.hpp"

#include <cstring>

namespace fg::pipeline {

PageBudget::PageBudget(const config::LimitsOptions& limits) : limits_(limits) {}

PageBudget::Slot::Slot(PageBudget& budget, std::size_t bytes) : budget_(budget), bytes_(bytes) {
  std::unique_lock lock(budget_.mutex_);
  const int allowed = budget_.limits_.parse_concurrency > 0 ? budget_.limits_.parse_concurrency : 1;
  budget_.freed_.wait(lock, [&] {
    return budget_.in_use_ == 0 ||
           (budget_.in_use_ < allowed && budget_.bytes_in_use_ + bytes_ <= kParseBytes);
  });
  ++budget_.in_use_;
  budget_.bytes_in_use_ += bytes_;
}

PageBudget::Slot::~Slot() {
  {
    std::lock_guard lock(budget_.mutex_);
    --budget_.in_use_;
    budget_.bytes_in_use_ -= bytes_;
  }
  budget_.freed_.notify_all();  // a small page may fit where a large one waits
}

PageBudget& default_page_budget() {
  static PageBudget budget;
  return budget;
}

namespace {

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

Result<void> check_page_elements(std::string_view html, std::size_t max_elements,
                                 std::string_view what, const std::string& url) {
  std::size_t tags = 0;
  const char* p = html.data();
  const char* end = p + html.size();
  while ((p = static_cast<const char*>(std::memchr(p, '<', end - p))) != nullptr) {
    ++p;
    if (p < end && is_ascii_letter(*p) && ++tags > max_elements) {
      return make_error(Errc::too_large,
                        std::string(what) + " has more than " + std::to_string(max_elements) +
                            " elements (limits.max_page_elements), so it was not read; raise "
                            "limits.max_page_elements if the portal's pages really are that large",
                        url);
    }
  }
  return {};
}

}  // namespace fg::pipeline
