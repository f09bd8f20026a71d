#include "extract/article.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "support/extract_fixtures.hpp"

namespace fg::extract {
namespace {

using test::load;
using test::published;

const std::string kUrl = "https://hznews.hangzhou.com.cn/guoneixinwen/content/2020-01/29/1.htm";
const std::string kUndatedUrl = "https://hznews.hangzhou.com.cn/guoneixinwen/content_1.htm";

std::string content_text(const ExtractedArticle& a) {
  return a.content ? collapse_whitespace(a.content->text_content()) : "";
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr std::string_view kSeedTitle =
    "中共中央印发《关于加强党的领导、为打赢疫情防控阻击战提供坚强政治保证的通知》";

void expect_seed_fields(const ExtractedArticle& a) {
  EXPECT_EQ(a.title, kSeedTitle);
  EXPECT_EQ(published(a), "2020-01-29T01:17:24+08:00");
  EXPECT_EQ(a.source, "新华网");
  EXPECT_EQ(a.author, "");
  EXPECT_EQ(a.editor, "方志华");
  const std::string text = content_text(a);
  EXPECT_TRUE(contains(text, "新华社北京1月28日电 近日")) << text;
  EXPECT_TRUE(contains(text, "要及时报告党中央。")) << text;  // the body's own last paragraph
  for (std::string_view junk : {"原标题", "相关阅读", "版权与免责声明", "热门点击", "新闻时评",
                                "浙江新增新型肺炎", "责任编辑", "新闻首页", "您所在的位置"}) {
    EXPECT_FALSE(contains(text, junk)) << junk;
  }
}

TEST(ExtractArticle, SeedLikePageWithoutSelectors) {
  auto page = load("seed_like_article.html");
  auto a = extract_article(page, kUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  expect_seed_fields(*a);
  ASSERT_NE(a->content, nullptr);
  EXPECT_EQ(a->content->attr("id"), "zoom");
}

TEST(ExtractArticle, SeedLikePageWithSelectors) {
  auto page = load("seed_like_article.html");
  ArticleRules rules;
  rules.title = ".tit h1";
  rules.published = ".info";
  rules.source = ".bianji";
  rules.author = ".bianji";
  rules.content = "#zoom";
  rules.remove = {".right", ".copyright"};
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  expect_seed_fields(*a);
}

TEST(ExtractArticle, ScriptTextIsNeverADate) {
  auto page = parse::Document::parse(
      "<body><h1>标题文字</h1><script>var t='2019-12-31 08:00:00';</script>"
      "<div>2020-01-29 01:17:24;杭州网</div><div "
      "id='zoom'><p>正文第一段，讲述了事情的来龙去脉。</p>"
      "<p>正文第二段，补充了更多的细节。</p></div></body>");
  auto a = extract_article(page, kUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(published(*a), "2020-01-29T01:17:24+08:00");
}

TEST(ExtractArticle, BoilerplateInsideContentIsTrimmedAndBylineKept) {
  auto page = load("boilerplate_inside_content.html");
  auto a = extract_article(page, kUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->title, "市政府召开常务会议 研究部署春季农业生产");
  EXPECT_EQ(published(*a), "2020-03-02T16:05:00+08:00");
  EXPECT_EQ(a->source, "杭州日报");
  EXPECT_EQ(a->author, "王小二");
  EXPECT_EQ(a->editor, "李小三");
  ASSERT_NE(a->content, nullptr);
  EXPECT_TRUE(a->content->has_class("TRS_Editor"));
  const std::string text = content_text(*a);
  EXPECT_TRUE(contains(text, "会议还研究了其他事项。")) << text;
  for (std::string_view junk : {"王小二", "分享到", "扫一扫", "相关新闻", "春耕备耕", "版权声明"}) {
    EXPECT_FALSE(contains(text, junk)) << junk;
  }
  EXPECT_TRUE(contains(parse::inner_html(*a->content), "meeting.jpg"));  // images stay
}

TEST(ExtractArticle, TitleOnlyInTitleTag) {
  auto page = load("title_only_in_title_tag.html");
  auto a = extract_article(page, kUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->title, "多地出台措施支持企业复工复产");
  EXPECT_EQ(published(*a), "2020-02-03T10:12:45+08:00");
  EXPECT_EQ(a->source, "新华社");
  EXPECT_EQ(a->editor, "赵文");
  const std::string text = content_text(*a);
  EXPECT_TRUE(contains(text, "帮助企业解决用工")) << text;
  EXPECT_FALSE(contains(text, "纠错")) << text;
}

TEST(ExtractArticle, TitleOnlyInTitleTagWithSelectors) {
  auto page = load("title_only_in_title_tag.html");
  ArticleRules rules;
  rules.title = ".h-title";
  rules.published = ".h-time";
  rules.source = ".h-info span:last-child";
  rules.content = "#detail";
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->title, "多地出台措施支持企业复工复产");
  EXPECT_EQ(published(*a), "2020-02-03T10:12:45+08:00");
  EXPECT_EQ(a->source, "新华社");
}

TEST(ExtractArticle, DateInMetaWinsOverPageText) {
  auto page = load("date_in_meta.html");
  auto a = extract_article(page, kUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->title, "两会前瞻：代表委员关注民生热点");
  EXPECT_EQ(published(*a), "2020-03-02T09:30:00+08:00");
  EXPECT_EQ(a->author, "李雷");  // from <meta name=author>, no byline on the page
}

TEST(ExtractArticle, PublishedSelectorWinsOverMeta) {
  auto page = load("date_in_meta.html");
  ArticleRules rules;
  rules.published = ".info";
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(published(*a), "2020-03-05T08:00:00+08:00");
}

TEST(ExtractArticle, DateOnlyInBodyTextIsNotPublished) {
  auto page = load("date_only_in_body_text.html");
  auto a = extract_article(page, kUndatedUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->title, "一季度经济数据发布");
  EXPECT_EQ(published(*a), "none");
}

TEST(ExtractArticle, LogoH1IsSkippedForOgTitleAndBylineUnderTitle) {
  auto page = load("byline_under_title_with_logo_h1.html");
  auto a = extract_article(page, kUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->title, "全国春运客流逐步恢复");
  EXPECT_EQ(published(*a), "2020-02-10T07:12:00+08:00");
  EXPECT_EQ(a->source, "人民网－人民日报");
  EXPECT_EQ(a->author, "张三");
  EXPECT_EQ(a->editor, "王五、赵六");
  const std::string text = content_text(*a);
  EXPECT_TRUE(contains(text, "运输服务保障工作")) << text;
  EXPECT_FALSE(contains(text, "责编")) << text;
}

TEST(ExtractArticle, SeveralH1PrefersTheOneInTitleTag) {
  auto page = parse::Document::parse(
      "<head><title>真正的标题_某某网</title></head><body><h1>栏目名称</h1>"
      "<h1>真正的标题</h1><p>正文。</p></body>");
  auto a = extract_article(page, kUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->title, "真正的标题");
}

TEST(ExtractArticle, AuthorSelectorStripsLabel) {
  auto page = parse::Document::parse(
      "<body><h1>标题</h1><span class='au'>作者：李四</span><span class='src'>浙江在线</span>"
      "<div id='c'><p>正文。</p></div></body>");
  ArticleRules rules;
  rules.author = ".au";
  rules.source = ".src";
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->author, "李四");
  EXPECT_EQ(a->source, "浙江在线");
}

TEST(ExtractArticle, RemoveSelectorsApplyFirst) {
  auto page = parse::Document::parse(
      "<body><h1>标题</h1><div id='c'><p>第一段正文。</p><div class='ad'>广告位招租</div>"
      "<p>第二段正文。</p></div></body>");
  ArticleRules rules;
  rules.content = "#c";
  rules.remove = {".ad"};
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(content_text(*a), "第一段正文。第二段正文。");
}

TEST(ExtractArticle, LocalDateUsesRuleTimezone) {
  auto page = parse::Document::parse(
      "<body><h1>Headline</h1><p class='d'>2020-07-04 12:00</p><div><p>Body.</p></div></body>");
  ArticleRules rules;
  rules.timezone = "America/New_York";
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(published(*a), "2020-07-04T12:00:00-04:00");
}

TEST(ExtractArticle, BadSelectorIsAParseErrorAtThePage) {
  auto page = parse::Document::parse("<body><h1>标题</h1></body>");
  ArticleRules rules;
  rules.content = "div[";
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Errc::parse);
  EXPECT_EQ(a.error().where, kUrl);
  EXPECT_TRUE(contains(a.error().message, "content selector")) << a.error().message;
}

TEST(ExtractArticle, BadRemoveSelectorIsAParseError) {
  auto page = parse::Document::parse("<body><h1>标题</h1></body>");
  ArticleRules rules;
  rules.remove = {"..x"};
  auto a = extract_article(page, kUrl, rules, test::kFetched);
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(contains(a.error().message, "remove selector")) << a.error().message;
}

TEST(ExtractArticle, EmptyPageLeavesFieldsEmpty) {
  auto page = parse::Document::parse("");
  auto a = extract_article(page, kUndatedUrl, {}, test::kFetched);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->title, "");
  EXPECT_EQ(published(*a), "none");
  EXPECT_EQ(a->content, nullptr);
}

TEST(StripSiteSuffix, PortalSpellings) {
  EXPECT_EQ(strip_site_suffix("中共中央印发《关于加强党的领导的通知》 - 杭州网"),
            "中共中央印发《关于加强党的领导的通知》");
  EXPECT_EQ(strip_site_suffix("标题_新华网"), "标题");
  EXPECT_EQ(strip_site_suffix("标题--人民网"), "标题");
  EXPECT_EQ(strip_site_suffix("标题|站点名称"), "标题");
  EXPECT_EQ(strip_site_suffix("标题_频道_新华网"), "标题");
  EXPECT_EQ(strip_site_suffix("全国春运客流逐步恢复——社会——人民网"), "全国春运客流逐步恢复");
  EXPECT_EQ(strip_site_suffix("Storm hits the coast | Example News"), "Storm hits the coast");
}

TEST(StripSiteSuffix, HyphenInsideTitleStays) {
  EXPECT_EQ(strip_site_suffix("COVID-19 疫情通报"), "COVID-19 疫情通报");
  EXPECT_EQ(strip_site_suffix("COVID-19 疫情通报 - 新华网"), "COVID-19 疫情通报");
  EXPECT_EQ(strip_site_suffix("沪杭高铁今日恢复运行-浙江在线"), "沪杭高铁今日恢复运行");
}

TEST(StripSiteSuffix, LeadingSiteNameBeforeLongTitle) {
  EXPECT_EQ(strip_site_suffix("新华网 - 多地出台措施支持企业有序复工复产"),
            "多地出台措施支持企业有序复工复产");
}

TEST(StripSiteSuffix, BlogNameBeforeGuillemetOrDoubleColon) {
  EXPECT_EQ(strip_site_suffix("某某博客  » 城市夜跑成了年轻人的新爱好"),
            "城市夜跑成了年轻人的新爱好");
  EXPECT_EQ(strip_site_suffix("Night runs in the old town :: Jane's Notes"),
            "Night runs in the old town");
}

TEST(StripSiteSuffix, NoSeparatorOrEmpty) {
  EXPECT_EQ(strip_site_suffix("  没有站点名的标题  "), "没有站点名的标题");
  EXPECT_EQ(strip_site_suffix(""), "");
}

}  // namespace
}  // namespace fg::extract
