#include "core/text.hpp"

#include <gtest/gtest.h>

namespace fg {
namespace {

TEST(Trim, AsciiNbspAndIdeographicSpace) {
  EXPECT_EQ(trim("  abc \t\n"), "abc");
  EXPECT_EQ(trim("\xE3\x80\x80\xE3\x80\x80新华社\xC2\xA0"), "新华社");
  EXPECT_EQ(trim(" \xE2\x80\x8B "), "");
}

TEST(CollapseWhitespace, RunsBecomeOneSpace) {
  EXPECT_EQ(collapse_whitespace("  来源:\xE3\x80\x80新华网 \n\n 作者: "), "来源: 新华网 作者:");
}

TEST(XmlSafe, DropsForbiddenControlsAndReplacesInvalidBytes) {
  EXPECT_EQ(xml_safe_utf8("a\x01"
                          "b\x0B"
                          "c\td\n"),
            "abc\td\n");
  EXPECT_EQ(xml_safe_utf8("x\xFFy"), "x\xEF\xBF\xBDy");
  EXPECT_EQ(xml_safe_utf8("\xE6\x96"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated 3-byte sequence
  EXPECT_EQ(xml_safe_utf8("\xEF\xBF\xBE"), "");                      // U+FFFE
  EXPECT_EQ(xml_safe_utf8("杭州网"), "杭州网");
}

TEST(Utf8Validity, Detects) {
  EXPECT_TRUE(is_valid_utf8("杭州 abc"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(CodePoints, DecodesAndReplacesMalformed) {
  const std::string s =
      "a\xC3\xA9\xE6\x9D\xAD\xF0\x9F\x93\xB0\x80\xE6\x9D";  // a é 杭 📰, stray, cut
  std::vector<char32_t> got;
  for (std::size_t i = 0; i < s.size();) got.push_back(next_code_point(s, i));
  EXPECT_EQ(got, (std::vector<char32_t>{U'a', U'é', U'杭', U'\U0001F4F0', 0xFFFD, 0xFFFD, 0xFFFD}));
  EXPECT_TRUE(is_han(U'杭'));
  EXPECT_TRUE(is_han(U'\u3400'));
  EXPECT_FALSE(is_han(U'の'));
  EXPECT_FALSE(is_han(U'、'));
}

TEST(Split, KeepsEmptyPieces) {
  EXPECT_EQ(split("a\tb\t\tc", '\t'), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(split("page.html", '\t'), (std::vector<std::string>{"page.html"}));
  EXPECT_EQ(split("", '\t'), (std::vector<std::string>{""}));
  EXPECT_EQ(split("x\t", '\t'), (std::vector<std::string>{"x", ""}));
}

TEST(AsciiCase, LowerAndCompare) {
  EXPECT_EQ(ascii_lower("GB2312"), "gb2312");
  EXPECT_TRUE(iequals("UTF-8", "utf-8"));
  EXPECT_FALSE(iequals("utf-8", "utf8"));
}

}  // namespace
}  // namespace fg
