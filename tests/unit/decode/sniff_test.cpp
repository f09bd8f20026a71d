// Finding the declared charset: Content-Type parameter and the <meta> prescan.

#include <gtest/gtest.h>

#include <string>

#include "decode/decode.hpp"

namespace fg::decode {
namespace {

TEST(CharsetFromContentType, ReadsTheParameterLowerCased) {
  EXPECT_EQ(charset_from_content_type("text/html; charset=GBK"), "gbk");
  EXPECT_EQ(charset_from_content_type("text/html;charset=utf-8"), "utf-8");
  EXPECT_EQ(charset_from_content_type("text/html; Charset = \"Big5\" ; q=1"), "big5");
  EXPECT_EQ(charset_from_content_type("text/html; charset='gb2312'"), "gb2312");
}

TEST(CharsetFromContentType, EmptyWhenAbsent) {
  EXPECT_EQ(charset_from_content_type("text/html"), "");
  EXPECT_EQ(charset_from_content_type(""), "");
  EXPECT_EQ(charset_from_content_type("text/html; format=flowed"), "");
}

TEST(CharsetFromContentType, AcceptsCharsetAsTheOnlyParameter) {
  EXPECT_EQ(charset_from_content_type("charset=gbk; text/html"), "gbk");
}

TEST(CharsetFromMeta, MetaCharsetWithEachQuoting) {
  EXPECT_EQ(charset_from_meta("<head><meta charset=\"gb2312\"></head>"), "gb2312");
  EXPECT_EQ(charset_from_meta("<head><meta charset='GBK'></head>"), "gbk");
  EXPECT_EQ(charset_from_meta("<head><meta charset=utf-8></head>"), "utf-8");
  EXPECT_EQ(charset_from_meta("<head><META CHARSET = big5 /></head>"), "big5");
}

TEST(CharsetFromMeta, HttpEquivContentType) {
  EXPECT_EQ(charset_from_meta("<meta http-equiv=\"Content-Type\" "
                              "content=\"text/html; charset=gbk\">"),
            "gbk");
  EXPECT_EQ(
      charset_from_meta("<meta http-equiv='content-type' content='text/html;charset=GB2312'>"),
      "gb2312");
  EXPECT_EQ(charset_from_meta("<meta http-equiv=Content-Type content=\"text/html; charset=big5\">"),
            "big5");
}

TEST(CharsetFromMeta, ContentBeforeHttpEquiv) {
  EXPECT_EQ(charset_from_meta("<meta content=\"text/html; charset=gbk\" "
                              "http-equiv=\"Content-Type\">"),
            "gbk");
}

TEST(CharsetFromMeta, CharsetFirstInsideContent) {
  EXPECT_EQ(
      charset_from_meta("<meta http-equiv=\"Content-Type\" content=\"charset=gbk; text/html\">"),
      "gbk");
}

TEST(CharsetFromMeta, IgnoresOtherMetasAndComments) {
  const std::string html =
      "<head><!-- <meta charset=\"big5\"> -->"
      "<meta name=\"keywords\" content=\"charset=latin1\">"
      "<meta name=viewport content=\"width=device-width\">"
      "<metadata charset=\"koi8-r\">"
      "<meta charset=\"gb18030\"></head>";
  EXPECT_EQ(charset_from_meta(html), "gb18030");
}

TEST(CharsetFromMeta, EmptyWhenNoneDeclared) {
  EXPECT_EQ(charset_from_meta("<html><head><title>x</title></head><body>charset=gbk</body>"), "");
  EXPECT_EQ(charset_from_meta(""), "");
  EXPECT_EQ(charset_from_meta("<meta"), "");
  EXPECT_EQ(charset_from_meta("<meta charset="), "");
}

TEST(CharsetFromMeta, LooksPast4KiBOnlyWhileTheHeadIsOpen) {
  const std::string padding = "<script>" + std::string(5000, 'x') + "</script>";
  EXPECT_EQ(charset_from_meta("<head>" + padding + "<meta charset=gbk></head>"), "gbk");
  EXPECT_EQ(charset_from_meta("<head></head><body>" + padding + "<meta charset=gbk></body>"), "");
  const std::string far = "<head>" + std::string(17000, ' ') + "<meta charset=gbk></head>";
  EXPECT_EQ(charset_from_meta(far), "");
}

}  // namespace
}  // namespace fg::decode
