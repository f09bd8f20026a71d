// The /preview form in and the config entry out (preview.hpp).
#include <array>
#include <string>
#include <string_view>

#include "core/text.hpp"
#include "core/url.hpp"
#include "pipeline/preview.hpp"

namespace fg::pipeline {

namespace {

// Where each form field goes; the table is the one place that names them.
using FormField = std::string render::PreviewForm::*;
struct NamedField {
  std::string_view name;
  FormField field;
};
constexpr std::array<NamedField, 10> kFormFields = {{
    {"url", &render::PreviewForm::url},
    {"charset", &render::PreviewForm::charset},
    {"links", &render::PreviewForm::links},
    {"link_pattern", &render::PreviewForm::link_pattern},
    {"title", &render::PreviewForm::title},
    {"published", &render::PreviewForm::published},
    {"author", &render::PreviewForm::author},
    {"source", &render::PreviewForm::source},
    {"content", &render::PreviewForm::content},
    {"remove", &render::PreviewForm::remove},
}};

// Longest feed id `feedgate check` accepts.
constexpr std::size_t kMaxIdLength = 64;

// A YAML double-quoted scalar: backslash, quote and control characters escaped, so that
// whatever was typed stays one string.
std::string yaml_quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Lower-case letters and digits, every other run of characters one '-'.
void append_slug(std::string& out, std::string_view text) {
  for (char c : text) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (keep) {
      out += lower;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
}

// The last path segment that names something ("gnxw" of "/gnxw/index.html"); empty for "/".
std::string_view last_segment(std::string_view url) {
  const std::size_t scheme = url.find("://");
  std::string_view path = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  path = path.substr(0, path.find_first_of("?#"));
  const std::size_t slash = path.find('/');
  path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  while (!path.empty()) {
    while (path.ends_with('/')) path.remove_suffix(1);
    const std::string_view segment = path.substr(path.rfind('/') + 1);
    const std::string_view stem = segment.substr(0, segment.find('.'));
    if (!stem.empty() && stem != "index" && stem != "default") return stem;
    path = path.substr(0, path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/'));
  }
  return {};
}

}  // namespace

PreviewAsk read_preview_ask(std::string_view urlencoded) {
  PreviewAsk ask;
  for (const auto& [name, value] : query_parameters(urlencoded)) {
    if (name == "token") ask.token = value;
    for (const NamedField& f : kFormFields) {
      if (name == f.name) ask.form.*f.field = std::string(trim(value));
    }
  }
  return ask;
}

config::FeedConfig preview_feed(const render::PreviewForm& form) {
  config::FeedConfig feed;
  feed.id = preview_feed_id(form.url);
  feed.url = form.url;
  feed.charset = form.charset;
  feed.links = form.links;
  feed.link_pattern = form.link_pattern;
  feed.article.title = form.title;
  feed.article.published = form.published;
  feed.article.author = form.author;
  feed.article.source = form.source;
  feed.article.content = form.content;
  if (!form.remove.empty()) feed.article.remove = {form.remove};
  return feed;
}

std::string preview_feed_id(std::string_view url) {
  std::string host = url_host(url);
  if (host.starts_with("www.")) host.erase(0, 4);
  std::string id;
  append_slug(id, host);
  const std::string_view segment = last_segment(url);
  if (!segment.empty()) {
    if (!id.empty() && id.back() != '-') id += '-';
    append_slug(id, segment);
  }
  if (id.size() > kMaxIdLength) id.resize(kMaxIdLength);
  while (!id.empty() && id.back() == '-') id.pop_back();
  while (!id.empty() && id.front() == '-') id.erase(0, 1);
  return id.empty() ? "portal" : id;
}

std::string preview_yaml(const render::PreviewForm& form, std::string_view title) {
  std::string out = "  - id: " + preview_feed_id(form.url) + "\n";
  out += "    title: " + yaml_quoted(title) + "\n";
  out += "    url: " + yaml_quoted(form.url) + "\n";
  const auto key = [&](std::string_view name, const std::string& value, std::string_view indent) {
    if (!value.empty())
      out += std::string(indent) + std::string(name) + ": " + yaml_quoted(value) + "\n";
  };
  key("charset", form.charset, "    ");
  key("links", form.links, "    ");
  key("link_pattern", form.link_pattern, "    ");
  const std::string selectors =
      form.title + form.published + form.author + form.source + form.content + form.remove;
  if (selectors.empty()) return out;
  out += "    article:\n";
  key("title", form.title, "      ");
  key("published", form.published, "      ");
  key("author", form.author, "      ");
  key("source", form.source, "      ");
  key("content", form.content, "      ");
  if (!form.remove.empty()) out += "      remove: [" + yaml_quoted(form.remove) + "]\n";
  return out;
}

}  // namespace fg::pipeline
