// The published-time cascade: the rules, in order, that find when an article was published.

#include <array>
#include <chrono>

#include "core/text.hpp"
#include "extract/article.hpp"
#include "extract/article_parts.hpp"
#include "extract/dates.hpp"
#include "extract/header_fields.hpp"
#include "extract/lexicon.hpp"
#include "extract/page_meta.hpp"

namespace fg::extract::detail {

namespace {

using parse::Node;

// A date from an element: a machine-readable attribute first (datetime, content), then its text.
std::optional<PublishedTime> date_of(const Node& n, const DateReading& reading) {
  for (std::string_view attr : {"datetime", "content"}) {
    if (auto t = find_date(n.attr(attr), reading)) return t;
  }
  return find_date(n.text_content(), reading);
}

bool has_time_of_day(const PublishedTime& t) {
  const auto local = t.utc + t.offset;
  return local != std::chrono::floor<std::chrono::days>(local);
}

bool same_local_day(const PublishedTime& a, const PublishedTime& b) {
  const auto day = [](const PublishedTime& t) {
    return std::chrono::floor<std::chrono::days>(t.utc + t.offset);
  };
  return day(a) == day(b);
}

// The page's habit for "7/5/2005": day first in most languages that name one, month first in
// US English, Chinese, Japanese and Korean, and when the page does not say.
DayMonthOrder day_month_order(std::string_view language) {
  const std::string lang = ascii_lower(language);
  if (lang.empty() || lang == "en" || lang == "en-us" || lang == "en_us") {
    return DayMonthOrder::month_first;
  }
  for (std::string_view cjk : {"zh", "ja", "ko"}) {
    if (lang.substr(0, 2) == cjk) return DayMonthOrder::month_first;
  }
  return DayMonthOrder::day_first;
}

// What the date rules read: the page, where its parts stand, and the reading of dates.
struct DateContext {
  parse::Document& page;
  const std::string& url;
  const Located& at;
  const PageMeta& meta;
  const ArticleRules& rules;
  const DateReading& reading;
  std::optional<Chosen> header{};  // date_from_header, looked up once

  const Chosen& header_date() {
    if (!header) header = date_from_header(page, at, reading);
    return *header;
  }
  // A day-only time gets the time of day the page's text gives for that day.
  Chosen with_time(Chosen c) const {
    if (!lexicon::rule_on("date.time_of_day")) return c;
    const PublishedTime timed = time_of_day(page, *c.time, rules.timezone);
    if (!(timed == *c.time))
      c = {timed, c.rule + ", time of day from the page's text [date.time_of_day]"};
    return c;
  }
};

Chosen step_markup(DateContext& c) {
  Chosen found = date_from_markup(c.page, c.meta, c.rules.timezone);
  if (!found.time) return found;
  // The time readers see under the title wins over markup giving the same day.
  const Chosen& header = c.header_date();
  if (lexicon::rule_on("date.header_over_markup") && header.time && has_time_of_day(*header.time) &&
      same_local_day(*header.time, *found.time)) {
    return Chosen{header.time,
                  header.rule + ", over markup of the same day [date.header_over_markup]"};
  }
  return c.with_time(found);
}

// A time a platform keeps in data: Unix seconds or milliseconds, else a written date. Not later
// than a day from when the page was read: a clock is never a publication time.
std::optional<PublishedTime> stamp_or_date(std::string_view value, const DateContext& c) {
  if (value.empty()) return {};
  std::optional<PublishedTime> t;
  const bool digits = value.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits && (value.size() == 10 || value.size() == 13)) {
    const long long seconds = std::stoll(std::string(value.substr(0, 10)));
    t = find_date(format_rfc3339(Timestamp{std::chrono::seconds{seconds}}), c.rules.timezone);
  } else if (!digits) {
    t = find_date(value, c.reading);
  }
  if (!t || t->utc > *c.reading.fetched + std::chrono::hours(24)) return {};
  return t;
}

Chosen step_script(DateContext& c) {
  return {stamp_or_date(c.meta.script_published, c), "publication time in an inline script"};
}

// A time kept in an attribute of an element under the title (data-time="1581517074"), exact
// where the text shows "3小时前" or nothing.
Chosen step_attribute(DateContext& c) {
  for (const std::string& value : date_attributes_in_header(c.page, c.at)) {
    if (auto t = stamp_or_date(value, c)) return {t, "time in an attribute under the title"};
  }
  return {};
}

Chosen step_header(DateContext& c) {
  return c.header_date();
}
Chosen step_before_body(DateContext& c) {
  return date_before_body(c.page, c.at, c.reading);
}
Chosen step_opening_body(DateContext& c) {
  return date_opening_body(c.at, c.reading);
}
Chosen step_url(DateContext& c) {
  auto t = date_from_url(c.url, c.rules.timezone);
  return t ? c.with_time(Chosen{t, "date in the URL"}) : Chosen{};
}
Chosen step_poster(DateContext& c) {
  if (c.at.content == nullptr) return {};
  return {poster_line(*c.at.content, c.rules.timezone).time,
          "time of a forum or blog entry's posting line"};
}
Chosen step_after_body(DateContext& c) {
  return date_after_body(c.at, c.reading);
}
Chosen step_issue(DateContext& c) {
  return issue_month(c.at, c.rules.timezone);
}
Chosen step_named(DateContext& c) {
  return date_in_named_element(c.page, c.at, c.reading);
}

struct DateStep {
  std::string_view id;  // the rule's name in --explain, tests/eval and FEEDGATE_EXTRACT_OFF
  Chosen (*find)(DateContext&);
};

// The published-time cascade, first match wins: machine-readable markup, the header under the
// title, lines around the body, the URL, posting lines, a reprint's issue, named elements.
constexpr std::array<DateStep, 11> kDateCascade = {{
    {"date.markup", step_markup},
    {"date.script", step_script},
    {"date.attribute", step_attribute},
    {"date.header", step_header},
    {"date.before_body", step_before_body},
    {"date.opening_body", step_opening_body},
    {"date.url", step_url},
    {"date.poster_line", step_poster},
    {"date.after_body", step_after_body},
    {"date.issue_month", step_issue},
    {"date.named_element", step_named},
}};

}  // namespace

