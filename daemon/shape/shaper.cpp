// Shaper: the spec compiled (RE2 patterns, OpenCC converter) and applied to a feed's items.

#include <re2/re2.h>

#include <algorithm>

#include "core/log.hpp"
#include "core/text.hpp"
#include "shape/shape.hpp"

namespace fg::shape {
namespace {

// Memory RE2 may use for one compiled pattern; a 256-byte pattern needing more is refused.
constexpr std::int64_t kMaxPatternMemory = 2 << 20;

std::string_view parameter_name(const Pattern& p) {
  static constexpr std::string_view kNames[2][4] = {
      {"filter", "filter_title", "filter_description", "filter_author"},
      {"filterout", "filterout_title", "filterout_description", "filterout_author"}};
  return kNames[p.exclude ? 1 : 0][static_cast<int>(p.field)];
}

// The description a pattern reads: the plain text, else the title (as RSSHub does).
const std::string& description_of(const Article& a) {
  return a.text.empty() ? a.title : a.text;
}

// Converts `field` in place; on a failure (the converter loaded at compile(), so only a broken
// input could cause one) the text stays as it was.
void convert_field(std::string_view name, std::string& field, bool html) {
  if (field.empty()) return;
  auto converted = html ? convert_html(name, field) : convert_text(name, field);
  if (converted) {
    field = std::move(*converted);
  } else {
    log::warning("shape_opencc_failed" + log::kv("error", converted.error().describe()));
  }
}

}  // namespace

struct Shaper::Compiled {
  struct Rule {
    Field field;
    bool exclude;
    std::unique_ptr<RE2> re;
  };
  std::vector<Rule> rules;
};

Shaper::Shaper(ShapeSpec spec, std::unique_ptr<Compiled> compiled)
    : spec_(std::move(spec)), compiled_(std::move(compiled)) {}

Shaper::~Shaper() = default;

Result<std::shared_ptr<const Shaper>> Shaper::compile(const ShapeSpec& spec) {
  auto compiled = std::make_unique<Compiled>();
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(spec.case_sensitive);
  options.set_log_errors(false);
  options.set_max_mem(kMaxPatternMemory);
  for (const Pattern& p : spec.patterns) {
    const std::string_view name = parameter_name(p);
    if (p.regex.size() > kMaxPatternBytes) {
      return make_error(Errc::invalid_argument,
                        std::string(name) + ": pattern longer than " +
                            std::to_string(kMaxPatternBytes) + " bytes",
                        "query");
    }
    auto re = std::make_unique<RE2>(p.regex, options);
    if (!re->ok()) {
      return make_error(Errc::invalid_argument,
                        std::string(name) + ": invalid regular expression \"" + p.regex +
                            "\": " + re->error() + " (RE2 syntax)",
                        "query");
    }
    compiled->rules.push_back({p.field, p.exclude, std::move(re)});
  }
  if (!spec.opencc.empty()) {
    // Loads the converter now, so a missing data file is an error here, not a silent no-op.
    auto loaded = convert_text(spec.opencc, "");
    if (!loaded) return loaded.error();
  }
  return std::shared_ptr<const Shaper>(new Shaper(spec, std::move(compiled)));
}

Timestamp shown_time(const render::FeedItem& item) {
  return item.article.published ? item.article.published->utc : item.first_seen;
}

bool Shaper::keeps(const render::FeedItem& item, Timestamp now) const {
  if (spec_.max_age && shown_time(item) < now - *spec_.max_age) return false;
  const Article& a = item.article;
  for (const Compiled::Rule& rule : compiled_->rules) {
    bool matched = false;
    switch (rule.field) {
      case Field::title_or_description:
        matched =
            RE2::PartialMatch(a.title, *rule.re) || RE2::PartialMatch(description_of(a), *rule.re);
        break;
      case Field::title:
        matched = RE2::PartialMatch(a.title, *rule.re);
        break;
      case Field::description:
        matched = RE2::PartialMatch(description_of(a), *rule.re);
        break;
      case Field::author:
        matched = RE2::PartialMatch(a.author, *rule.re);
        break;
    }
    if (matched == rule.exclude) return false;
  }
  return true;
}

std::vector<render::FeedItem> Shaper::apply(std::vector<render::FeedItem> items,
                                            Timestamp now) const {
  std::erase_if(items, [&](const render::FeedItem& item) { return !keeps(item, now); });
  if (spec_.limit && items.size() > *spec_.limit) items.resize(*spec_.limit);
  for (render::FeedItem& item : items) {
    Article& a = item.article;
    if (!spec_.opencc.empty()) {
      for (std::string* text : {&a.title, &a.text, &a.author, &a.source, &a.editor, &a.site_name}) {
        convert_field(spec_.opencc, *text, false);
      }
      if (!spec_.brief) convert_field(spec_.opencc, a.content_html, true);
    }
    if (spec_.brief) {
      a.text = brief_text(a.text, *spec_.brief);
      a.content_html =
          a.text.empty() ? std::string{} : "<p>" + render::text_as_html(a.text) + "</p>";
    }
  }
  return items;
}

void Shaper::apply(render::FeedInfo& info) const {
  if (spec_.opencc.empty()) return;
  convert_field(spec_.opencc, info.title, false);
  convert_field(spec_.opencc, info.description, false);
}

std::optional<Timestamp> Shaper::next_expiry(const std::vector<render::FeedItem>& kept) const {
  if (!spec_.max_age || kept.empty()) return std::nullopt;
  Timestamp oldest = shown_time(kept.front());
  for (const auto& item : kept) oldest = std::min(oldest, shown_time(item));
  return oldest + *spec_.max_age + std::chrono::seconds(1);
}

std::string brief_text(std::string_view text, std::size_t max_chars) {
  const std::string_view trimmed = trim(text);
  std::size_t chars = 0, cut = 0, i = 0;
  while (i < trimmed.size()) {
    next_code_point(trimmed, i);
    ++chars;
    if (chars == max_chars - 1) cut = i;  // room left for the ellipsis
    if (chars > max_chars) return std::string(trimmed.substr(0, cut)) + "…";
  }
  return std::string(trimmed);
}

}  // namespace fg::shape
