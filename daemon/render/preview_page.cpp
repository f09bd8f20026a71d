// The /preview page (preview_page.hpp). Every string from the fetched pages passes through
// html_escape on its way in; the article body is the normalize stage's sanitized HTML.
#include "render/preview_page.hpp"

#include <cstdio>
#include <string>
#include <string_view>

#include "render/feed_common.hpp"
#include "render/render.hpp"

namespace fg::render {

namespace {

std::string html_escape(std::string_view text) {
  return text_as_html(text, true);
}

constexpr std::string_view kHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>feedgate · preview</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa;line-height:1.45}
main{max-width:60rem;margin:0 auto;padding:1em}
h1{font-size:1.5em;margin:.3em 0}
h2{font-size:1.2em;margin:1.4em 0 .4em;border-bottom:1px solid #ddd}
label{display:block;margin:.5em 0;font-weight:600}
input{display:block;box-sizing:border-box;width:100%;padding:.5em;font:inherit;font-weight:400;
border:1px solid #bbb;border-radius:4px;background:#fff}
button{margin-top:.8em;padding:.6em 1.4em;font:inherit;border:0;border-radius:4px;
background:#2a6;color:#fff}
details{margin:.6em 0}
.refusal{border-left:4px solid #a00;background:#fee;padding:.6em .8em;color:#600}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{white-space:nowrap}
.rule,code{overflow-wrap:anywhere}
td.rule{width:38%}
.rule,.why,small{color:#666;font-size:.85em}
.url,a{word-break:break-all}
ol{padding-left:1.6em}
li{margin:.3em 0}
.body{background:#fff;border:1px solid #ddd;padding:.2em 1em;overflow-wrap:anywhere}
.body img{max-width:100%;height:auto}
pre{background:#fff;border:1px solid #ddd;padding:.8em;overflow-x:auto}
</style>
</head>
<body>
<main>
<h1>Add a portal</h1>
<p>Paste the URL of a channel page (the list of articles). feedgate fetches it as a poll would
and shows the links it would follow, the first article as the feed would carry it, and an entry
for the config.</p>
)";

std::string input(std::string_view id, std::string_view label, std::string_view value,
                  std::string_view type = "text", std::string_view hint = "") {
  std::string out = "<label for=\"" + std::string(id) + "\">" + std::string(label);
  if (!hint.empty()) out += " <small>" + std::string(hint) + "</small>";
  out += "</label>\n<input id=\"" + std::string(id) + "\" name=\"" + std::string(id) +
         "\" type=\"" + std::string(type) + "\" value=\"" + html_escape(value) + "\">\n";
  return out;
}

std::string form_html(const PreviewPage& page) {
  const PreviewForm& f = page.form;
  std::string out = "<form method=\"post\" action=\"/preview\" id=\"preview-form\">\n";
  out +=
      "<label for=\"url\">Channel page URL</label>\n<input id=\"url\" name=\"url\" "
      "type=\"url\" required placeholder=\"https://news.example.cn/gnxw/\" value=\"" +
      html_escape(f.url) + "\">\n";
  if (page.asks_token) out += input("token", "Token", "", "password", "(this server asks for it)");
  out += f.any_optional() ? "<details open>" : "<details>";
  out += "<summary>Fix what feedgate gets wrong (optional)</summary>\n";
  out += input("charset", "Charset", f.charset, "text", "(gbk, gb18030, big5…)");
  out += input("links", "Links selector", f.links, "text", "(CSS, e.g. ul.list li > a)");
  out += input("link_pattern", "Link pattern", f.link_pattern, "text", "(regex over link URLs)");
  out += input("title", "Title selector", f.title);
  out += input("published", "Time selector", f.published);
  out += input("author", "Author selector", f.author);
  out += input("source", "Source selector", f.source);
  out += input("content", "Body selector", f.content);
  out += input("remove", "Remove selector", f.remove, "text", "(taken out of articles first)");
  out += "</details>\n<button type=\"submit\">Preview</button>\n</form>\n";
  return out;
}

std::string links_html(const PreviewResult& r) {
  std::string out = "<section id=\"found-links\">\n<h2>" + std::to_string(r.links.size()) +
                    " article links</h2>\n<p class=\"why\">From <span class=\"url\">" +
                    html_escape(r.page_url) + "</span>, read at <time>" + html_escape(r.fetched) +
                    "</time>; " +
                    (r.links_by_selector ? "chosen by the links selector."
                                         : "found by list discovery (groups below).") +
                    "</p>\n<ol>\n";
  for (const PreviewLink& link : r.links) {
    out += "<li><a href=\"" + html_escape(link.url) + "\" rel=\"noopener noreferrer nofollow\">" +
           html_escape(link.text.empty() ? link.url : link.text) + "</a>";
    if (!link.date.empty()) {
      out += " <time>" + html_escape(link.date) + "</time> <small>from “" +
             html_escape(link.date_text) + "”</small>";
    }
    out += "</li>\n";
  }
  return out + "</ol>\n</section>\n";
}

// The rule an explain line gives a field ("title: <h1>" → "<h1>"); empty when none.
std::string rule_for(const std::vector<std::string>& rules, std::string_view field) {
  std::string found;
  for (const std::string& line : rules) {
    if (line.size() > field.size() + 1 && line.starts_with(field) && line[field.size()] == ':') {
      if (!found.empty()) found += "; ";
      found += line.substr(field.size() + 2);
    }
  }
  return found;
}

bool is_field_rule(const std::string& line) {
  for (std::string_view field : {"title:", "published:", "author:", "source:", "editor:"}) {
    if (line.starts_with(field)) return true;
  }
  return false;
}

std::string field_row(std::string_view name, std::string_view label, std::string_view value,
                      const std::vector<std::string>& rules) {
  return "<tr id=\"field-" + std::string(name) + "\"><th>" + std::string(label) +
         "</th><td class=\"value\">" + html_escape(value) + "</td><td class=\"rule\">" +
         html_escape(rule_for(rules, name)) + "</td></tr>\n";
}

std::string article_html(const PreviewResult& r) {
  std::string out = "<section id=\"found-article\">\n<h2>First article</h2>\n";
  if (!r.article) {
    return out + "<p class=\"refusal\">" + html_escape(r.article_error) + "</p>\n</section>\n";
  }
  const Article& a = *r.article;
  out += "<p class=\"url\"><a href=\"" + html_escape(a.url) +
         "\" rel=\"noopener noreferrer nofollow\">" + html_escape(a.url) + "</a></p>\n";
  out += "<div class=\"scroll\"><table>\n<tr><th>field</th><th>value</th><th>rule</th></tr>\n";
  out += field_row("title", "title", a.title, r.rules);
  out += field_row("published", "time", a.published ? format_rfc3339(*a.published) : "", r.rules);
  out += field_row("author", "作者 author", a.author, r.rules);
  out += field_row("source", "来源 source", a.source, r.rules);
  out += field_row("editor", "编辑 editor", a.editor, r.rules);
  out += "</table></div>\n<h3>Body as readers will see it</h3>\n";
  FeedInfo as_fed;  // the feed entry pasted as is keeps byline_in_content's default
  out += "<div class=\"body\" id=\"article-body\">\n" + content_html_of(as_fed, a) + "\n</div>\n";
  std::string others;
  for (const std::string& line : r.rules) {
    if (!is_field_rule(line)) others += "<li>" + html_escape(line) + "</li>\n";
  }
  if (!others.empty()) {
    out += "<details><summary>How the body was chosen</summary><ul class=\"rule\">\n" + others +
           "</ul></details>\n";
  }
  return out + "</section>\n";
}

std::string groups_html(const PreviewResult& r) {
  std::string out = "<section id=\"found-groups\">\n<h2>Link groups</h2>\n";
  if (r.links_by_selector) {
    out +=
        "<p class=\"why\">The links selector chose the links; discovery shown for "
        "comparison.</p>\n";
  }
  out +=
      "<div class=\"scroll\"><table>\n<tr><th>verdict</th><th>score</th><th>links</th>"
      "<th>why</th><th>where</th></tr>\n";
  char score[32];
  for (const PreviewGroup& g : r.groups) {
    std::snprintf(score, sizeof score, "%.2f", g.score);
    out += "<tr class=\"group-" + html_escape(g.verdict) + "\"><td>" + html_escape(g.verdict) +
           "</td><td>" + score + "</td><td>" + std::to_string(g.links) + "</td><td>" +
           html_escape(g.reason) + "</td><td><code class=\"url\">" + html_escape(g.path) +
           "</code>";
    if (!g.example.empty()) out += "<br><small>e.g. " + html_escape(g.example) + "</small>";
    out += "</td></tr>\n";
  }
  return out + "</table></div>\n</section>\n";
}

std::string yaml_html(const PreviewResult& r) {
  return "<section id=\"found-yaml\">\n<h2>Config entry</h2>\n<p class=\"why\">Paste it under "
         "<code>feeds:</code> and run <code>feedgate check</code>; this page never writes the "
         "config.</p>\n<pre id=\"yaml-entry\">" +
         html_escape(r.yaml) + "</pre>\n</section>\n";
}

}  // namespace

std::string render_preview_page(const PreviewPage& page) {
  std::string out(kHead);
  if (!page.refusal.empty()) {
    out += "<p class=\"refusal\" id=\"refusal\" role=\"alert\">" + html_escape(page.refusal) +
           "</p>\n";
  }
  out += form_html(page);
  if (page.result) {
    out += links_html(*page.result);
    out += article_html(*page.result);
    out += yaml_html(*page.result);
    out += groups_html(*page.result);
  }
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace fg::render
