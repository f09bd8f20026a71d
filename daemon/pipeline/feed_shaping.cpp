#include "pipeline/feed_shaping.hpp"

#include "core/log.hpp"

namespace fg::pipeline {
namespace {

void add_patterns(const config::FeedFilter::Patterns& p, bool exclude, shape::ShapeSpec& spec) {
  const std::pair<const std::string*, shape::Field> fields[] = {
      {&p.any, shape::Field::title_or_description},
      {&p.title, shape::Field::title},
      {&p.description, shape::Field::description},
      {&p.author, shape::Field::author}};
  for (const auto& [pattern, field] : fields) {
    if (!pattern->empty()) spec.patterns.push_back({field, exclude, *pattern});
  }
}

}  // namespace

std::string render_feed_format(FeedFormat format, const render::FeedInfo& info,
                               const std::vector<render::FeedItem>& items) {
  switch (format) {
    case FeedFormat::rss:
      return render::render_rss(info, items);
    case FeedFormat::json:
      return render::render_json_feed(info, items);
    case FeedFormat::atom:
      break;
  }
  return render::render_atom(info, items);
}

void preload_shaping() {
  shape::preload_opencc();
}

std::string hub_links(const render::FeedInfo& info, FeedFormat format) {
  if (info.hub_url.empty()) return {};
  const std::string_view extension = format == FeedFormat::rss    ? "rss"
                                     : format == FeedFormat::json ? "json"
                                                                  : "atom";
  std::string self = info.self_base + "/feeds/" + info.id + "." + std::string(extension);
  if (!info.self_query.empty()) self += "?" + info.self_query;
  return "<" + info.hub_url + ">; rel=\"hub\", <" + self + ">; rel=\"self\"";
}

shape::ShapeSpec config_shape(const config::FeedConfig& feed) {
  shape::ShapeSpec spec;
  add_patterns(feed.filter.include, false, spec);
  add_patterns(feed.filter.exclude, true, spec);
  spec.case_sensitive = feed.filter.case_sensitive;
  if (feed.filter.max_age.count() > 0) {
    spec.max_age = std::chrono::duration_cast<std::chrono::seconds>(feed.filter.max_age);
  }
  spec.opencc = feed.opencc;
  return spec;
}

FeedShaping::FeedShaping(std::shared_ptr<const config::Config> config, Source source)
    : config_(std::move(config)), source_(std::move(source)) {
  for (const config::FeedConfig& feed : config_->feeds) feeds_.emplace(feed.id, &feed);
}

FeedShaping::Target FeedShaping::target(std::string_view path) const {
  static constexpr std::string_view kPrefix = "/feeds/";
  static constexpr std::pair<std::string_view, FeedFormat> kFormats[] = {
      {".rss", FeedFormat::rss}, {".atom", FeedFormat::atom}, {".json", FeedFormat::json}};
  if (!path.starts_with(kPrefix)) return {};
  path.remove_prefix(kPrefix.size());
  for (const auto& [extension, format] : kFormats) {
    if (!path.ends_with(extension)) continue;
    const auto found = feeds_.find(path.substr(0, path.size() - extension.size()));
    if (found != feeds_.end()) return {found->second, format};
  }
  return {};
}

serve::ShapeQuery FeedShaping::read(std::string_view path, std::string_view query) const {
  if (!target(path).feed) return {};
  auto spec = shape::parse_query(query);
  if (!spec) return {serve::ShapeQuery::Verdict::refused, "", spec.error().message};
  // Nothing, or `limit` alone, the server answers from the plain feed itself.
  shape::ShapeSpec without_limit = *spec;
  without_limit.limit.reset();
  if (without_limit.empty()) return {};
  return {serve::ShapeQuery::Verdict::variant, spec->normalized(), ""};
}

serve::ShapedVariant FeedShaping::prepare(std::string_view path, const std::string& key,
                                          const serve::Resource& plain) const {
  const Target t = target(path);
  if (!t.feed) return {};
  auto spec = shape::parse_query(key);  // a normalized key reads back as the same spec
  if (!spec) return {nullptr, std::nullopt, spec.error().message};
  auto shaper = shape::Shaper::compile(*spec);
  if (!shaper) {
    if (shaper.error().code != Errc::invalid_argument) {
      log::warning("shape_unavailable" + log::kv("feed", t.feed->id) +
                   log::kv("error", shaper.error().describe()));
    }
    return {nullptr, std::nullopt, shaper.error().message};
  }
  Published published = source_(*t.feed);
  (*shaper)->apply(published.info);
  published.info.self_query = key;
  const auto kept = (*shaper)->apply(std::move(published.items), now_seconds());
  std::string variant = key;
  // filter_time keeps fewer items as time passes (never others), so the count tells the
  // documents of one key apart and the ETag must change with it.
  if (spec->max_age) variant += "\n" + std::to_string(kept.size());
  serve::ShapedVariant out;
  out.resource =
      serve::make_variant(plain, variant, render_feed_format(t.format, published.info, kept),
                          hub_links(published.info, t.format));
  out.expires = (*shaper)->next_expiry(kept);
  return out;
}

}  // namespace fg::pipeline
