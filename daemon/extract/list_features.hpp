#pragma once
// What a single link on a channel page says about itself: its URL's shape and kind, its text's
// length and words. Internal to the extract module's list discovery (tested directly).

#include <string>
#include <string_view>

namespace fg::extract::list {

// The parts of an absolute URL that discovery looks at; host lower-case, path without query.
struct UrlParts {
  std::string host;
  std::string path;   // "/gnxw/content/2020-01/29/content_1.htm"; "/" when empty
  std::string query;  // without "?"
};

UrlParts split_url(std::string_view url);

// Host, directories with digit runs abstracted to '#', and the file extension (plus sorted query
// keys): links of one channel's articles share it, links of another channel usually do not.
std::string url_shape(const UrlParts& url);

// The URL looks like one article: a date in the path (/2020-01/29/, /2020/0129/, t20200129_),
// a long number in the file name (content_123.htm, c_123.htm, /a/123.html), or an id query.
bool is_article_url(const UrlParts& url);

// The URL looks like a channel or section page: a directory (/gnxw/), index/default/list/node.
bool is_channel_url(const UrlParts& url);

// A pagination link: 下一页/尾页/page numbers in the text, or index_2.html / ?page=2.
bool is_pagination(std::string_view text, const UrlParts& url);

// "更多", "more>>", "详细": links that lead to more of something rather than to a story.
bool is_more_text(std::string_view text);

// Same site: equal registrable domain (news.hangzhou.com.cn ~ www.hangzhou.com.cn).
bool same_site(std::string_view host_a, std::string_view host_b);

// Headline length in CJK-character units: each CJK character counts 1, each Latin word or
// number 2 (a Chinese headline is typically 8-40 units).
int headline_units(std::string_view text);

// A date in visible text: 2020-01-29, 2020年1月29日, 2020.01.29, 01-29, [01-29], 1月29日.
bool contains_date(std::string_view text);

// Words of a class or id value, lower-case, split at non-letters and camelCase humps.
bool has_word(std::string_view class_or_id, bool (*pred)(std::string_view word));
bool is_negative_word(std::string_view word);  // nav, menu, footer, side, hot, rank, friend, ...
bool is_positive_word(std::string_view word);  // list, news, main, content, article, ...

// A box header that announces a sidebar or cross-channel list (热门点击, 排行, 推荐, 友情链接).
bool is_sidebar_heading(std::string_view text);

}  // namespace fg::extract::list
