#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "normalize/normalize.hpp"
#include "support/source_paths.hpp"

namespace fg::normalize {
namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(FG_FIXTURES) + "/normalize/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A TRS-editor article body as Chinese portals publish it: full-width indents, a style block,
// a relative image, an empty &nbsp; paragraph, <font>, and a javascript: share link.
TEST(NormalizeFixture, TrsEditorBody) {
  const std::string name = "trs_editor_body_with_indents_and_share_bar";
  const NormalizedContent out =
      normalize_html(read_fixture(name + ".html"),
                     "http://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7668283.htm");
  EXPECT_EQ(out.html, read_fixture(name + ".expected.html"));
  EXPECT_EQ(out.text, read_fixture(name + ".expected.txt"));
}

}  // namespace
}  // namespace fg::normalize
