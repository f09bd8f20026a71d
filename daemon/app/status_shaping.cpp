#include "app/status_shaping.hpp"

#include "core/text.hpp"
#include "core/url.hpp"

namespace fg::app {

namespace {

constexpr std::string_view kStatusPath = "/";
// A search longer than this finds nothing a shorter one would not; the key stays small.
constexpr std::size_t kMaxSearch = 200;

}  // namespace

render::StatusQuery parse_status_query(std::string_view query) {
  render::StatusQuery out;
  bool seen_search = false, seen_page = false;  // the first of repeated parameters counts
  for (const auto& [name, value] : query_parameters(query)) {
    if (name == "q" && !seen_search) {
      seen_search = true;
      out.search = std::string(trim(value)).substr(0, kMaxSearch);
      if (!is_valid_utf8(out.search)) out.search = xml_safe_utf8(out.search);
    } else if (name == "page" && !seen_page) {
      seen_page = true;
      std::size_t page = 0;
      for (char c : value) {
        if (c < '0' || c > '9' || page > 1'000'000) {
          page = 0;
          break;
        }
        page = page * 10 + static_cast<std::size_t>(c - '0');
      }
      out.page = page > 0 ? page : 1;
    }
  }
  return out;
}

SiteShaping::SiteShaping(std::shared_ptr<const serve::Shaping> feeds,
                         std::shared_ptr<const StatusSnapshot> status)
    : feeds_(std::move(feeds)), status_(std::move(status)) {}

serve::ShapeQuery SiteShaping::read(std::string_view path, std::string_view query) const {
  if (path != kStatusPath) return feeds_ ? feeds_->read(path, query) : serve::ShapeQuery{};
  const render::StatusQuery asked = parse_status_query(query);
  if (!status_ || asked == render::StatusQuery{}) return {};  // the page as published
  // The page's own address for the query: one spelling, so one cache entry, per query.
  return {serve::ShapeQuery::Verdict::variant, render::status_page_url(asked), ""};
}

serve::ShapedVariant SiteShaping::prepare(std::string_view path, const std::string& key,
                                          const serve::Resource& plain) const {
  if (path != kStatusPath)
    return feeds_ ? feeds_->prepare(path, key, plain) : serve::ShapedVariant{};
  if (!status_) return {};
  const auto question = key.find('?');
  const render::StatusQuery query =
      parse_status_query(question == std::string::npos ? "" : key.substr(question + 1));
  serve::ShapedVariant out;
  out.resource = serve::make_variant(
      plain, key, render::render_status_page(status_->feeds, status_->now, query, status_->head));
  return out;
}

}  // namespace fg::app
