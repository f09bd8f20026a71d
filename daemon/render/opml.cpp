// OPML 2.0 subscription list, so a reader can subscribe to every feed at once.
#include <string>

#include "render/feed_common.hpp"
#include "render/render.hpp"
#include "render/xml_out.hpp"

namespace fg::render {

std::string render_opml(const std::vector<FeedInfo>& feeds, const std::string& self_base) {
  pugi::xml_document doc;
  add_declaration(doc);
  pugi::xml_node opml = doc.append_child("opml");
  set_attr(opml, "version", "2.0");
  add_text_element(opml.append_child("head"), "title", "feedgate");
  pugi::xml_node body = opml.append_child("body");
  for (const FeedInfo& feed : feeds) {
    pugi::xml_node outline = body.append_child("outline");
    set_attr(outline, "type", "rss");  // OPML's one type for any syndication feed
    set_attr(outline, "text", feed.title);
    set_attr(outline, "title", feed.title);
    set_attr(outline, "xmlUrl", feed_url(self_base, feed.id, "atom"));
    set_attr(outline, "htmlUrl", feed.source_url);
  }
  return to_xml_string(doc);
}

}  // namespace fg::render
