// Zero-config rules for article pages, each on its own minimal fixture named after the rule.

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "extract/article.hpp"
#include "extract/article_parts.hpp"
#include "extract/header_fields.hpp"
#include "extract/page_meta.hpp"
#include "support/extract_fixtures.hpp"

namespace fg::extract {
namespace {

using test::explains;
using test::load;
using test::published;

const std::string kUndatedUrl = "https://news.example.cn/society/article_1.html";

ExtractedArticle extract(const std::string& fixture) {
  auto page = load(fixture);
  auto a = extract_article(page, kUndatedUrl, {}, test::kFetched);
  EXPECT_TRUE(a.ok()) << a.error().describe();
  return a.ok() ? std::move(*a) : ExtractedArticle{};
}

TEST(ZeroConfigTitle, HeadingAgreeingWithTitleTagBeatsLogoAndUnknownSuffix) {
  const ExtractedArticle a = extract("title_heading_agreeing_with_title_tag.html");
  EXPECT_EQ(a.title, "城东新桥今日通车");
  EXPECT_TRUE(explains(a, "title: heading <div>")) << a.explain.front();
}

TEST(ZeroConfigTitle, JsonLdHeadlineWhenNoHeadingAgrees) {
  const ExtractedArticle a = extract("title_from_json_ld_headline.html");
  EXPECT_EQ(a.title, "市图书馆暑期延长开放时间");
  EXPECT_TRUE(explains(a, "title: JSON-LD headline"));
}

TEST(ZeroConfigPublished, JsonLdDatePublished) {
  const ExtractedArticle a = extract("title_from_json_ld_headline.html");
  EXPECT_EQ(published(a), "2021-06-01T09:30:00+08:00");
  EXPECT_TRUE(explains(a, "published: JSON-LD datePublished"));
}

TEST(ZeroConfigPublished, ElementNamedTimeBeforeBodyNotTheBodysDate) {
  const ExtractedArticle a = extract("date_in_element_named_time.html");
  EXPECT_EQ(published(a), "2021-06-02T10:11:00+08:00");
}

TEST(ZeroConfigPublished, DateInUrlAsLastResort) {
  using detail::date_from_url;
  const auto day = [](std::string_view url) {
    auto t = date_from_url(url, "Asia/Shanghai");
    return t ? format_rfc3339(*t) : "none";
  };
  EXPECT_EQ(day("http://www.xinhuanet.com/2020-01/29/c_1125508.htm"), "2020-01-29T00:00:00+08:00");
  EXPECT_EQ(day("http://www.gov.cn/xinwen/2021/06/05/content_1.htm"), "2021-06-05T00:00:00+08:00");
  EXPECT_EQ(day("http://www.gov.cn/zhengce/t20200129_123.html"), "2020-01-29T00:00:00+08:00");
  EXPECT_EQ(day("http://www.example.cn/a/123456789.html"), "none");
  EXPECT_EQ(day("http://20200129.example.cn/a/1.html"), "none");  // the host is not a date
}

TEST(ZeroConfigByline, ElementNamedSourceUnderTitle) {
  const ExtractedArticle a = extract("source_in_element_named_source.html");
  EXPECT_EQ(a.source, "北京日报");
  EXPECT_EQ(published(a), "2021-06-03T08:20:00+08:00");
}

TEST(ZeroConfigByline, ReporterInDatelineOfFirstParagraph) {
  const ExtractedArticle a = extract("reporter_in_dateline.html");
  EXPECT_EQ(a.author, "张三");
  EXPECT_TRUE(explains(a, "author: （记者…） dateline"));
}

TEST(ZeroConfigByline, JsonLdAuthorAndPublisherAsSiteName) {
  const ExtractedArticle a = extract("title_from_json_ld_headline.html");
  EXPECT_EQ(a.author, "李四");
  EXPECT_EQ(a.site_name, "示例网");
}

TEST(ZeroConfigByline, InlineScriptFieldsAndSiteLikeMetaAuthorSkipped) {
  const ExtractedArticle a = extract("site_name_and_language.html");
  EXPECT_EQ(a.author, "王五");  // not the domain in <meta name=author>
  EXPECT_EQ(a.source, "南方都市报");
}

TEST(ZeroConfigByline, ScriptFieldNeedsAShortHumanName) {
  using detail::script_field;
  EXPECT_EQ(script_field(R"(var a = {"author" : '唐霁'};)", "author"), "唐霁");
  EXPECT_EQ(script_field("x.source = \"新华网\";", "source"), "新华网");
  EXPECT_EQ(script_field("var a = {author: 'L_104485'};", "author"), "");  // an id, not a name
  EXPECT_EQ(script_field("var resource = '资源';", "source"), "");         // another key
}

TEST(ZeroConfigPage, LanguageGuessedOnlyWhereTheScriptDecides) {
  using detail::guess_language;
  EXPECT_EQ(
      guess_language("杭州地铁三号线今天开通运营，市民可以乘坐地铁直达西湖景区和城西科创大走廊。"),
      "zh");
  EXPECT_EQ(guess_language("東京の地下鉄は今日から新しい路線が開通し、多くの人が利用しました。"),
            "ja");
  EXPECT_EQ(guess_language("서울 지하철 새 노선이 오늘 개통되어 많은 시민들이 이용했습니다."),
            "ko");
  EXPECT_EQ(guess_language("The new metro line opened today and many people rode it."), "");
  EXPECT_EQ(guess_language("地铁开通"), "");  // too little text
}

TEST(ZeroConfigPage, DeclaredLanguageKeptUnlessItContradictsTheScript) {
  using detail::settle_language;
  EXPECT_EQ(settle_language("zh-CN", "zh"), "zh-CN");
  EXPECT_EQ(settle_language("zh-cmn-Hans", "zh"), "zh-cmn-Hans");
  EXPECT_EQ(settle_language("en-US", ""), "en-US");  // Latin text: nothing to contradict
  EXPECT_EQ(settle_language("en", "zh"), "zh");      // a template's lang="en" on Chinese text
  EXPECT_EQ(settle_language("utf-8", "zh"), "zh");   // not a language tag
  EXPECT_EQ(settle_language("utf-8", ""), "");
  EXPECT_EQ(settle_language("", "ja"), "ja");
  EXPECT_EQ(settle_language("ja", "zh"), "ja");  // kanji-heavy Japanese stays Japanese
}

TEST(ZeroConfigPage, UndeclaredChinesePageIsTaggedZh) {
  auto page = parse::Document::parse(
      "<html><head><title>地铁新线开通</title></head><body><h1>地铁新线开通</h1><div "
      "class=content><p>杭州地铁三号线今天开通运营，市民可以乘坐地铁直达西湖景区和城西科创大走廊，"
      "沿线居民出行更加方便。</p><p>运营方表示，首班车时间为早上六点，末班车时间为晚上十一点。"
      "</p></div></body></html>");
  auto a = extract_article(page, kUndatedUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->language, "zh");
}

TEST(ZeroConfigPage, SiteNameAndLanguage) {
  const ExtractedArticle a = extract("site_name_and_language.html");
  EXPECT_EQ(a.site_name, "示例新闻");
  EXPECT_EQ(a.language, "zh-CN");
  EXPECT_EQ(site_suffix("新馆开放 - 示例新闻网"), "示例新闻网");
  EXPECT_EQ(site_suffix("新馆开放"), "");
}

TEST(ZeroConfigExplain, NamesTheBodyCandidatesWithScores) {
  const ExtractedArticle a = extract("reporter_in_dateline.html");
  EXPECT_TRUE(explains(a, "body candidate div.content score ")) << a.explain.size();
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

// The body's text, read while its Document is alive; `explain` receives the rules' notes.
std::string body_text(const std::string& fixture, std::vector<std::string>* explain = nullptr) {
  auto page = load(fixture);
  auto a = extract_article(page, kUndatedUrl, {}, test::kFetched);
  EXPECT_TRUE(a.ok()) << a.error().describe();
  if (!a.ok() || a->content == nullptr) return "";
  if (explain != nullptr) *explain = a->explain;
  return collapse_whitespace(a->content->text_content());
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(ZeroConfigBody, KeywordBlockWithoutPunctuationLosesToProse) {
  const std::string text = body_text("keyword_block_without_punctuation.html");
  EXPECT_TRUE(has(text, "城西河道整治工程日前完成")) << text;
  EXPECT_FALSE(has(text, "招财进宝")) << text;
}

TEST(ZeroConfigBody, BodySplitOverSiblingBlocksIsMergedWithoutTheLinkList) {
  ExtractedArticle a;
  const std::string text = body_text("body_split_over_sibling_blocks.html", &a.explain);
  EXPECT_TRUE(has(text, "第一位博主")) << text;
  EXPECT_TRUE(has(text, "第二位博主")) << text;
  EXPECT_TRUE(has(text, "第三位博主")) << text;
  EXPECT_FALSE(has(text, "热门菜谱合集")) << text;
  EXPECT_TRUE(explains(a, "body: merged the winner's like siblings"));
}

TEST(ZeroConfigBody, RelatedListInMiddleOfBodyGoesButTheBodyAfterItStays) {
  const std::string text = body_text("related_list_in_middle_of_body.html");
  EXPECT_FALSE(has(text, "相关新闻")) << text;
  EXPECT_FALSE(has(text, "旧款手机降价促销")) << text;
  EXPECT_TRUE(has(text, "新款手机正式发布")) << text;
  EXPECT_TRUE(has(text, "吸引更多老用户换机")) << text;  // the body's own last paragraph
}

TEST(ZeroConfigBody, TextDirectlyInBodyOrPreIsFound) {
  const std::string text = body_text("text_directly_in_body.html");
  EXPECT_TRUE(has(text, "规范理论认为")) << text;
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(ZeroConfigByline, ReporterSigningTheBodyInClosingParentheses) {
  const ExtractedArticle a = extract("reporter_signing_body_end.html");
  EXPECT_EQ(a.author, "胡晓蓉");
  EXPECT_TRUE(explains(a, "author: reporter signing the body"));
}

TEST(ZeroConfigBody, SentenceEndingInASignatureIsNoBylineToTrim) {
  auto page = load("reporter_signing_body_end.html");
  auto a = extract_article(page, kUndatedUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok() && a->content != nullptr);
  EXPECT_NE(detail::node_text(*a->content).find("推动工业高质量发展"), std::string::npos);
}

TEST(ZeroConfigByline, ReporterLineOpeningTheBodyNamesEveryReporter) {
  const ExtractedArticle a = extract("reporter_line_opening_body.html");
  EXPECT_EQ(a.author, "王建宏 张文攀");
}

TEST(ZeroConfigByline, ShortAuthorLineInsideTheBody) {
  const ExtractedArticle a = extract("author_line_inside_body.html");
  EXPECT_EQ(a.author, "周纯");
  EXPECT_TRUE(explains(a, "author: short labelled line in the body"));
}

TEST(ZeroConfigByline, EditorStandsInWhenNoWriterIsNamed) {
  const ExtractedArticle a = extract("editor_when_no_writer.html");
  EXPECT_EQ(a.editor, "山石");
  EXPECT_EQ(a.author, "山石");
  EXPECT_TRUE(explains(a, "author: editor signing the body, as no writer is named"));
}

TEST(ZeroConfigByline, NameLineOpeningTheBody) {
  const ExtractedArticle a = extract("name_line_opening_body.html");
  EXPECT_EQ(a.author, "胡平");
}

TEST(ZeroConfigByline, SectionWordOpeningTheBodyIsNoName) {
  const ExtractedArticle a = extract("subheading_opening_body.html");
  EXPECT_EQ(a.author, "");
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

std::string body_of(const std::string& fixture) {
  auto page = load(fixture);
  auto a = extract_article(page, kUndatedUrl, {}, test::kFetched);
  EXPECT_TRUE(a.ok());
  return a.ok() && a->content != nullptr ? detail::node_text(*a->content) : std::string();
}

TEST(ZeroConfigBody, CommentsLongerThanThePostDoNotWin) {
  const std::string text = body_of("comments_longer_than_post.html");
  EXPECT_NE(text.find("今年以来，全市新建改建道路"), std::string::npos);
  EXPECT_EQ(text.find("评论"), std::string::npos);
}

TEST(ZeroConfigBody, FirstOfSeveralDatedPosts) {
  const std::string text = body_of("several_dated_posts.html");
  EXPECT_NE(text.find("湘菜粤菜兵分两路"), std::string::npos);
  EXPECT_EQ(text.find("澳坛真的累了"), std::string::npos);
  EXPECT_EQ(text.find("爱上侦探小说"), std::string::npos);
}

TEST(ZeroConfigBody, ArticleSectionsInSeparateParentsAreMerged) {
  const std::string text = body_of("article_sections_in_separate_parents.html");
  EXPECT_NE(text.find("First the council"), std::string::npos);
  EXPECT_NE(text.find("Then the council"), std::string::npos);
  EXPECT_NE(text.find("Finally the council"), std::string::npos);
  EXPECT_EQ(text.find("Another story about bridges"), std::string::npos);
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(ZeroConfigDate, RightBeforeTheBodyWhenNoTitleStandsInIt) {
  const ExtractedArticle a = extract("date_right_before_body_without_title.html");
  EXPECT_EQ(published(a), "2005-03-21T01:20:44+08:00");
  EXPECT_TRUE(explains(a, "published: date in the lines right before the body"));
}

TEST(ZeroConfigDate, RightAfterTheBody) {
  const ExtractedArticle a = extract("date_right_after_body.html");
  EXPECT_EQ(published(a), "2005-08-12T16:12:21+08:00");
}

TEST(ZeroConfigDate, TimeOfDayForTheUrlsDayFromThePageText) {
  auto page = load("time_of_day_for_url_date.html");
  auto a = extract_article(page, "http://blog.example.com/archive/2004/12/27/41810.aspx", {},
                           test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(published(*a), "2004-12-27T12:40:00+08:00");
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(ZeroConfigTitle, H4HeadingAgreeingWithTitleTag) {
  const ExtractedArticle a = extract("title_in_h4_heading.html");
  EXPECT_EQ(a.title, "阿里发布最强AI芯片");
}

TEST(ZeroConfigTitle, TitleTagPrefixShownAloneInThePage) {
  const ExtractedArticle a = extract("title_prefix_shown_in_page.html");
  EXPECT_EQ(a.title, "中华人民共和国监察法");
  EXPECT_TRUE(explains(a, "title: <title> up to a separator, as shown in the page"));
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(ZeroConfigDate, VisibleTimeUnderTitleWinsOverMarkupOfTheSameDay) {
  const ExtractedArticle a = extract("visible_time_over_markup_same_day.html");
  EXPECT_EQ(published(a), "2019-10-23T09:05:00+08:00");
}

TEST(ZeroConfigDate, MarkupKeepsItsTimeWhenTheTextShowsOnlyTheDay) {
  const ExtractedArticle a = extract("date_only_text_under_title_with_markup.html");
  EXPECT_EQ(published(a), "2019-01-03T07:00:02+00:00");
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(ZeroConfigBody, BlocksHiddenFromReadersAreNotBody) {
  const std::string text = body_of("hidden_block_not_body.html");
  EXPECT_NE(text.find("妈妈、姐姐已在路口候他多时"), std::string::npos);
  EXPECT_EQ(text.find("企业老板"), std::string::npos);
  EXPECT_EQ(text.find("隐藏的段落"), std::string::npos);
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(ZeroConfigByline, ForumPostingLineNamesPosterAndTime) {
  const ExtractedArticle a = extract("forum_posting_line.html");
  EXPECT_EQ(a.author, "大卫");
  EXPECT_EQ(published(a), "2005-08-12T16:12:21+08:00");
}

TEST(ZeroConfigByline, AuthorLabelRightAfterTheBodyBeatsAReporterInsideIt) {
  const ExtractedArticle a = extract("author_label_after_reposted_body.html");
  EXPECT_EQ(a.author, "zboygirl");
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(ZeroConfigByline, BracketedNameOnTheDatedInfoLine) {
  const ExtractedArticle a = extract("bracketed_name_on_dated_info_line.html");
  EXPECT_EQ(a.author, "黄宇");
  EXPECT_EQ(a.source, "国际金融报");
}

}  // namespace
}  // namespace fg::extract
