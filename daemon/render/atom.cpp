// Atom 1.0 (RFC 4287).
#include <string>

#include "core/text.hpp"
#include "render/feed_common.hpp"
#include "render/render.hpp"
#include "render/xml_out.hpp"

namespace fg::render {

namespace {

void add_link(pugi::xml_node parent, std::string_view rel, std::string_view href,
              std::string_view type = {}) {
  pugi::xml_node link = parent.append_child("link");
  set_attr(link, "rel", rel);
  if (!type.empty()) set_attr(link, "type", type);
  set_attr(link, "href", href);
}

void add_author(pugi::xml_node parent, std::string_view name) {
  add_text_element(parent.append_child("author"), "name", inert_text(name));
}

// RFC 5005 links: an archive page says so and points at the current feed and its neighbours;
// the current feed points at the newest archive page.
void add_archive_links(pugi::xml_node root, const FeedInfo& feed) {
  constexpr std::string_view kType = "application/atom+xml";
  if (feed.archive_page > 0) {
    root.append_child("fh:archive");
    add_link(root, "current", feed_url(feed.self_base, feed.id, "atom"), kType);
  }
  if (feed.prev_archive > 0) {
    add_link(root, "prev-archive", archive_url(feed.self_base, feed.id, feed.prev_archive, "atom"),
             kType);
  }
  if (feed.next_archive > 0) {
    add_link(root, "next-archive", archive_url(feed.self_base, feed.id, feed.next_archive, "atom"),
             kType);
  }
}

void add_feed_head(pugi::xml_node root, const FeedInfo& feed) {
  // One feed, one id: archive pages carry the current feed's id (RFC 5005 section 4).
  add_text_element(root, "id", feed_url(feed.self_base, feed.id, "atom"));
  add_text_element(root, "title", inert_text(feed.title));
  if (!feed.description.empty()) add_text_element(root, "subtitle", inert_text(feed.description));
  add_text_element(root, "updated", format_rfc3339(feed.updated));
  add_link(root, "self", document_url(feed, "atom"), "application/atom+xml");
  if (feed.archive_page == 0 && !feed.hub_url.empty()) add_link(root, "hub", feed.hub_url, "");
  add_archive_links(root, feed);
  add_link(root, "alternate", feed.source_url, "text/html");
  // Entries without a writer inherit this author, which keeps the feed valid (RFC 4287 4.1.1).
  add_author(root, feed.title);
  add_text_element(root, "generator", "feedgate");
}

void add_entry(pugi::xml_node root, const FeedInfo& feed, const FeedItem& item) {
  const Article& a = item.article;
  pugi::xml_node entry = root.append_child("entry");
  // The article URL is stable across restarts and re-polls, unlike any database id.
  add_text_element(entry, "id", a.url);
  add_text_element(entry, "title", inert_text(a.title));
  add_link(entry, "alternate", a.url, "text/html");
  if (a.published) add_text_element(entry, "published", format_rfc3339(*a.published));
  add_text_element(entry, "updated", format_rfc3339(entry_date(item), true));
  // The writer only: a source (新华网) is not who wrote it, and entries without a writer have the
  // feed's author.
  if (!trim(a.author).empty()) add_author(entry, a.author);
  if (!trim(a.source).empty()) add_text_element(entry, "dc:source", inert_text(a.source));
  if (!trim(a.editor).empty()) add_text_element(entry, "dc:contributor", inert_text(a.editor));
  const std::string summary = excerpt(a.text);
  // type="html" holding escaped text: shown right by readers that honour the type and inert in
  // those that render every summary as HTML (a type="text" summary is live markup there).
  if (!summary.empty()) {
    set_attr(add_text_element(entry, "summary", text_as_html(summary)), "type", "html");
  }
  if (!a.content_html.empty()) {
    set_attr(add_text_element(entry, "content", content_html_of(feed, a)), "type", "html");
  }
}

}  // namespace

std::string render_atom(const FeedInfo& feed, const std::vector<FeedItem>& items) {
  pugi::xml_document doc;
  add_declaration(doc);
  pugi::xml_node root = doc.append_child("feed");
  set_attr(root, "xmlns", "http://www.w3.org/2005/Atom");
  set_attr(root, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  if (const std::string lang = agreed_language(items); !lang.empty()) {
    set_attr(root, "xml:lang", lang);
  }
  if (feed.archive_page > 0) set_attr(root, "xmlns:fh", "http://purl.org/syndication/history/1.0");
  add_feed_head(root, feed);
  if (const std::string site = agreed_site_name(items); !site.empty()) {
    // The portal the items come from names the feed's author better than the feed's title.
    root.child("author").child("name").text().set(inert_text(site).c_str());
  }
  for (const FeedItem& item : items) add_entry(root, feed, item);
  return to_xml_string(doc);
}

}  // namespace fg::render
