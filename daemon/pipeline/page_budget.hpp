#pragma once
// The limits on reading pages that keep the daemon's memory bounded whatever portals send: an
// element budget per page, a cap on how many pages are parsed at once across every feed, and a
// cap on an article's stored size. One PageBudget is shared by every poll of a process.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string_view>

#include "config/config.hpp"
#include "core/result.hpp"

namespace fg::pipeline {

class PageBudget {
 public:
  explicit PageBudget(const config::LimitsOptions& limits = {});
  PageBudget(const PageBudget&) = delete;
  PageBudget& operator=(const PageBudget&) = delete;

  const config::LimitsOptions& limits() const { return limits_; }

  // Parsing costs about ten times a page's size at its peak, so pages are admitted while
  // together they stay under this many bytes (one page is always admitted, whatever its size).
  static constexpr std::size_t kParseBytes = 8u << 20;

  // Held while a page of `bytes` is decoded, parsed and extracted: at most parse_concurrency
  // pages at once, and no more of them than kParseBytes allows.
  class Slot {
   public:
    Slot(PageBudget& budget, std::size_t bytes);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    PageBudget& budget_;
    std::size_t bytes_;
  };

 private:
  config::LimitsOptions limits_;
  std::mutex mutex_;
  std::condition_variable freed_;
  int in_use_ = 0;
  std::size_t bytes_in_use_ = 0;
};

// The budget of polls whose context names none: the defaults, one gate for all of them.
PageBudget& default_page_budget();

// Errc::too_large when the decoded page has more start tags than max_page_elements, each of
// which would become an element: "list page has more than N elements ...". `what` names the page.
Result<void> check_page_elements(std::string_view html, std::size_t max_elements,
                                 std::string_view what, const std::string& url);

}  // namespace fg::pipeline
