#pragma once
// Published time and byline fields from the page's header region (between the title and the
// body), its metadata and its URL. Internal to the extract module.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "extract/dates.hpp"
#include "extract/labels.hpp"
#include "parse/dom.hpp"

namespace fg::extract {
struct ArticleRules;
}

namespace fg::extract::detail {

struct PageMeta;

// Where the article's parts stand in the page.
struct Located {
  parse::Node* title = nullptr;
  parse::Node* content = nullptr;
  parse::Node* near_title_stop = nullptr;  // where the headline block ends: the body, unless it
                                           // holds the title
};

struct Chosen {
  std::optional<PublishedTime> time;
  std::string rule;
};

// The published time: the feed's selector, else the first rule of the date cascade that finds
// one (markup, the header under the title, lines around the body, the URL, ...), relative dates
// read against `fetched`. Errc::parse for a bad selector.
Result<Chosen> find_published(parse::Document& page, const std::string& url, const Located& at,
                              const PageMeta& meta, const ArticleRules& rules, Timestamp fetched);

// Publication time from machine-readable markup: JSON-LD, <meta>, itemprop, <time datetime>.
Chosen date_from_markup(parse::Document& page, const PageMeta& meta, std::string_view zone);

// Publication time from the visible header: text right under the title (closest first), then
// elements whose class/id says time/date before the body. Never the body's own text. A date
// without its year ("发布时间：01-14 17:58") counts when no full date is there.
Chosen date_from_header(parse::Document& page, const Located& at, const DateReading& reading);

// For a page whose title was not found in its body: the date closest before the body
// container, within a few lines of it (the post's info line).
Chosen date_before_body(parse::Document& page, const Located& at, const DateReading& reading);

// A short dated line among the first lines of the body, before its first paragraph (the
// "作者：…<br>2005年1月2日" block that old pages put inside the article's cell).
Chosen date_opening_body(const Located& at, const DateReading& reading);

// A full date in the lines right after the body ("本贴由大卫于2005年8月12日16:12:21…发表").
Chosen date_after_body(const Located& at, const DateReading& reading);

// The month of the periodical issue a reprint names in its last lines
// ("——《北京之春》1998年3月号").
Chosen issue_month(const Located& at, std::string_view zone);

// A date the page is close to, for reading dates that need one (no year, day and month that
// could swap): the URL's date, else the first full date of <meta> content or the page's text.
std::optional<PublishedTime> reference_date(parse::Document& page, std::string_view url,
                                            std::string_view zone);

// A time found for a day only (the URL's, a date-only <meta>): the first time of that same day
// written in the page's text, else the day as it was.
PublishedTime time_of_day(parse::Document& page, const PublishedTime& day, std::string_view zone);

// The date in an article URL: /2020-01/29/, /2020/01/29/, /20200129/, t20200129_123.html.
std::optional<PublishedTime> date_from_url(std::string_view url, std::string_view zone);

// A last resort: a short full date in an element named date/time/pub anywhere before the body,
// above the title too (an e-paper's issue date, <span id="paperdate">2022年02月13日</span>);
// never a line naming the weekday (the site's "today" bar).
Chosen date_in_named_element(parse::Document& page, const Located& at, const DateReading& reading);

// The name all links to an author's archive agree on (rel="author", "?author=", "/author/"):
// a blog's or a CMS's own byline link.
std::string author_archive_name(parse::Document& page);

// Byline fields from elements whose class/id names them (source, author, writer, editor) in the
// header region; labels inside their text ("来源：") are dropped.
Byline byline_from_hints(parse::Document& page, const Located& at);

// The reporter of a news dateline at the start of the body: "新华社巴黎12月9日电（记者唐霁）".
std::string dateline_reporter(const parse::Node& content);

// The reporters signing the body: a parenthesised group closing one of its last lines
// ("（记者 胡晓蓉）", "(李楠)", "（姚峰 上海报道）") or a short "…记者 name" line at either end
// ("新京报记者 彭冲 山东冠县报道"). Only names (2–4 Han characters each) are returned.
std::string body_signature(const parse::Node& content);

// The writer named by a short labelled line among the body's lines ("《棱镜》作者 周纯",
// "采写：南都见习记者 林子沛").
std::string body_author_line(const std::vector<std::string>& lines);

// A line of just a 2–3 character name opening the body, followed by a paragraph (the author
// line of reposted essays).
std::string leading_name_line(const parse::Node& content);

// The poster of a forum or blog entry and when it was posted, from a short line in or right
// after the body: "本贴由大卫于2005年8月12日16:12:21在〖…〗发表".
struct Poster {
  std::string name;
  std::optional<PublishedTime> time;
};
Poster poster_line(const parse::Node& content, std::string_view zone);

// A name in square brackets on the dated info line under the title:
// "2004年7月16日08:19 [ 黄宇 ] 来源：[ 国际金融报 ]" names 黄宇 (a labelled bracket is not it).
std::string bracketed_name(const std::vector<std::string>& lines);

// True for an author value that is really a site (a domain, a list of names with commas).
// The values of the time attributes (lexicon::kDateAttributes) of the elements after the title
// and before the body, in document order; none when the title is unknown.
std::vector<std::string> date_attributes_in_header(parse::Document& page, const Located& at);

// The outlet named in its own element beside the first time under the title, without a label
// (`<span>华夏人文</span><span>2020-03-09 18:14</span>`, `<p>新华社</p><p>2020-01-03 18:13</p>`);
// "" when no such name stands there.
std::string source_beside_time(parse::Document& page, const Located& at);

bool looks_like_site(std::string_view author);

}  // namespace fg::extract::detail
