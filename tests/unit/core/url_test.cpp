#include "core/url.hpp"

#include <gtest/gtest.h>

namespace fg {
namespace {

constexpr const char* kBase = "https://news.hangzhou.com.cn/gnxw/content/2020-01/29/index.htm";

TEST(ResolveUrl, RelativeForms) {
  EXPECT_EQ(resolve_url(kBase, "content_7001.htm"),
            "https://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7001.htm");
  EXPECT_EQ(resolve_url(kBase, "../28/a.htm"),
            "https://news.hangzhou.com.cn/gnxw/content/2020-01/28/a.htm");
  EXPECT_EQ(resolve_url(kBase, "/a.htm"), "https://news.hangzhou.com.cn/a.htm");
  EXPECT_EQ(resolve_url(kBase, "//img.example.com/x.jpg"), "https://img.example.com/x.jpg");
  EXPECT_EQ(resolve_url(kBase, "http://other.example.com/p?q=1"), "http://other.example.com/p?q=1");
}

TEST(ResolveUrl, DropsFragmentsAndFixesBackslashes) {
  EXPECT_EQ(resolve_url(kBase, "/a.htm#top"), "https://news.hangzhou.com.cn/a.htm");
  EXPECT_EQ(resolve_url(kBase, "\\a\\b.htm"), "https://news.hangzhou.com.cn/a/b.htm");
}

TEST(ResolveUrl, RefusesNonWebSchemes) {
  EXPECT_FALSE(resolve_url(kBase, "javascript:void(0)").has_value());
  EXPECT_FALSE(resolve_url(kBase, "mailto:editor@example.com").has_value());
  EXPECT_FALSE(resolve_url(kBase, "data:image/gif;base64,R0lGOD").has_value());
  EXPECT_FALSE(resolve_url("not a url", "a.htm").has_value());
}

TEST(ResolveUrl, FileUrls) {
  EXPECT_EQ(resolve_url("file:///srv/demo/site/index.html", "content_7001.htm"),
            "file:///srv/demo/site/content_7001.htm");
}

TEST(UrlParts, SchemeAndHost) {
  EXPECT_EQ(url_scheme("HTTPS://News.Example.com:8443/x"), "https");
  EXPECT_EQ(url_host("HTTPS://News.Example.com:8443/x"), "news.example.com");
  EXPECT_EQ(url_host("file:///etc/hosts"), "");
  EXPECT_EQ(url_scheme("no scheme"), "");
}

}  // namespace
}  // namespace fg
