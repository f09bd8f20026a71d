#pragma once
// The DOM side of list discovery: facts about each link in its page, groups of links by DOM
// path, and what surrounds a group (class/id hints, the heading above it). Internal.

#include <string>
#include <unordered_map>
#include <vector>

#include "extract/list_discovery.hpp"
#include "extract/list_features.hpp"

namespace fg::extract::list {

// What one link says about itself and its row.
struct LinkFacts {
  std::string shape;  // url_shape of its URL
  int units = 0;      // headline_units of its text
  bool article = false;
  bool offsite = false;
  bool dated = false;  // a date in its row, outside the link text
  bool story = false;  // not navigation, pagination, "more" or off-site
};

// Number of candidate anchors inside each element (the rows of a list hold one to three).
using AnchorCounts = std::unordered_map<const parse::Node*, int>;
AnchorCounts count_anchors(const std::vector<LinkCandidate>& candidates);

std::vector<LinkFacts> link_facts(const std::vector<LinkCandidate>& candidates,
                                  const std::string& page_url, const AnchorCounts& counts);

struct Group {
  std::vector<std::size_t> members;  // candidate indices, in page order
  LinkGroupReport report;
  std::string negative_hint;    // the class/id/tag that marks it as navigation or sidebar
  std::string sidebar_heading;  // the heading above it announcing a sidebar list
  bool positive_hint = false;   // a list/news/content class or id around it
  double offsite_share = 0;
  int shape_count = 0;
};

// The element's label in a DOM path: tag, classes (sorted, digits as '#', state classes like
// odd/on/first dropped) and id.
std::string element_label(const parse::Node& element);

// The texts around a link, level by level from its parent up to its row (its highest ancestor,
// up to 4 levels, holding at most 3 links): each level's text outside the link, one text node a
// line. The nearest level comes first, so a short list's rows each keep their own date.
std::vector<std::string> texts_beside(const parse::Node* anchor, const AnchorCounts& counts);

// Groups candidates by the DOM path from <body> to the link, in order of first appearance.
std::vector<Group> group_by_path(const std::vector<LinkCandidate>& candidates);

// Sets the group's hints and sidebar heading from the page around it.
void read_context(Group& group, const std::vector<LinkCandidate>& candidates,
                  const AnchorCounts& counts);

}  // namespace fg::extract::list
