#include <gtest/gtest.h>

#include "shape/shape.hpp"

namespace fg::shape {
namespace {

const Timestamp kNow{std::chrono::seconds{1'700'000'000}};

TEST(Opencc, TitleAndContentTextConvertedMarkupAndUrlsUntouched) {
  render::FeedItem it;
  it.article.url = "https://news.example.cn/国际/发展.html";
  it.article.title = "杭州发展与国际联系";
  it.article.text = "这里是杭州发展的消息";
  it.article.author = "记者 张华";
  it.article.source = "新华网";
  it.article.content_html =
      "<p class=\"发展\"><a href=\"https://news.example.cn/国际/发展.html\" title=\"国际\">"
      "国际发展</a>与<img src=\"/图片/发展.jpg\" alt=\"发展\"><!-- 发展 -->后来</p>";
  auto shaper = Shaper::compile(*parse_query("opencc=s2t"));
  ASSERT_TRUE(shaper) << shaper.error().describe();
  const auto out = (*shaper)->apply({it}, kNow);
  ASSERT_EQ(out.size(), 1u);
  const Article& a = out[0].article;
  EXPECT_EQ(a.title, "杭州發展與國際聯繫");
  EXPECT_EQ(a.text, "這裏是杭州發展的消息");
  EXPECT_EQ(a.author, "記者 張華");
  EXPECT_EQ(a.source, "新華網");
  EXPECT_EQ(a.url, it.article.url);
  EXPECT_EQ(a.content_html,
            "<p class=\"发展\"><a href=\"https://news.example.cn/国际/发展.html\" title=\"国际\">"
            "國際發展</a>與<img src=\"/图片/发展.jpg\" alt=\"发展\"><!-- 发展 -->後來</p>");
}

TEST(Opencc, FeedTitleConvertedToo) {
  render::FeedInfo info;
  info.title = "杭州网 国内新闻";
  auto shaper = Shaper::compile(*parse_query("opencc=s2tw"));
  ASSERT_TRUE(shaper);
  (*shaper)->apply(info);
  EXPECT_EQ(info.title, "杭州網 國內新聞");
}

TEST(Opencc, EveryOfferedConversionLoads) {
  for (const char* name : {"s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp"}) {
    auto converted = convert_text(name, "软件");
    ASSERT_TRUE(converted) << name << ": " << converted.error().describe();
    EXPECT_FALSE(converted->empty());
  }
  EXPECT_EQ(*convert_text("t2s", "軟體與國際"), "软体与国际");  // characters only
  EXPECT_EQ(*convert_text("tw2sp", "軟體"), "软件");            // Taiwan phrases too
}

TEST(Opencc, FiltersReadTheTextBeforeConversion) {
  render::FeedItem it;
  it.article.title = "国际新闻";
  auto shaper = Shaper::compile(*parse_query("opencc=s2t&filter_title=国际"));
  ASSERT_TRUE(shaper);
  const auto out = (*shaper)->apply({it}, kNow);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].article.title, "國際新聞");
}

TEST(Opencc, BrokenHtmlAndBytesSurvive) {
  // An unclosed tag stays text, a stray byte is repaired rather than handed to OpenCC.
  auto converted = convert_html("s2t", "发展 <b 发展 \xff 发展");
  ASSERT_TRUE(converted);
  EXPECT_EQ(*converted, "發展 <b 發展 \xEF\xBF\xBD 發展");
  EXPECT_EQ(*convert_html("s2t", "<a title='>发展'>发展</a>"), "<a title='>发展'>發展</a>");
}

}  // namespace
}  // namespace fg::shape
