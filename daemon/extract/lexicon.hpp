#pragma once
// The extract module's vocabulary in one place: every word list, class/id hint and threshold a
// rule decides by, as named tables with the reason each exists. Rules read them from here, so
// changing what a rule looks for is a change of data that tests/eval can measure, and two rules
// never keep two copies of one list. Internal to the extract module.

#include <array>
#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "parse/dom.hpp"

namespace fg::extract::lexicon {

using Words = std::span<const std::string_view>;

// ---- Class/id hints ----------------------------------------------------------------------------

// How a table's words are looked for in an element's class and id (lower-cased).
enum class HintMatch {
  token_prefix,  // the word starts a token: "hot" in "hot-news", not in "photo"
  substring,     // anywhere: "content" in "maincontent"
  class_token,   // a whole token of the class attribute; "*-hide" matches a token ending "-hide"
};

struct HintTable {
  std::string_view name;
  HintMatch match;
  Words words;
  Words not_words{};  // longer words that contain a hint word and mean something else
};

// An element's class and id, lower-cased, ready to be matched against hint tables.
class ClassHints {
 public:
  explicit ClassHints(const parse::Node& n);
  // The first word of `table` found, or "" when none is.
  std::string_view find(const HintTable& table) const;
  bool has(const HintTable& table) const { return !find(table).empty(); }

