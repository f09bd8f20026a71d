// JSON Feed 1.1 (https://jsonfeed.org/version/1.1).
#include <nlohmann/json.hpp>
#include <string>

#include "core/text.hpp"
#include "render/feed_common.hpp"
#include "render/render.hpp"

namespace fg::render {

namespace {

using nlohmann::json;

// JSON strings must be valid UTF-8; XML-safe also keeps control characters out of readers.
std::string safe(std::string_view s) {
  return xml_safe_utf8(s);
}

// Plain-text fields (JSON Feed 1.1 says so), inert in readers that render them as HTML anyway.
std::string text(std::string_view s) {
  return inert_text(s);
}

json item_json(const FeedInfo& feed, const FeedItem& item) {
  const Article& a = item.article;
  json j = json::object();
  j["id"] = safe(a.url);
  j["url"] = safe(a.url);
  j["title"] = text(a.title);
  if (!a.content_html.empty()) {
    j["content_html"] = safe(content_html_of(feed, a));
  } else {
    j["content_text"] = text(content_text_of(feed, a));  // the spec requires one of the two
  }
  const std::string summary = excerpt(a.text);
  if (!summary.empty()) j["summary"] = text(summary);
  if (a.published) j["date_published"] = format_rfc3339(*a.published);
  j["date_modified"] = format_rfc3339(entry_date(item), true);
  if (!a.author.empty()) j["authors"] = json::array({json{{"name", text(a.author)}}});
  json extension = json::object();
  if (!a.source.empty()) extension["source"] = text(a.source);
  if (!a.editor.empty()) extension["editor"] = text(a.editor);
  if (!extension.empty()) j["_feedgate"] = std::move(extension);
  return j;
}

}  // namespace

std::string render_json_feed(const FeedInfo& feed, const std::vector<FeedItem>& items) {
  json root = json::object();
  root["version"] = "https://jsonfeed.org/version/1.1";
  root["title"] = text(feed.title);
  root["home_page_url"] = safe(feed.source_url);
  // Archive pages name the current feed; a shaped variant names itself (its query included).
  root["feed_url"] = safe(feed.archive_page > 0 ? feed_url(feed.self_base, feed.id, "json")
                                                : document_url(feed, "json"));
  if (feed.archive_page == 0 && !feed.hub_url.empty()) {
    root["hubs"] = json::array({json{{"type", "WebSub"}, {"url", safe(feed.hub_url)}}});
  }
  if (!feed.description.empty()) root["description"] = text(feed.description);
  if (const std::string lang = agreed_language(items); !lang.empty()) root["language"] = safe(lang);
  if (const std::string site = agreed_site_name(items); !site.empty()) {
    root["authors"] = json::array({json{{"name", text(site)}}});
  }
  // JSON Feed's paging: next_url leads to older items, here the previous archive page.
  if (feed.prev_archive > 0) {
    root["next_url"] = safe(archive_url(feed.self_base, feed.id, feed.prev_archive, "json"));
  }
  json list = json::array();
  for (const FeedItem& item : items) list.push_back(item_json(feed, item));
  root["items"] = std::move(list);
  // Every string was made valid above; replace is a second guard so dump() can never throw.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace fg::render
