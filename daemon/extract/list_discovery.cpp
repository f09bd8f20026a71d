#include "extract/list_discovery.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include "extract/list_features.hpp"
#include "extract/list_groups.hpp"

namespace fg::extract {

namespace {

using list::Group;
using list::LinkFacts;

// How much a group's mean link length looks like headlines (CJK characters; 8-40 typical).
double length_factor(double units) {
  if (units < 4) return 0.05;
  if (units < 8) return 0.2 + 0.8 * (units - 4) / 4;
  if (units <= 40) return 1.0;
  if (units <= 80) return 1.0 - 0.5 * (units - 40) / 40;
  return 0.4;
}

// Fills the group's report from its links' facts: one entry per distinct URL.
void measure(Group& g, const std::vector<LinkFacts>& facts,
             const std::vector<LinkCandidate>& candidates) {
  std::map<std::string, LinkFacts> by_url;  // merged facts of every anchor with that URL
  std::map<std::string, int> shapes;
  for (std::size_t i : g.members) {
    auto [it, fresh] = by_url.try_emplace(candidates[i].url, facts[i]);
    if (!fresh) {
      it->second.units = std::max(it->second.units, facts[i].units);
      it->second.dated = it->second.dated || facts[i].dated;
      it->second.story = it->second.story || facts[i].story;
    }
    if (g.report.example.empty() && facts[i].story) g.report.example = candidates[i].text;
  }
  int stories = 0, units = 0, dated = 0, articles = 0, nav = 0, offsite = 0;
  for (const auto& [url, f] : by_url) {
    offsite += f.offsite ? 1 : 0;
    if (!f.story) {
      nav += f.offsite ? 0 : 1;
      continue;
    }
    ++stories;
    units += f.units;
    dated += f.dated ? 1 : 0;
    articles += f.article ? 1 : 0;
    ++shapes[f.shape];
  }
  auto& r = g.report;
  r.links = static_cast<int>(by_url.size());
  r.story_links = stories;
  r.mean_units = stories > 0 ? static_cast<double>(units) / stories : 0;
  r.date_share = stories > 0 ? static_cast<double>(dated) / stories : 0;
  r.article_share = stories > 0 ? static_cast<double>(articles) / stories : 0;
  r.nav_share = r.links > 0 ? static_cast<double>(nav) / r.links : 0;
  g.offsite_share = r.links > 0 ? static_cast<double>(offsite) / r.links : 0;
  for (const auto& [shape, n] : shapes) {
    if (n > g.shape_count) {
      g.shape_count = n;
      r.shape = shape;
    }
  }
  r.score = std::log2(1.0 + stories) * length_factor(r.mean_units) * (0.5 + r.date_share) *
            (0.5 + r.article_share) * (g.positive_hint ? 1.2 : 1.0);
}

// Why a group cannot be the article list, or empty. `minor` is set when the only objection is
// its size (a one-story headline block can still join the list it belongs to).
std::string objection(const Group& g, bool& minor) {
  const auto& r = g.report;
  minor = false;
  char buf[96];
  if (g.offsite_share >= 0.5) return "off-site links";
  if (r.story_links == 0) return "navigation or pagination only";
  // Old classless table layouts put menus and the list under one path: article-like story links
  // still make it a list.
  if (r.nav_share >= 0.5 && r.article_share < 0.8) {
    std::snprintf(buf, sizeof buf, "navigation: %.0f%% channel/short/pagination links",
                  100 * r.nav_share);
    return buf;
  }
  if (!g.negative_hint.empty()) return "sidebar/navigation marker: " + g.negative_hint;
  if (!g.sidebar_heading.empty()) return "under the heading \"" + g.sidebar_heading + "\"";
  if (r.mean_units < 6) {
    std::snprintf(buf, sizeof buf, "short link texts (mean %.1f characters)", r.mean_units);
    return buf;
  }
  minor = true;
  if (r.story_links < 2) return "too few links";
  minor = false;
  return "";
}

// Share of the group's story links with the given URL shape.
double shape_share(const Group& g, const std::string& shape, const std::vector<LinkFacts>& facts) {
  int stories = 0, same = 0;
  for (std::size_t i : g.members) {
    if (!facts[i].story) continue;
    ++stories;
    same += facts[i].shape == shape ? 1 : 0;
  }
  return stories > 0 ? static_cast<double>(same) / stories : 0;
}

// Chooses the best unobjectionable group, then merges groups of the same URL shape (split
// lists, the headline block above a list) that have no objection but their size.
void choose(std::vector<Group>& groups, const std::vector<LinkFacts>& facts) {
  std::vector<bool> minor(groups.size(), false);
  Group* best = nullptr;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    bool is_minor = false;
    groups[k].report.reason = objection(groups[k], is_minor);
    minor[k] = is_minor || groups[k].report.reason.empty();
    if (groups[k].report.reason.empty() &&
        (best == nullptr || groups[k].report.score > best->report.score))
      best = &groups[k];
  }
  if (best == nullptr) return;
  best->report.verdict = GroupVerdict::chosen;
  best->report.reason = "best score";
  for (std::size_t k = 0; k < groups.size(); ++k) {
    Group& g = groups[k];
    if (&g == best || !minor[k]) continue;
    if (shape_share(g, best->report.shape, facts) >= 0.5) {
      g.report.verdict = GroupVerdict::merged;
      g.report.reason = "same URL shape as the chosen group";
    } else if (g.report.reason.empty()) {
      g.report.reason = "lower score than the chosen group, other URL shape";
    }
  }
}

}  // namespace

ListDiscovery discover_list_links(const std::vector<LinkCandidate>& candidates,
                                  const std::string& page_url) {
  const list::AnchorCounts counts = list::count_anchors(candidates);
  const std::vector<LinkFacts> facts = list::link_facts(candidates, page_url, counts);
  std::vector<Group> groups = list::group_by_path(candidates);
  for (Group& g : groups) {
    list::read_context(g, candidates, counts);
    measure(g, facts, candidates);
  }
  choose(groups, facts);

  ListDiscovery out;
  for (const Group& g : groups) {
    if (g.report.verdict == GroupVerdict::rejected) continue;
    for (std::size_t i : g.members) {
      if (facts[i].story) out.chosen.push_back(i);
    }
  }
  std::sort(out.chosen.begin(), out.chosen.end());
  std::sort(groups.begin(), groups.end(),
            [](const Group& a, const Group& b) { return a.report.score > b.report.score; });
  for (Group& g : groups) out.groups.push_back(std::move(g.report));
  return out;
}

}  // namespace fg::extract