 private:
  std::string text_;          // "<class> <id>"
  std::size_t class_size_{};  // the class attribute's part of text_
};

// The one way every scorer reads an element's class/id hints.
inline ClassHints class_hints(const parse::Node& n) {
  return ClassHints(n);
}

// Blocks that surround an article rather than hold it.
inline constexpr std::array<std::string_view, 16> kBodyNegativeWords = {
    "nav",     "footer", "foot",    "related", "relate", "share",     "copyright",  "hot",
    "sidebar", "side",   "comment", "menu",    "banner", "recommend", "breadcrumb", "tuijian"};
inline constexpr HintTable kBodyNegative{"body_negative_hints", HintMatch::token_prefix,
                                         kBodyNegativeWords};

// How CMSs name the article's container (TRS_Editor and zoom: Chinese government CMSs).
inline constexpr std::array<std::string_view, 8> kBodyPositiveWords = {
    "content", "article", "zoom", "trs_editor", "main", "text", "detail", "body"};
inline constexpr HintTable kBodyPositive{"body_positive_hints", HintMatch::substring,
                                         kBodyPositiveWords};

// Sections readers write in: a block inside one is a comment, not the article, whatever its own
// class (blog themes give the post and every comment the same "format_text").
inline constexpr std::array<std::string_view, 4> kCommentWords = {"comment", "reply", "replies",
                                                                  "respond"};
inline constexpr HintTable kCommentSection{"comment_section", HintMatch::token_prefix,
                                           kCommentWords};

// Elements holding a date or time ("pubtime", "post-date", "info_time"); "public" (a site's
// public-service bar, "public-footer") is not "pub".
inline constexpr std::array<std::string_view, 3> kDateWords = {"time", "date", "pub"};
inline constexpr std::array<std::string_view, 1> kDateNotWords = {"public"};
inline constexpr HintTable kDateHints{"date_hints", HintMatch::substring, kDateWords,
                                      kDateNotWords};

// Elements holding the 来源 outlet.
inline constexpr std::array<std::string_view, 2> kSourceWords = {"source", "media"};
inline constexpr HintTable kSourceHints{"source_hints", HintMatch::substring, kSourceWords};

// Elements holding the writer's name.
inline constexpr std::array<std::string_view, 3> kAuthorWords = {"author", "writer", "reporter"};
inline constexpr HintTable kAuthorHints{"author_hints", HintMatch::substring, kAuthorWords};

// Elements that are the headline though not a heading tag (<div class="article-title">).
inline constexpr std::array<std::string_view, 1> kTitleWords = {"title"};
inline constexpr HintTable kTitleHints{"title_hints", HintMatch::substring, kTitleWords};

// Classes CSS frameworks use to hide an element (Bootstrap's d-none, "xxx-hide" toggles).
inline constexpr std::array<std::string_view, 4> kHiddenWords = {"hidden", "hide", "d-none",
                                                                 "*-hide"};
inline constexpr HintTable kHiddenClasses{"hidden_classes", HintMatch::class_token, kHiddenWords};

// Weights of a block's score by its hints.
inline constexpr double kNegativeHintFactor = 0.2;  // a sidebar with more text still loses
inline constexpr double kPositiveHintFactor = 1.5;  // the named container beats a longer rival

// ---- Body scoring ------------------------------------------------------------------------------

// Elements that may hold the body as a whole.
inline constexpr std::array<std::string_view, 5> kBodyCandidateTags = {"div", "article", "section",
                                                                       "td", "main"};
// Inline wrappers whose text counts as a paragraph of their parent (old pages wrap paragraphs in
// <font> or <center>).
inline constexpr std::array<std::string_view, 9> kInlineTextTags = {
    "span", "font", "strong", "b", "em", "i", "u", "blockquote", "center"};
// Sentence punctuation: prose has it, keyword lists and menus hardly do.
inline constexpr std::string_view kAsciiPunctuation = ",.;:!?";
inline constexpr std::array<std::string_view, 7> kCjkPunctuation = {"，", "。", "、", "；",
                                                                    "：", "！", "？"};
inline constexpr std::size_t kProseSpan = 80;     // at least one mark per this many characters
inline constexpr std::size_t kUnpunctuated = 20;  // a caption or heading counts this much at most
inline constexpr long kLinkPenalty = 2;           // link text counts against a paragraph twice
inline constexpr double kSiblingShare = 0.3;      // like siblings adding this much: one body
inline constexpr double kSpreadBlockMinScore = 100;     // a section or post, not a teaser
inline constexpr std::size_t kBetweenPostsChars = 300;  // where a post's date stands
inline constexpr std::size_t kMinPosts = 3;             // an archive, not a two-part article
inline constexpr double kUnhintedMinShare = 0.1;  // a post shorter than its comments still wins
inline constexpr double kUnhintedMinScore = 200;  // ... when it has some prose of its own
// How excerpts of other pages are cut short in teaser lists.
inline constexpr std::array<std::string_view, 2> kExcerptCuts = {"...", "…"};
inline constexpr std::size_t kPrunedBodyMinChars = 200;  // left after taking out comments

// ---- Text lines around the body ----------------------------------------------------------------

inline constexpr std::size_t kNearTitleChars = 600;      // the date/byline block under a headline
inline constexpr std::size_t kAfterContentChars = 300;   // bylines right below the body
inline constexpr std::size_t kBylineMaxChars = 80;       // longer lines are prose naming a label
inline constexpr std::size_t kHintTextMaxChars = 60;     // a date or name element, not a paragraph
inline constexpr std::size_t kBareNameMaxChars = 20;     // an unlabelled name in a named element
inline constexpr std::size_t kAroundChars = 200;         // dated lines right before/after the body
inline constexpr std::size_t kOpeningLines = 4;          // header lines old pages put in the body
inline constexpr std::size_t kDateLineMaxChars = 40;     // a dated line, not a sentence
inline constexpr std::size_t kDateOnlyChars = 30;        // an element holding only a date
inline constexpr std::size_t kArchiveNameMaxChars = 30;  // an author archive link's name
inline constexpr std::size_t kDatelineLeadChars = 30;  // "新华社巴黎12月9日电" before （记者…）
inline constexpr std::size_t kDatelineNameChars = 20;  // the reporters inside （记者…）

// A site's "today" bar names the weekday; an article's date line seldom does.
inline constexpr std::string_view kWeekdayMarker = "星期";

// ---- Trailing boilerplate ----------------------------------------------------------------------

// Headings that open a related-reading list or the pager: everything from them on goes.
inline constexpr std::array<std::string_view, 10> kRelatedMarkers = {
    "相关阅读", "相关新闻", "相关链接", "相关报道", "相关文章",
    "延伸阅读", "推荐阅读", "分享到",   "上一篇",   "下一篇"};
// Brackets such headings are written in (『相关阅读』, 【相关新闻】).
inline constexpr std::array<std::string_view, 5> kRelatedOpeners = {"『", "【", "[", "［", "〖"};
// Copyright and disclaimer notices closing portal articles, maybe after the site's name.
inline constexpr std::array<std::string_view, 3> kCopyrightMarkers = {"版权与免责声明", "版权声明",
                                                                      "免责声明"};
inline constexpr std::size_t kCopyrightLeadChars = 8;  // "杭州网版权与免责声明"
// Lines repeating the headline a reprint had: not body text.
inline constexpr std::array<std::string_view, 4> kOriginalTitlePrefixes = {"(原标题", "（原标题",
                                                                           "原标题:", "原标题："};
// Tool-bar words of short closing lines (share, QR code, print, close, back to top).
inline constexpr std::array<std::string_view, 9> kToolbarWords = {
    "扫一扫",   "二维码",   "分享到",   "打印本页", "关闭窗口",
    "返回顶部", "【纠错】", "【打印】", "【关闭】"};
inline constexpr std::size_t kCaptionMaxChars = 40;  // share bars, QR-code captions, print links
inline constexpr std::size_t kMidBodyProse = 100;    // prose after a related list: mid-body
inline constexpr std::size_t kRelatedHeadingChars = 30;  // a related list's heading alone
// Chinese sentence ends: a line with one is prose, not a byline.
inline constexpr std::array<std::string_view, 3> kSentenceEnds = {"。", "！", "？"};

// ---- Signatures and names ----------------------------------------------------------------------

inline constexpr std::size_t kEdgeLines = 3;           // lines at each end that may sign the body
inline constexpr std::size_t kSignatureMaxChars = 30;  // "新京报记者 彭冲 山东冠县报道"
inline constexpr std::size_t kNameMaxChars = 4;        // a Chinese personal name
inline constexpr std::size_t kMaxNames = 6;            // reporters of one story
inline constexpr std::size_t kTailLines = 12;  // link lines a portal may leave after the body
// Short Han words that end or label a body and are not names.
inline constexpr std::array<std::string_view, 14> kNotNames = {
    "待续", "未完", "全文完", "组图", "图片", "完",   "评论",
    "留言", "目录", "摘要",   "前言", "导语", "简介", "正文"};
// Tokens ending the names of a signature ("上海报道", "摄", "发自").
inline constexpr std::array<std::string_view, 3> kSignatureEnds = {"报道", "摄", "发自"};

// ---- Byline labels ----------------------------------------------------------------------------

enum class LabelField { source, author, reporter, wen, correspondent, editor, chief_editor, other };

struct Label {
  std::string_view text;
  LabelField field;
};

// The labels of Chinese bylines. At one position at most one label can match: none is a prefix
// of another that comes later. The last four only end the value before them.
inline constexpr std::array<Label, 14> kLabels = {{
    {"责任编辑", LabelField::chief_editor},
    {"责编", LabelField::chief_editor},
    {"通讯员", LabelField::correspondent},
    {"来源", LabelField::source},
    {"作者", LabelField::author},
    {"记者", LabelField::reporter},
    {"编辑", LabelField::editor},
    {"文", LabelField::wen},
    {"采写", LabelField::author},
    {"执笔人", LabelField::author},
    {"发布时间", LabelField::other},
    {"发布于", LabelField::other},
    {"时间", LabelField::other},
    {"日期", LabelField::other},
}};

// Words of the tool bars, tags and forum roles that stand beside an article's time and are not
// its outlet.
inline constexpr std::array<std::string_view, 13> kBesideTimeNotSources = {
    "字号", "原创", "转载", "阅读", "评论", "分享", "收藏",
    "打印", "关注", "举报", "星期", "浏览", "楼主"};

// Outlets a reporter writes for, as they end right before 记者 ("本报记者", "新京报记者",
// "新华社记者", "央视记者"): the names after it are the reporters.
inline constexpr std::array<std::string_view, 8> kOutletEnds = {"本报", "本台", "本刊", "报",
                                                                "社",   "台",   "网",   "视"};
inline constexpr std::size_t kOutletLeadChars = 8;  // "人民日报海外版" and shorter

// What follows a photographer's name ("记者 张三 摄"): the line credits a photo.
inline constexpr std::string_view kPhotoCredit = "摄";

// Platforms whose publishing accounts are outlets, not writers: "作者：企鹅号 科技日报" is the
// source 科技日报.
inline constexpr std::array<std::string_view, 10> kPlatformAccounts = {
    "企鹅号", "百家号", "澎湃号", "头条号",     "大风号",
    "网易号", "搜狐号", "一点号", "微信公众号", "公众号"};

// ---- Titles ------------------------------------------------------------------------------------

// Separators between a title and its channel/site names, longest spellings first.
// Blog engines put the blog's name first with » (WordPress) or :: between them.
inline constexpr std::array<std::string_view, 15> kTitleSeparators = {
    " - ",  " – ", " — ", " | ", " _ ", " ｜ ", " » ", " « ",
    " :: ", "——",  "--",  "_",   "|",   "｜",   "—"};
// Endings of portal names after a bare hyphen ("标题-杭州网").
inline constexpr std::array<std::string_view, 10> kSiteEndings = {
    "网", "日报", "晚报", "时报", "商报", "快报", "在线", "门户", "政府", "电视台"};
inline constexpr std::size_t kShortNameChars = 12;       // a channel or site name, Han script
inline constexpr std::size_t kShortLatinNameChars = 20;  // the same in Latin script
inline constexpr std::size_t kHeadingMinChars = 4;       // shorter headings are labels
inline constexpr std::size_t kHeadingMaxChars = 160;     // longer ones are paragraphs

// ---- Dates -------------------------------------------------------------------------------------

// Years a publication date can have: the web's, not a founding year or a typo.
inline constexpr int kMinYear = 1990;
inline constexpr int kMaxYear = 2100;
// Digit runs in a URL are dates only in a narrower window: ids like 20480001 are not dates.
inline constexpr int kUrlMinYear = 1995;
inline constexpr int kUrlMaxYear = 2039;

// Publication-time <meta> names, best first.
inline constexpr std::array<std::string_view, 11> kDateMetaNames = {
    "article:published_time", "og:published_time", "publishdate", "pubdate",
    "publish_date",           "published_time",    "publishtime", "og:release_date",
    "dc.date.issued",         "dc.date",           "date"};

// Inline-script keys platforms keep an article's publication time under (WeChat's ct is the
// message's creation time; the others name publication), best first. Never "now"/"time" alone,
// which are the page's clock or any event's time.
inline constexpr std::array<std::string_view, 9> kScriptTimeKeys = {
    "publish_time", "publishTime", "pubtime",    "pubTime", "publish_date",
    "publishDate",  "create_time", "createTime", "ct"};

// Attributes that platforms keep an element's exact time in (the text may say "3小时前");
// read only under the title, where the article's own time stands.
inline constexpr std::array<std::string_view, 8> kDateAttributes = {
    "datetime",          "data-publish-time", "data-publishtime", "data-pubtime",
    "data-publish-date", "data-published",    "data-time",        "data-date"};

// ---- Dates written against the time the page was read -----------------------------------------

// An age unit: "3小时前" is 3 × 1 hour before the page was read, kept to the hour.
struct AgeUnit {
  std::string_view word;
  std::chrono::seconds length;
  TimePrecision precision;  // time: floored to the unit (second or minute)
};

// Chinese units carry their "前" (ago); no unit is a prefix of a later one.
inline constexpr std::array<AgeUnit, 8> kAgeUnitsZh = {{
    {"秒钟前", std::chrono::seconds{1}, TimePrecision::time},
    {"秒前", std::chrono::seconds{1}, TimePrecision::time},
    {"分钟前", std::chrono::minutes{1}, TimePrecision::time},
    {"分前", std::chrono::minutes{1}, TimePrecision::time},
    {"个小时前", std::chrono::hours{1}, TimePrecision::hour},
    {"小时前", std::chrono::hours{1}, TimePrecision::hour},
    {"天前", std::chrono::hours{24}, TimePrecision::day},
    {"周前", std::chrono::hours{24 * 7}, TimePrecision::day},
}};

// English units, lower case, followed by "ago"; longer spellings first.
inline constexpr std::array<AgeUnit, 16> kAgeUnitsEn = {{
    {"seconds", std::chrono::seconds{1}, TimePrecision::time},
    {"second", std::chrono::seconds{1}, TimePrecision::time},
    {"secs", std::chrono::seconds{1}, TimePrecision::time},
    {"sec", std::chrono::seconds{1}, TimePrecision::time},
    {"minutes", std::chrono::minutes{1}, TimePrecision::time},
    {"minute", std::chrono::minutes{1}, TimePrecision::time},
    {"mins", std::chrono::minutes{1}, TimePrecision::time},
    {"min", std::chrono::minutes{1}, TimePrecision::time},
    {"hours", std::chrono::hours{1}, TimePrecision::hour},
    {"hour", std::chrono::hours{1}, TimePrecision::hour},
    {"hrs", std::chrono::hours{1}, TimePrecision::hour},
    {"hr", std::chrono::hours{1}, TimePrecision::hour},
    {"days", std::chrono::hours{24}, TimePrecision::day},
    {"day", std::chrono::hours{24}, TimePrecision::day},
    {"weeks", std::chrono::hours{24 * 7}, TimePrecision::day},
    {"week", std::chrono::hours{24 * 7}, TimePrecision::day},
}};

// "半小时前": half an hour, as portals round a fresh story.
inline constexpr std::string_view kHalfHourAgo = "半小时前";

// Words for the moment the page was read (刚刚 is "a moment ago").
inline constexpr std::array<std::string_view, 2> kJustNow = {"刚刚", "just now"};

// Days named by their distance from the day the page was read; a time of day may follow.
struct NamedDay {
  std::string_view word;
  int days_back;
};
inline constexpr std::array<NamedDay, 5> kNamedDays = {{
    {"今天", 0},
    {"昨天", 1},
    {"前天", 2},
    {"today", 0},
    {"yesterday", 1},
}};

// A relative date counts only in a line this short: a date line ("3小时前 来源：新华网"), not a
// sentence ("3天前，记者来到…") whose "3天前" is the story's, not the page's.
inline constexpr std::size_t kRelativeLineMaxChars = 40;
// ... and not in a line with the marks of Chinese prose.
inline constexpr std::array<std::string_view, 4> kProseMarks = {"，", "。", "！", "？"};

// ---- Rule switches -----------------------------------------------------------------------------

// False when the rule named `id` is switched off by FEEDGATE_EXTRACT_OFF (a comma-separated list
// of rule ids, read once): how tests/eval measures what each rule does. Unset: every rule is on.
bool rule_on(std::string_view id);

}  // namespace fg::extract::lexicon
