// A start tag inside MathML or SVG implies no end tag outside it (found by fuzz_parse_cut: a stray
// <tr> before <math> and another inside it made the scan close the <math>, so a <style> that
// holds markup there was cut as raw text and the tree differed from gumbo's).
#include <gtest/gtest.h>

#include <string>

#include "support/dom_dump.hpp"

namespace fg::parse {
namespace {

TEST(PrepareForGumbo, StartTagInMathDoesNotCloseWhatIsOutside) {
  const std::string pad = "/*" + std::string(76, '0') + "*/";
  for (const std::string& page :
       {"<tr><math><tr><style>" + pad + "<b>x</b></style></math><p>after",
        "<li><svg><li><style>" + pad + "<i>y</i></style></svg>",
        std::string("><tr><math>\0<tr><style>", 23) + pad + "<scr>le>g><0/b></style><"}) {
    EXPECT_EQ(test::our_tree(page), test::gumbo_tree(page)) << page;
  }
}

}  // namespace
}  // namespace fg::parse
