#include "extract/labels.hpp"

#include <gtest/gtest.h>

namespace fg::extract {
namespace {

TEST(SplitByline, SeedLineWithEmptyAuthor) {
  const Byline b = split_byline("来源: 新华网 作者: 编辑:陈东 责任编辑:方志华");
  EXPECT_EQ(b.source, "新华网");
  EXPECT_EQ(b.author, "");
  EXPECT_EQ(b.editor, "方志华");
}

TEST(SplitByline, FullWidthColonsAndIdeographicSpace) {
  const Byline b = split_byline("来源：人民网－人民日报　作者：张三");
  EXPECT_EQ(b.source, "人民网－人民日报");
  EXPECT_EQ(b.author, "张三");
  EXPECT_EQ(b.editor, "");
}

TEST(SplitByline, ReporterWithoutColonBeatsCorrespondent) {
  const Byline b = split_byline("记者 李四 通讯员 王五");
  EXPECT_EQ(b.author, "李四");
  EXPECT_EQ(b.source, "");
}

TEST(SplitByline, SeveralPeopleAfterOneLabel) {
  EXPECT_EQ(split_byline("记者 张三 李四").author, "张三 李四");
  EXPECT_EQ(split_byline("文/张三、李四").author, "张三、李四");
  EXPECT_EQ(split_byline("记者 张三 李四 通讯员 王五").author, "张三 李四");
  EXPECT_EQ(split_byline("记者 张三 王小二 北京报道").author, "张三 王小二");
  EXPECT_EQ(split_byline("记者 张三 来源：新华网").source, "新华网");
  EXPECT_EQ(split_byline("作者：张三 2020-01-01").author, "张三");
}

TEST(SplitByline, CorrespondentOnlyWhenNoOtherAuthor) {
  EXPECT_EQ(split_byline("通讯员 王五").author, "王五");
}

TEST(SplitByline, BarSeparatesFields) {
  const Byline b = split_byline("来源:杭州日报 | 编辑:小明");
  EXPECT_EQ(b.source, "杭州日报");
  EXPECT_EQ(b.editor, "小明");
}

TEST(SplitByline, BracketedSource) {
  EXPECT_EQ(split_byline("【来源：新华社】").source, "新华社");
}

TEST(SplitByline, NoLabelsGivesEmptyFields) {
  const Byline b = split_byline("2020-01-29 01:17:24;杭州网");
  EXPECT_EQ(b.source, "");
  EXPECT_EQ(b.author, "");
  EXPECT_EQ(b.editor, "");
  EXPECT_FALSE(has_byline_label("2020-01-29 01:17:24;杭州网"));
}

TEST(SplitByline, ChiefEditorWinsOverEditorInEitherOrder) {
  EXPECT_EQ(split_byline("责任编辑:方志华 编辑:陈东").editor, "方志华");
  EXPECT_EQ(split_byline("编辑:陈东 责编:方志华").editor, "方志华");
}

TEST(SplitByline, WenOnlyWithSlashOrColon) {
  EXPECT_EQ(split_byline("文/张三 图/李四").author, "张三");
  EXPECT_EQ(split_byline("文：张三").author, "张三");
  EXPECT_FALSE(has_byline_label("全文如下"));
  EXPECT_FALSE(has_byline_label("本文 张三"));
}

TEST(SplitByline, SpacesAroundColon) {
  const Byline b = split_byline("来源 ： 浙江在线　　作者 : 王六");
  EXPECT_EQ(b.source, "浙江在线");
  EXPECT_EQ(b.author, "王六");
}

TEST(SplitByline, LabelRightAfterValueWithoutSpace) {
  const Byline b = split_byline("来源:新华网编辑:张三");
  EXPECT_EQ(b.source, "新华网");
  EXPECT_EQ(b.editor, "张三");
}

TEST(SplitByline, LabelWordInsideProseIsNotALabel) {
  EXPECT_FALSE(has_byline_label("本报记者从市卫健委获悉"));
  EXPECT_TRUE(has_byline_label("发布时间:2020-01-29 来源: 新华网"));
}

TEST(SplitByline, DateBeforeSourceIsIgnored) {
  const Byline b = split_byline("2020-01-29 09:00 来源：浙江日报 作者：赵七");
  EXPECT_EQ(b.source, "浙江日报");
  EXPECT_EQ(b.author, "赵七");
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(SplitByline, TimeLabelEndsTheAuthorValue) {
  const Byline b = split_byline("作者：八卦大相公发布时间：01-14 17:58");
  EXPECT_EQ(b.author, "八卦大相公");
  EXPECT_FALSE(has_byline_label("发布时间：2020-01-14"));
}

TEST(SplitByline, CaiXieAndZhiBiRenNameTheWriter) {
  EXPECT_EQ(split_byline("采写：林子沛").author, "林子沛");
  EXPECT_EQ(split_byline("执笔人：闵乐夫 赵兰波").author, "闵乐夫 赵兰波");  // both write
}

TEST(SplitByline, TitleBracketsEndAValueAndStartALabel) {
  EXPECT_EQ(split_byline("《棱镜》作者 周纯").author, "周纯");
}

}  // namespace
}  // namespace fg::extract

namespace fg::extract {
namespace {

TEST(SplitByline, BracketedValueAfterTheLabel) {
  EXPECT_EQ(split_byline("来源：[ 国际金融报 ]").source, "国际金融报");
  EXPECT_EQ(split_byline("来源：【新华网】 编辑：陈东").source, "新华网");
}

}  // namespace
}  // namespace fg::extract
