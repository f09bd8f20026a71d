#include <gtest/gtest.h>
#include <zlib.h>

#include <pugixml.hpp>
#include <string>

#include "render/render.hpp"
#include "sample_feed.hpp"

namespace fg::render {
namespace {

using namespace std::chrono_literals;
using test::at;
using test::sample_info;

FeedInfo second_info() {
  FeedInfo f;
  f.id = "xinhua";
  f.title = "新华网 <script>alert(1)</script>";
  f.source_url = "http://www.news.cn/politics/";
  f.self_base = "http://127.0.0.1:8080";
  return f;
}

TEST(RenderOpml, OneOutlinePerFeed) {
  const std::string xml = render_opml({sample_info(), second_info()}, "http://feeds.example.org");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0), 0u);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  const pugi::xml_node opml = doc.child("opml");
  EXPECT_STREQ(opml.attribute("version").value(), "2.0");
  const pugi::xml_node first = opml.child("body").child("outline");
  EXPECT_STREQ(first.attribute("type").value(), "rss");
  EXPECT_STREQ(first.attribute("text").value(), "杭州网 国内 & <新闻>");
  EXPECT_STREQ(first.attribute("title").value(), "杭州网 国内 & <新闻>");
  EXPECT_STREQ(first.attribute("xmlUrl").value(), "http://feeds.example.org/feeds/hz-gnxw.atom");
  EXPECT_STREQ(first.attribute("htmlUrl").value(), "http://news.hangzhou.com.cn/gnxw/?a=1&b=2");
  const pugi::xml_node second = first.next_sibling("outline");
  EXPECT_STREQ(second.attribute("xmlUrl").value(), "http://feeds.example.org/feeds/xinhua.atom");
  EXPECT_FALSE(second.next_sibling("outline"));
}

std::string sample_page() {
  FeedStatus ok;
  ok.info = sample_info();
  ok.item_count = 42;
  ok.last_poll = at(2020y / std::chrono::January / 28, 18h);
  ok.last_success = ok.last_poll;
  ok.last_http_status = 200;
  ok.last_bytes = 12'800;
  ok.last_duration = std::chrono::milliseconds{340};
  ok.next_poll = at(2020y / std::chrono::January / 28, 18h + 10min);
  FeedStatus failing;
  failing.info = second_info();
  failing.last_error = "http_status: 503 from <server>";
  failing.last_error_at = at(2020y / std::chrono::January / 28, 17h);
  failing.last_poll = failing.last_error_at;
  failing.last_duration = std::chrono::milliseconds{5000};
  return render_status_page({ok, failing}, at(2020y / std::chrono::January / 28, 18h + 1min));
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(RenderStatusPage, RowsForEveryFeed) {
  const std::string page = sample_page();
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(contains(page, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(contains(page,
                       "<a href=\"http://news.hangzhou.com.cn/gnxw/?a=1&amp;b=2\">"
                       "杭州网 国内 &amp; &lt;新闻&gt;</a>"));
  EXPECT_TRUE(contains(page, "<td class=\"num\">42</td>"));
  EXPECT_TRUE(contains(page,
                       "<time datetime=\"2020-01-28T18:10:00Z\" title=\"2020-01-28 18:10:00 UTC\">"
                       "in 9 min</time>"));  // the next poll, relative, the UTC time on hover
  EXPECT_TRUE(contains(page, "<a href=\"/feeds/hz-gnxw.rss\">"));
  EXPECT_TRUE(contains(page, "<a href=\"/feeds/hz-gnxw.atom\">"));
  EXPECT_TRUE(contains(page, "<a href=\"/feeds/xinhua.json\">"));
  EXPECT_TRUE(contains(page, "<a href=\"/feeds.opml\">"));
  EXPECT_TRUE(
      contains(page, "<time datetime=\"2020-01-28T18:01:00Z\">2020-01-28 18:01:00 UTC</time>"));
}

TEST(RenderStatusPage, ShowsTheLastPollsStatusBytesAndDuration) {
  const std::string page = sample_page();
  EXPECT_TRUE(contains(page, "<th>Outcome</th>"));
  EXPECT_TRUE(contains(page, "<td>HTTP 200 \xC2\xB7 12.5 KiB \xC2\xB7 340 ms</td>"));
  EXPECT_TRUE(contains(page, "<td>no response \xC2\xB7 0.0 KiB \xC2\xB7 5000 ms</td>"));
}

TEST(RenderStatusPage, EscapesTextAndShowsErrors) {
  const std::string page = sample_page();
  EXPECT_FALSE(contains(page, "<script"));
  EXPECT_TRUE(contains(page, "新华网 &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(
      contains(page,
               "http_status: 503 from &lt;server&gt; (<time datetime=\"2020-01-28T17:00:00Z\" "
               "title=\"2020-01-28 17:00:00 UTC\">61 min ago</time>)"));
}

std::string gunzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);  // gzip wrapper only
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[4096];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&zs);
  return out;
}

TEST(RenderGzip, RoundTripsAndHasGzipMagic) {
  std::string input;
  for (int i = 0; i < 5000; ++i) input += "杭州网 feed line " + std::to_string(i) + "\n";
  const std::string packed = gzip(input);
  ASSERT_GE(packed.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1F);
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8B);
  EXPECT_LT(packed.size(), input.size() / 4);
  EXPECT_EQ(gunzip(packed), input);
}

TEST(RenderGzip, EmptyInputIsAValidEmptyStream) {
  const std::string packed = gzip("");
  EXPECT_FALSE(packed.empty());
  EXPECT_EQ(gunzip(packed), "");
}

}  // namespace
}  // namespace fg::render
