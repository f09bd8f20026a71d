#include "app/feed_state.hpp"

#include <algorithm>

namespace fg::app {

namespace {
constexpr int kHistoryPolls = 500;  // polls the status page's sparklines are drawn from
}  // namespace

PollHistory::PollHistory(std::size_t window, std::size_t detailed)
    : window_(window), detailed_(std::min(detailed, window)) {}

void PollHistory::add(const render::PollSample& poll) {
  latest_.push_back({added_++, poll});
  if (latest_.size() > detailed_) {
    if (latest_.front().poll.new_items != 0) with_items_.push_back(latest_.front());
    latest_.erase(latest_.begin());
  }
  // Polls before the window's first one no longer count.
  const std::uint64_t first = added_ > window_ ? added_ - window_ : 0;
  const auto kept = std::find_if(with_items_.begin(), with_items_.end(),
                                 [&](const Numbered& n) { return n.seq >= first; });
  with_items_.erase(with_items_.begin(), kept);
}

std::vector<render::PollSample> PollHistory::samples() const {
  std::vector<render::PollSample> out;
  out.reserve(latest_.size() + with_items_.size());
  for (auto it = latest_.rbegin(); it != latest_.rend(); ++it) out.push_back(it->poll);
  for (auto it = with_items_.rbegin(); it != with_items_.rend(); ++it) out.push_back(it->poll);
  return out;
}

void FeedState::load(store::Store& store, const std::string& feed_id) {
  *this = FeedState{};
  if (auto n = store.count_items(feed_id)) item_count_ = *n;
  // The latest successful and failed polls may be older than the history read below.
  if (auto ok = store.last_success(feed_id); ok && *ok) last_success_ = (*ok)->started;
  if (auto failed = store.last_failure(feed_id); failed && *failed) {
    last_failure_ = Failure{(*failed)->started, (*failed)->error};
  }
  if (auto polls = store.recent_polls(feed_id, kHistoryPolls)) {
    for (auto it = polls->rbegin(); it != polls->rend(); ++it) add(*it);
  }
}

void FeedState::add(const store::PollRecord& poll) {
  if (poll.ok) last_success_ = poll.started;
  if (!poll.ok) last_failure_ = Failure{poll.started, poll.error};
  history_.add({poll.started, poll.duration, poll.new_items});
  last_ = poll;
}

bool FeedState::polled(const store::PollRecord& last, std::optional<int> item_count) {
  if (last_ && last_->started == last.started && last_->duration == last.duration &&
      last_->bytes == last.bytes && last_->error == last.error) {
    return false;  // the poll could not be recorded: the store still returns the previous one
  }
  add(last);
  if (item_count) item_count_ = *item_count;
  return true;
}

render::FeedStatus FeedState::status() const {
  render::FeedStatus status;
  status.item_count = item_count_;
  if (last_) {
    status.last_poll = last_->started;
    status.last_http_status = last_->http_status;
    status.last_bytes = last_->bytes;
    status.last_duration = last_->duration;
    if (!last_->error.empty()) {
      status.last_error = last_->error;
      status.last_error_at = last_->started;
    }
  }
  status.last_success = last_success_;
  if (status.last_error.empty() && last_failure_) {
    status.last_error = last_failure_->error;  // an earlier failure, shown with its time
    status.last_error_at = last_failure_->at;
  }
  status.recent_polls = history_.samples();
  return status;
}

}  // namespace fg::app
