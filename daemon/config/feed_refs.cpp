#include "config/feed_refs.hpp"

#include <algorithm>
#include <set>

namespace fg::config::detail {

// A same_as names a feed defined here that is not itself a same_as (one level, no cycles).
void check_same_as(Reporter& r, const std::vector<FeedConfig>& feeds, const FeedMarks& marks) {
  for (const FeedConfig& feed : feeds) {
    if (feed.same_as.empty()) continue;
    const YAML::Mark& at = marks.at(feed.id);
    auto found = std::find_if(feeds.begin(), feeds.end(),
                              [&](const FeedConfig& f) { return f.id == feed.same_as; });
    if (found == feeds.end() || found->id == feed.id) {
      r.at(at, "same_as: no other feed has id \"" + feed.same_as + "\"");
    } else if (!found->same_as.empty()) {
      r.at(at, "same_as: \"" + feed.same_as + "\" is itself a same_as feed; write \"" +
                   found->same_as + "\"");
    }
  }
}

// Every merged id names a feed that polls (merges do not nest), and none is listed twice.
void check_merges(Reporter& r, const std::vector<FeedConfig>& feeds, const FeedMarks& marks) {
  for (const FeedConfig& feed : feeds) {
    if (feed.merge.empty()) continue;
    const YAML::Mark& at = marks.at(feed.id);
    std::set<std::string> seen;
    for (const std::string& id : feed.merge) {
      auto found =
          std::find_if(feeds.begin(), feeds.end(), [&](const FeedConfig& f) { return f.id == id; });
      if (found == feeds.end()) {
        r.at(at, "merge: no feed has id \"" + id + "\"; list ids of feeds defined here");
      } else if (!found->merge.empty()) {
        r.at(at, "merge: \"" + id + "\" is itself a merged feed; list the feeds it merges");
      } else if (!found->same_as.empty()) {
        r.at(at,
             "merge: \"" + id + "\" is a same_as feed; list \"" + found->same_as + "\" instead");
      }
      if (!seen.insert(id).second) r.at(at, "merge: \"" + id + "\" is listed twice");
    }
  }
}

}  // namespace fg::config::detail
