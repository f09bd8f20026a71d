#include "render/xml_out.hpp"

#include "core/text.hpp"

namespace fg::render {

namespace {

class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override {
    out_.append(static_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

}  // namespace

void add_declaration(pugi::xml_document& doc) {
  pugi::xml_node decl = doc.prepend_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
}

pugi::xml_node add_text_element(pugi::xml_node parent, const char* name, std::string_view text) {
  pugi::xml_node node = parent.append_child(name);
  const std::string safe = xml_safe_utf8(text);
  if (!safe.empty()) node.append_child(pugi::node_pcdata).set_value(safe.c_str());
  return node;
}

void set_attr(pugi::xml_node node, const char* name, std::string_view value) {
  node.append_attribute(name) = xml_safe_utf8(value).c_str();
}

std::string to_xml_string(const pugi::xml_document& doc) {
  std::string out;
  StringWriter writer(out);
  doc.save(writer, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out;
}

}  // namespace fg::render
