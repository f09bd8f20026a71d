#include "extract/lexicon.hpp"

#include <gtest/gtest.h>

namespace fg::extract::lexicon {
namespace {

// The element parsed from `html` (the fragment's first child).
struct Element {
  parse::Document doc = parse::Document::parse("");
  parse::Node* node = nullptr;
  explicit Element(const std::string& html) { node = doc.parse_fragment(html)->children.at(0); }
};

TEST(ClassHints, TokenPrefixTablesMatchOnlyAtTheStartOfAToken) {
  EXPECT_TRUE(class_hints(*Element(R"(<div class="hot-news"></div>)").node).has(kBodyNegative));
  EXPECT_FALSE(class_hints(*Element(R"(<div class="photo"></div>)").node).has(kBodyNegative));
  EXPECT_EQ(class_hints(*Element(R"(<div id="Side_Bar"></div>)").node).find(kBodyNegative), "side");
}

TEST(ClassHints, SubstringTablesMatchAnywhereInClassOrId) {
  EXPECT_TRUE(class_hints(*Element(R"(<div id="mainContent"></div>)").node).has(kBodyPositive));
  EXPECT_TRUE(class_hints(*Element(R"(<span class="info_time"></span>)").node).has(kDateHints));
  EXPECT_FALSE(class_hints(*Element(R"(<span class="info"></span>)").node).has(kDateHints));
}

TEST(ClassHints, PubIsADateHintButPublicIsNot) {
  EXPECT_TRUE(class_hints(*Element(R"(<span class="pubtime"></span>)").node).has(kDateHints));
  EXPECT_TRUE(class_hints(*Element(R"(<span id="pub_date"></span>)").node).has(kDateHints));
  EXPECT_FALSE(class_hints(*Element(R"(<div class="public-bar"></div>)").node).has(kDateHints));
  EXPECT_TRUE(class_hints(*Element(R"(<div class="public pub"></div>)").node).has(kDateHints));
}

TEST(ClassHints, ClassTokenTablesReadWholeClassTokensOnly) {
  EXPECT_TRUE(class_hints(*Element(R"(<div class="a d-none"></div>)").node).has(kHiddenClasses));
  EXPECT_TRUE(class_hints(*Element(R"(<div class="menu-hide"></div>)").node).has(kHiddenClasses));
  EXPECT_FALSE(class_hints(*Element(R"(<div class="-hide"></div>)").node).has(kHiddenClasses));
  EXPECT_FALSE(class_hints(*Element(R"(<div class="hidden-xs"></div>)").node).has(kHiddenClasses));
  EXPECT_FALSE(class_hints(*Element(R"(<div id="hidden"></div>)").node).has(kHiddenClasses));
}

TEST(RuleOn, EveryRuleIsOnUnlessSwitchedOff) {
  // FEEDGATE_EXTRACT_OFF is not set in the test environment.
  EXPECT_TRUE(rule_on("date.markup"));
  EXPECT_TRUE(rule_on("no.such.rule"));
}

}  // namespace
}  // namespace fg::extract::lexicon
