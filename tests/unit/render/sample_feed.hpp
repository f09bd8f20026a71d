#pragma once
// A small feed shared by the render tests: CJK text, markup characters, one article with a
// +08:00 publication time and one without any.

#include <chrono>
#include <vector>

#include "render/render.hpp"

namespace fg::render::test {

using namespace std::chrono;
using namespace std::chrono_literals;

inline Timestamp at(year_month_day day, seconds time_of_day) {
  return Timestamp{sys_days{day}.time_since_epoch() + time_of_day};
}

inline FeedInfo sample_info() {
  FeedInfo f;
  f.id = "hz-gnxw";
  f.title = "杭州网 国内 & <新闻>";
  f.source_url = "http://news.hangzhou.com.cn/gnxw/?a=1&b=2";
  f.self_base = "http://127.0.0.1:8080";
  f.interval = 10min;
  f.updated = at(2020y / January / 28, 18h);
  return f;
}

inline FeedItem published_item() {
  FeedItem item;
  Article& a = item.article;
  a.url = "http://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7668283.htm";
  a.title = "中共中央印发《通知》 & <全文>";
  a.published = PublishedTime{at(2020y / January / 28, 17h + 17min + 24s), 8h};
  a.author = "张三";
  a.source = "新华网";
  a.editor = "李四";
  a.content_html = "<p>新华社北京1月28日电 1 &lt; 2 &amp; ]]&gt;</p><p>第二段</p>";
  a.text = "新华社北京1月28日电 1 < 2 & ]]>\n\n第二段";
  item.first_seen = at(2020y / January / 28, 17h + 30min);
  item.updated = item.first_seen;
  return item;
}

inline FeedItem undated_item() {
  FeedItem item;
  Article& a = item.article;
  a.url = "http://news.hangzhou.com.cn/gnxw/content/2020-01/29/content_7668290.htm";
  a.title = "Bell\x01in\x0Btitle";
  a.source = "人民网";
  a.content_html = "<p>内容</p>";
  a.text = "内容";
  item.first_seen = at(2020y / January / 28, 16h);
  item.updated = at(2020y / January / 28, 16h + 5min);
  return item;
}

inline std::vector<FeedItem> sample_items() {
  return {published_item(), undated_item()};
}

}  // namespace fg::render::test