Result<Chosen> find_published(parse::Document& page, const std::string& url, const Located& at,
                              const PageMeta& meta, const ArticleRules& rules, Timestamp fetched) {
  DateReading reading(rules.timezone);
  reading.fetched = fetched;
  reading.order = day_month_order(meta.language);
  std::optional<std::optional<PublishedTime>> reference;  // looked up once, when needed
  reading.reference = [&]() {
    if (!reference) reference = reference_date(page, url, rules.timezone);
    return *reference;
  };
  if (!rules.published.empty()) {
    auto match = select_first(page, rules.published, "published");
    if (!match) return match.error();
    if (*match != nullptr) {
      if (auto t = date_of(**match, reading)) return Chosen{t, "selector"};
    }
  }
  DateContext context{page, url, at, meta, rules, reading};
  for (const DateStep& step : kDateCascade) {
    if (!lexicon::rule_on(step.id)) continue;
    if (Chosen c = step.find(context); c.time) {
      c.rule += " [" + std::string(step.id) + "]";
      return c;
    }
  }
  return Chosen{};
}

}  // namespace fg::extract::detail

namespace fg::extract {

namespace {

// Whether `t` falls in the stretch `coarse` stands for (its local hour, day or month).
bool within(const PublishedTime& t, const PublishedTime& coarse) {
  using std::chrono::days;
  const auto local = [&](const PublishedTime& p) { return p.utc + coarse.offset; };
  switch (coarse.precision) {
    case TimePrecision::hour:
      return std::chrono::floor<std::chrono::hours>(local(t)) ==
             std::chrono::floor<std::chrono::hours>(local(coarse));
    case TimePrecision::day:
      return std::chrono::floor<days>(local(t)) == std::chrono::floor<days>(local(coarse));
    case TimePrecision::month: {
      const std::chrono::year_month_day a{std::chrono::floor<days>(local(t))};
      const std::chrono::year_month_day b{std::chrono::floor<days>(local(coarse))};
      return a.year() == b.year() && a.month() == b.month();
    }
    case TimePrecision::time:
      break;
  }
  return false;
}

}  // namespace

PublishedChoice choose_published(const std::optional<PublishedTime>& article,
                                 const std::optional<PublishedTime>& listed, Timestamp fetched) {
  PublishedChoice c;
  if (article && listed && finer_than(listed->precision, article->precision) &&
      within(*listed, *article)) {
    c = {listed, "the list page's time on the article page's " +
                     std::string(precision_name(article->precision))};
  } else if (article) {
    c = {article, "the article page's own"};
  } else if (listed) {
    c = {listed, "the list page's date beside the link (the article page gives none)"};
  } else {
    return {std::nullopt, "none found on the article page or beside its link"};
  }
  if (c.time->utc > fetched) {
    c.time = not_after(*c.time, fetched);
    c.why += ", moved back to when the page was read (it was later)";
  }
  return c;
}

}  // namespace fg::extract
