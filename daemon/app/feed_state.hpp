#pragma once
// One feed's status as the status page shows it, kept in memory and updated from each poll, so
// that publishing the page reads no store and costs nothing per poll for the other feeds.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "render/render.hpp"
#include "store/store.hpp"

namespace fg::app {

// The polls the status page draws: it sums new items per day over the latest `window` polls and
// plots the durations of the latest `detailed` ones. Only that is kept: the latest `detailed`
// polls, and older polls within the window that brought new items (the others add nothing).
class PollHistory {
 public:
  explicit PollHistory(std::size_t window = 500, std::size_t detailed = 50);
  // Adds the newest poll.
  void add(const render::PollSample& poll);
  // Newest first: the latest `detailed` polls, then the older ones in the window with new items.
  // Sums per day and the first `detailed` durations equal those of the whole window.
  std::vector<render::PollSample> samples() const;

 private:
  struct Numbered {
    std::uint64_t seq;  // 0 for the first poll added
    render::PollSample poll;
  };
  std::size_t window_, detailed_;
  std::uint64_t added_ = 0;
  std::vector<Numbered> latest_;      // oldest first, at most detailed_
  std::vector<Numbered> with_items_;  // older than latest_, new_items != 0, oldest first
};

class FeedState {
 public:
  // From the store: at start-up, or when a reload adds the feed.
  void load(store::Store& store, const std::string& feed_id);
  // After a poll whose record is `last`; `item_count` when the stored items may have changed.
  // Returns false (and changes nothing) when `last` is the poll already known.
  bool polled(const store::PollRecord& last, std::optional<int> item_count);

  // What render_status_page draws, except info and next_poll (the caller's).
  render::FeedStatus status() const;
  int item_count() const { return item_count_; }
  bool failing() const { return last_ && !last_->ok; }
  std::optional<Timestamp> last_success() const { return last_success_; }

 private:
  struct Failure {
    Timestamp at{};
    std::string error;
  };
  void add(const store::PollRecord& poll);

  int item_count_ = 0;
  std::optional<store::PollRecord> last_;  // its error string included
  std::optional<Timestamp> last_success_;
  std::optional<Failure> last_failure_;
  PollHistory history_;
};

}  // namespace fg::app
