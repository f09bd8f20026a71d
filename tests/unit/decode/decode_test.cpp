// to_utf8: precedence of the charset sources, and decoding of real-world encodings.

#include "decode/decode.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "support/source_paths.hpp"

namespace fg::decode {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(FG_FIXTURES) + "/decode/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(ToUtf8, GbkWithCharsetOnlyInMeta) {
  auto d = to_utf8(fixture("gbk_charset_in_meta_only.html"), "text/html");
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->charset, "GB18030");
  EXPECT_EQ(d->how, "meta");
  EXPECT_TRUE(contains(d->text, "<title>杭州网 新闻中心</title>"));
  EXPECT_TRUE(contains(d->text, "西湖景区迎来春季客流高峰"));
}

// A page re-saved as UTF-8 that kept its <meta charset=gbk>: the bytes decide.
TEST(ToUtf8, GbkMetaButValidUtf8BytesDecodeAsUtf8) {
  auto d = to_utf8(fixture("gbk_meta_but_utf8_bytes.html"), "text/html");
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->charset, "UTF-8");
  EXPECT_EQ(d->how, "utf-8 bytes");
  EXPECT_TRUE(contains(d->text, "市政府召开新闻发布会介绍春运安排"));
}

// The header is what the server says; it still wins over the bytes.
TEST(ToUtf8, GbkHeaderStillDecidesForUtf8Bytes) {
  auto d = to_utf8(fixture("gbk_meta_but_utf8_bytes.html"), "text/html; charset=gbk");
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->how, "header");
}

TEST(ToUtf8, Gb2312DeclaredButGb18030CharactersDecode) {
  auto d = to_utf8(fixture("gb2312_meta_with_gb18030_only_chars.html"));
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->how, "meta");
  EXPECT_TRUE(contains(d->text, "朱镕基 与 𠮷野家")) << d->text;
  EXPECT_FALSE(contains(d->text, "\xEF\xBF\xBD"));
}

TEST(ToUtf8, Big5InMeta) {
  auto d = to_utf8(fixture("big5_charset_in_meta.html"));
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->charset, "Big5");
  EXPECT_EQ(d->how, "meta");
  EXPECT_TRUE(contains(d->text, "中央社 即時新聞"));
  EXPECT_TRUE(contains(d->text, "臺灣中部今天天氣晴朗"));
}

TEST(ToUtf8, Utf8BomIsStripped) {
  auto d = to_utf8(fixture("utf8_with_bom.html"));
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->charset, "UTF-8");
  EXPECT_EQ(d->how, "bom");
  EXPECT_EQ(d->text.rfind("<html><head><title>新华网</title>", 0), 0u) << d->text;
}

TEST(ToUtf8, BomBeatsHeader) {
  auto d = to_utf8("\xEF\xBB\xBFok \xE4\xB8\xAD", "text/html; charset=gbk");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->how, "bom");
  EXPECT_EQ(d->text, "ok 中");
}

TEST(ToUtf8, Utf16LeBom) {
  const std::string bytes(
      "\xFF\xFE"
      "a\0\x2D\x4E",
      6);  // "a中"
  auto d = to_utf8(bytes);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "UTF-16LE");
  EXPECT_EQ(d->text, "a中");
}

TEST(ToUtf8, NoCharsetAnywhereIsDetected) {
  auto d = to_utf8(fixture("no_charset_gbk.html"), "text/html");
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->charset, "GB18030");
  EXPECT_TRUE(d->how == "detected" || d->how == "default") << d->how;
  EXPECT_TRUE(contains(d->text, "杭州市召开全市经济工作会议"));
  EXPECT_TRUE(contains(d->text, "稳中求进工作总基调"));
}

TEST(ToUtf8, UndeclaredValidUtf8StaysUtf8) {
  auto d = to_utf8("<p>新华社北京电 记者报道</p>");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "UTF-8");
  EXPECT_EQ(d->text, "<p>新华社北京电 记者报道</p>");
}

TEST(ToUtf8, InvalidUtf8BecomesReplacementAndTextGoesOn) {
  // 0xFF never occurs in UTF-8; E4 B8 is a truncated 中; C0 AF is an overlong '/'.
  auto d = to_utf8(
      "a\xFF"
      "b\xE4\xB8"
      "c\xC0\xAF"
      "d\x01",
      "text/plain; charset=utf-8");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->how, "header");
  EXPECT_EQ(d->text,
            "a\uFFFD"
            "b\uFFFD"
            "c\uFFFD\uFFFD"
            "d\x01");
}

TEST(ToUtf8, InvalidGbkByteIsReplacedWithoutTruncating) {
  // D6 D0 is 中; 0xFF is not a GBK lead byte; D0 at the end is a truncated character.
  auto d = to_utf8("\xD6\xD0\xFFok\xD0", "text/html; charset=gbk");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "中\uFFFDok\uFFFD");
}

TEST(ToUtf8, HeaderBeatsMeta) {
  auto d = to_utf8("<meta charset=\"gbk\"><p>\xE4\xB8\xAD</p>", "text/html; charset=UTF-8");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->how, "header");
  EXPECT_EQ(d->charset, "UTF-8");
  EXPECT_EQ(d->text, "<meta charset=\"gbk\"><p>中</p>");
}

TEST(ToUtf8, OverrideBeatsHeader) {
  auto d = to_utf8("\xD6\xD0\xCE\xC4", "text/html; charset=utf-8", "GBK");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->how, "override");
  EXPECT_EQ(d->charset, "GB18030");
  EXPECT_EQ(d->text, "中文");
}

TEST(ToUtf8, Latin1MeansWindows1252) {
  auto d = to_utf8("\x93quoted\x94 caf\xE9", "text/html; charset=iso-8859-1");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "windows-1252");
  EXPECT_EQ(d->text, "\u201Cquoted\u201D café");
}

TEST(ToUtf8, CharsetKnownOnlyToIconvPassesThrough) {
  auto d = to_utf8("\xCF\xF0\xE8", "text/html; charset=windows-1251");
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->charset, "windows-1251");
  EXPECT_EQ(d->text, "При");
}

TEST(ToUtf8, UnknownCharsetNameIsAnError) {
  auto by_override = to_utf8("abc", "", "klingon-8");
  ASSERT_FALSE(by_override.ok());
  EXPECT_EQ(by_override.error().code, Errc::charset);
  EXPECT_NE(by_override.error().message.find("klingon-8"), std::string::npos);

  auto by_header = to_utf8("abc", "text/html; charset=utf-8//TRANSLIT");
  ASSERT_FALSE(by_header.ok());
  EXPECT_EQ(by_header.error().code, Errc::charset);
}

TEST(ToUtf8, UnknownMetaCharsetFallsBackToDetection) {
  auto d = to_utf8("<meta charset=\"klingon-8\"><p>\xE4\xB8\xAD\xE6\x96\x87</p>");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->charset, "UTF-8");
  EXPECT_EQ(d->text, "<meta charset=\"klingon-8\"><p>中文</p>");
}

TEST(ToUtf8, EmptyInput) {
  auto d = to_utf8("");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, "");
  EXPECT_EQ(d->charset, "UTF-8");
}

}  // namespace
}  // namespace fg::decode
