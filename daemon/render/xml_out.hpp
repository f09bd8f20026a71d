#pragma once
// Module-private pugixml helpers: every string reaching XML passes through here, so the
// XML-safety rule (no forbidden control characters, valid UTF-8) is enforced in one place.

#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace fg::render {

// Adds <?xml version="1.0" encoding="utf-8"?> as the document's first node.
void add_declaration(pugi::xml_document& doc);

// Appends <name>text</name> with text made XML-safe; returns the new element.
pugi::xml_node add_text_element(pugi::xml_node parent, const char* name, std::string_view text);

// Sets an attribute with its value made XML-safe.
void set_attr(pugi::xml_node node, const char* name, std::string_view value);

// Serializes the document, indented by two spaces.
std::string to_xml_string(const pugi::xml_document& doc);

}  // namespace fg::render
