// Script and style contents taken out before gumbo parses and put back after: the end of raw
// text found as the tokenizer finds it, and trees identical to gumbo's own parse of the page
// (gumbo, called directly here, is the reference).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "parse/dom.hpp"
#include "parse/nesting_guard.hpp"
#include "parse/raw_text.hpp"
#include "support/dom_dump.hpp"
#include "support/source_paths.hpp"

namespace fg::parse {
namespace {

constexpr auto npos = std::string_view::npos;

// 80 bytes of script, so that the content around it is long enough to be cut.
const std::string kPad = "/*" + std::string(76, 'x') + "*/";

// ---- where raw text ends ----

TEST(ScriptDataEnd, EndsAtTheFirstScriptEndTag) {
  EXPECT_EQ(script_data_end("a<b;</script>x", 0), 4u);
  EXPECT_EQ(script_data_end("a</SCRIPT\n>", 0), 1u);
}

TEST(ScriptDataEnd, LongerNamesAndBareEndAtEofDoNotEndIt) {
  EXPECT_EQ(script_data_end("'</scripts>';</script>", 0), 13u);
  EXPECT_EQ(script_data_end("x</script", 0), npos);
}

TEST(ScriptDataEnd, EscapedScriptEndsAtEndTag) {
  EXPECT_EQ(script_data_end("<!-- a </script> -->", 0), 7u);
}

TEST(ScriptDataEnd, DoubleEscapedEndTagDoesNotEndIt) {
  // <!-- <script> enters the double-escaped state; its </script> only goes back to escaped.
  const std::string_view s = "<!--<script>w('</script>')</script>";
  EXPECT_EQ(script_data_end(s, 0), 26u);
}

TEST(ScriptDataEnd, CommentCloseLeavesTheEscapedState) {
  // After "-->" a "<script" is plain text again, so the next </script> ends the element.
  EXPECT_EQ(script_data_end("<!-- x --><script></script>", 0), 18u);
}

TEST(RawTextEnd, NeedsADelimiterAfterTheName) {
  EXPECT_EQ(raw_text_end("a</stylex></style >", 0, "style"), 10u);
  EXPECT_EQ(raw_text_end("a</style", 0, "style"), npos);
}

TEST(RawTextAsParsed, NormalizesLineBreaks) {
  EXPECT_EQ(raw_text_as_parsed("a\r\nb\rc\n"), std::optional<std::string>("a\nb\nc\n"));
  EXPECT_EQ(raw_text_as_parsed("中文\tok"), std::optional<std::string>("中文\tok"));
}

TEST(RawTextAsParsed, RefusesWhatGumboWouldReplace) {
  EXPECT_EQ(raw_text_as_parsed(std::string("a\0b", 3)), std::nullopt);
  EXPECT_EQ(raw_text_as_parsed("a\x01"
                               "b"),
            std::nullopt);
  EXPECT_EQ(raw_text_as_parsed("a\xff"
                               "b"),
            std::nullopt);
  EXPECT_EQ(raw_text_as_parsed("a\xc2\x85"
                               "b"),
            std::nullopt);  // U+0085, a C1 control
  EXPECT_EQ(raw_text_as_parsed("a\xef\xbf\xbe"
                               "b"),
            std::nullopt);                                      // U+FFFE
  EXPECT_EQ(raw_text_as_parsed("\xed\xa0\x80"), std::nullopt);  // a surrogate
}

TEST(PrepareForGumbo, TakesOutLongScriptsAndMarksTheirTags) {
  std::string storage;
  const std::string html = "<p>a<script type=x>" + kPad + "</script><style>b{}</style>";
  const GumboInput in = prepare_for_gumbo(html, kMaxNestingDepth, storage);
  ASSERT_EQ(in.cut_texts.size(), 1u);  // the short style stays
  EXPECT_EQ(in.cut_texts[0], kPad);
  EXPECT_EQ(in.html, "<p>a<script data-feedgate-cut=\"0\" type=x></script><style>b{}</style>");
}

TEST(PrepareForGumbo, LeavesSvgContentAlone) {
  std::string storage;
  const std::string html = "<svg><style>" + kPad + "</style></svg>";
  EXPECT_TRUE(prepare_for_gumbo(html, kMaxNestingDepth, storage).cut_texts.empty());
}

// ---- trees: ours against gumbo's own ----

using test::gumbo_tree;
using test::our_tree;

TEST(RawTextCut, TreesMatchGumboOnTrickyScriptsAndStyles) {
  const std::string p = kPad;
  const std::vector<std::string> pages = {
      "<p>a<script>if (a < b) {}" + p + "</script><p>b",
      "<script><!--<script>w('" + p + "</script>')</script>--></script><p>after",
      "<script>a = '</scripts>';" + p + "</script><i>x</i>",
      "<script>\r\nvar a = 1;\r" + p + "\r\n</script>",
      std::string("<script>a\0b", 11) + p + "</script><p>nul",
      "<style>a{}\x01" + p + "</style><p>control",
      "<svg><style>a{}&amp;" + p + "<b>x</b></style></svg><p>svg",
      "<math><mi><style>" + p + "</style></mi></math>",
      "<select><style>" + p + "<b>x</b></style></select>",
      "<frameset><script>" + p + "</script></frameset>",
      "<title><script>" + p + "</script></title><p>t",
      "<textarea></textarea ><script>" + p + "</script>",
      "<!-- <script>" + p + "</script> --><p>c",
      "<div data-feedgate-cut=\"0\"><script>" + p + "</script></div>",
      "<script>" + p + " runs to the end",
      "<STYLE media=x>" + p + "</STYLE ><p>s",
      "<script type=\"application/ld+json\" >{\"a\":\"中文\"}" + p + "</script>",
      "<script/>" + p + "</script><script src=x/>" + p + "</script>",
      "<table><script>" + p + "</script><tr><td>x</table>",
      "<template><script>" + p + "</script></template>",
      "<noscript><style>" + p + "</style></noscript>",
      "<script>\xff\xfe" + p + "</script>",
      "<script><!--->" + p + "--></script><p>d",
      "<head></head><script>" + p + "</script><body>",
      "<script>a\xef\xbf\xbe" + p + "</script>",
      "<p><script>" + p + "</script x=1><style>" + p + "</style/>",
  };
  for (const std::string& page : pages) {
    EXPECT_EQ(our_tree(page), gumbo_tree(page)) << page;
  }
}

TEST(RawTextCut, FragmentsGetTheirScriptTextBack) {
  Document doc;
  Node* div = doc.parse_fragment("<p>a</p><script>var s = '<b>';\r\n" + kPad + "</script>b");
  ASSERT_EQ(div->children.size(), 3u);
  const Node* script = div->children[1];
  EXPECT_TRUE(script->is_element("script"));
  EXPECT_TRUE(script->attributes.empty());  // the marker is gone
  ASSERT_EQ(script->children.size(), 1u);
  EXPECT_EQ(script->children[0]->text, "var s = '<b>';\n" + kPad);
}

TEST(RawTextCut, StyleGumboIgnoresInSelectFallsBackToAWholeParse) {
  // gumbo drops <style> inside <select> and reads its content as text: no marked element.
  Document doc = Document::parse("<select><style>" + kPad + "</style></select>");
  std::string text = doc.body()->text_content();
  EXPECT_EQ(text, kPad);
}

TEST(RawTextCut, TreesMatchGumboOnEveryFixturePage) {
  int compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(FG_FIXTURES)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".html" && ext != ".htm") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(our_tree(page), gumbo_tree(page)) << entry.path();
    ++compared;
  }
  EXPECT_GT(compared, 40);
}

}  // namespace
}  // namespace fg::parse
