// detail::Tables must give exactly what OpenCC's own converter gives: checked against
// opencc_convert_utf8 on text made of the dictionaries' own keys (whole, cut, glued together),
// where segmentation and longest-prefix matching have the most to decide.

#include "shape/opencc_tables.hpp"

#include <gtest/gtest.h>
#include <opencc/opencc.h>

#include <random>

#include "shape/shape.hpp"

namespace fg::shape::detail {
namespace {

constexpr const char* kConversions[] = {"s2t",  "t2s",  "s2tw",  "tw2s",
                                        "s2hk", "hk2s", "s2twp", "tw2sp"};

std::string config_path(const char* name) {
  return std::string("/usr/share/opencc/") + name + ".json";
}

std::string opencc_reference(const char* name, const std::string& text) {
  opencc_t handle = opencc_open(config_path(name).c_str());
  EXPECT_NE(handle, reinterpret_cast<opencc_t>(-1)) << name;
  char* converted = opencc_convert_utf8(handle, text.data(), text.size());
  std::string out = converted ? converted : "(opencc failed)";
  if (converted) opencc_convert_utf8_free(converted);
  opencc_close(handle);
  return out;
}

// Words that exercise the dictionaries: phrases whose first characters are phrases too, words
// that differ by region, characters with several traditional forms, and text no key starts.
const std::vector<std::string> kWords = {
    "发展", "国际",   "软件",   "网络",   "鼠标", "打印机", "信息", "头发", "发现",
    "干部", "干燥",   "面条",   "方面",   "后来", "皇后",   "里面", "公里", "了解",
    "周末", "出租车", "台湾",   "台风",   "著名", "覆盖",   "瞭望", "乾隆", "軟體",
    "網路", "滑鼠",   "印表機", "資訊",   "頭髮", "後來",   "裏面", "瞭解", "計程車",
    "臺灣", "颱風",   "著名",   "杭州市", "记者", "编辑",   "来源", "abc",  "123",
    " ",    "，",     "。",     "\x01",   "<b>",  "😀",      "é",    "𠀀"};

std::string glued_text(std::mt19937& rng, int words) {
  std::string text;
  for (int k = 0; k < words; ++k) text += kWords[rng() % kWords.size()];
  return text;
}

TEST(OpenccTables, SameAsOpenccOnGluedWords) {
  std::mt19937 rng(7);
  for (const char* name : kConversions) {
    auto tables = Tables::load(config_path(name));
    ASSERT_TRUE(tables) << name << ": " << tables.error().describe();
    for (int round = 0; round < 20; ++round) {
      const std::string text = glued_text(rng, 40);
      EXPECT_EQ((*tables)->convert(text), opencc_reference(name, text)) << name << ": " << text;
    }
  }
}

TEST(OpenccTables, ConvertsTheOffersOfEachConversion) {
  auto s2t = Tables::load(config_path("s2t"));
  auto tw2sp = Tables::load(config_path("tw2sp"));
  ASSERT_TRUE(s2t && tw2sp);
  EXPECT_EQ((*s2t)->convert("头发和发展"), "頭髮和發展");    // one 发, two characters
  EXPECT_EQ((*tw2sp)->convert("滑鼠與軟體"), "鼠标与软件");  // Taiwan phrases
  EXPECT_EQ((*s2t)->convert(""), "");
  EXPECT_EQ((*s2t)->convert(std::string("发展\0发展", 7)), "發展");  // as OpenCC: up to a NUL
}

TEST(OpenccTables, AConversionDoneBeforeIsReused) {
  const std::string html = "<p>这是一条只为记忆测试写的新闻</p>";
  const std::size_t before = conversion_memo_entries();
  const auto first = convert_html("s2t", html);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, opencc_reference("s2t", html));  // no Chinese in the tags
  EXPECT_EQ(conversion_memo_entries(), before + 1);
  EXPECT_EQ(*convert_html("s2t", html), *first);
  EXPECT_EQ(conversion_memo_entries(), before + 1);  // the same conversion, found again
  EXPECT_EQ(*convert_html("s2tw", html), opencc_reference("s2tw", html));
  EXPECT_EQ(*convert_text("s2t", html), *first);
  EXPECT_EQ(conversion_memo_entries(), before + 3);  // each conversion and kind apart
}

TEST(PhraseTrie, LongestKeyWinsAndOnlyWholeKeysCount) {
  PhraseTrie trie;
  trie.add("a", "1");
  trie.add("abc", "3");
  trie.add("日本", "ja");
  EXPECT_EQ(trie.longest("abcd").length, 3u);
  EXPECT_EQ(trie.longest("abcd").value, "3");
  EXPECT_EQ(trie.longest("abx").length, 1u);  // "ab" is no key
  EXPECT_EQ(trie.longest("日本語").value, "ja");
  EXPECT_EQ(trie.longest("日").length, 0u);
  EXPECT_EQ(trie.longest("").length, 0u);
}

TEST(PhraseTrie, ManyKeysBeyondTheFirstTable) {
  PhraseTrie trie;
  // Enough two-character keys to make the edge table grow several times.
  for (char32_t a = 0x4E00; a < 0x4E40; ++a) {
    for (char32_t b = 0x4E00; b < 0x4E40; ++b) {
      std::string key;
      for (char32_t cp : {a, b}) {
        key += static_cast<char>(0xE0 | (cp >> 12));
        key += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        key += static_cast<char>(0x80 | (cp & 0x3F));
      }
      trie.add(key, "v" + std::to_string(a) + "-" + std::to_string(b));
    }
  }
  EXPECT_EQ(trie.longest("丁七").value, "v19969-19971");  // U+4E01 U+4E03
  EXPECT_EQ(trie.longest("丁七丁").length, 6u);
}

}  // namespace
}  // namespace fg::shape::detail
