// RSS 2.0 with the content, dc, atom and sy modules.
#include <string>

#include "render/feed_common.hpp"
#include "render/render.hpp"
#include "render/xml_out.hpp"

namespace fg::render {

namespace {

void add_atom_link(pugi::xml_node channel, std::string_view rel, const std::string& href) {
  pugi::xml_node link = channel.append_child("atom:link");
  set_attr(link, "href", href);
  set_attr(link, "rel", rel);
  set_attr(link, "type", "application/rss+xml");
}

// RFC 5005 in RSS 2.0 (its appendix B): atom:link elements and fh:archive.
void add_archive_links(pugi::xml_node channel, const FeedInfo& feed) {
  if (feed.archive_page > 0) {
    channel.append_child("fh:archive");
    add_atom_link(channel, "current", feed_url(feed.self_base, feed.id, "rss"));
  }
  if (feed.prev_archive > 0) {
    add_atom_link(channel, "prev-archive",
                  archive_url(feed.self_base, feed.id, feed.prev_archive, "rss"));
  }
  if (feed.next_archive > 0) {
    add_atom_link(channel, "next-archive",
                  archive_url(feed.self_base, feed.id, feed.next_archive, "rss"));
  }
}

void add_channel_head(pugi::xml_node channel, const FeedInfo& feed) {
  add_text_element(channel, "title", inert_text(feed.title));
  add_text_element(channel, "link", feed.source_url);
  add_text_element(channel, "description",
                   text_as_html(feed.description.empty() ? feed.title : feed.description));
  add_atom_link(channel, "self", document_url(feed, "rss"));
  if (feed.archive_page == 0 && !feed.hub_url.empty()) {
    pugi::xml_node hub = channel.append_child("atom:link");
    set_attr(hub, "href", feed.hub_url);
    set_attr(hub, "rel", "hub");
  }
  add_archive_links(channel, feed);
  add_text_element(channel, "lastBuildDate", format_rfc822(PublishedTime{feed.updated, {}}));
  add_text_element(channel, "ttl", std::to_string(ttl_minutes(feed.interval)));
  const UpdateSchedule schedule = update_schedule(feed.interval);
  add_text_element(channel, "sy:updatePeriod", schedule.period);
  add_text_element(channel, "sy:updateFrequency", std::to_string(schedule.frequency));
  add_text_element(channel, "generator", "feedgate");
}

void add_item(pugi::xml_node channel, const FeedInfo& feed, const FeedItem& item) {
  const Article& a = item.article;
  pugi::xml_node node = channel.append_child("item");
  add_text_element(node, "title", inert_text(a.title));
  add_text_element(node, "link", a.url);
  set_attr(add_text_element(node, "guid", a.url), "isPermaLink", "true");
  add_text_element(node, "pubDate", format_rfc822(entry_date(item)));
  if (!a.author.empty()) add_text_element(node, "dc:creator", inert_text(a.author));
  if (!a.source.empty()) add_text_element(node, "dc:source", inert_text(a.source));
  if (!a.editor.empty()) add_text_element(node, "dc:contributor", inert_text(a.editor));
  // Readers render <description> as HTML: it holds the excerpt escaped as HTML, text only.
  const std::string summary = excerpt(a.text);
  if (!summary.empty()) add_text_element(node, "description", text_as_html(summary));
  // Escaped text rather than CDATA: content may itself contain "]]>".
  if (!a.content_html.empty()) {
    add_text_element(node, "content:encoded", content_html_of(feed, a));
  }
}

}  // namespace

std::string render_rss(const FeedInfo& feed, const std::vector<FeedItem>& items) {
  pugi::xml_document doc;
  add_declaration(doc);
  pugi::xml_node rss = doc.append_child("rss");
  set_attr(rss, "version", "2.0");
  set_attr(rss, "xmlns:content", "http://purl.org/rss/1.0/modules/content/");
  set_attr(rss, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  set_attr(rss, "xmlns:atom", "http://www.w3.org/2005/Atom");
  set_attr(rss, "xmlns:sy", "http://purl.org/rss/1.0/modules/syndication/");
  if (feed.archive_page > 0) set_attr(rss, "xmlns:fh", "http://purl.org/syndication/history/1.0");
  pugi::xml_node channel = rss.append_child("channel");
  add_channel_head(channel, feed);
  if (const std::string lang = agreed_language(items); !lang.empty()) {
    add_text_element(channel, "language", lang);
  }
  for (const FeedItem& item : items) add_item(channel, feed, item);
  return to_xml_string(doc);
}

}  // namespace fg::render
