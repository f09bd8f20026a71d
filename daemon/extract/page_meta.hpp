#pragma once
// What a page says about itself before any of its text is read: JSON-LD, <meta> tags, <html lang>
// and the labelled fields CMSs leave in inline scripts. Internal to the extract module.

#include <string>

#include "parse/dom.hpp"

namespace fg::extract::detail {

struct PageMeta {
  std::string doc_title;         // <title>, collapsed
  std::string og_title;          // og:title
  std::string headline;          // JSON-LD headline of an Article-like object
  std::string site_name;         // og:site_name, else JSON-LD publisher name
  std::string language;          // <html lang>, else content-language / og:locale
  std::string ld_published;      // JSON-LD datePublished (raw)
  std::string meta_published;    // the highest-ranked publication-time <meta> (raw)
  std::string ld_author;         // JSON-LD author name(s), joined with a space
  std::string meta_author;       // <meta name=author>
  std::string script_author;     // "author": '唐霁' in an inline script object
  std::string script_source;     // source: '南方都市报' in an inline script object
  std::string script_published;  // publish_time / var ct = "1581517074" in an inline script (raw)
};

// Reads the page's own metadata. Call before scripts are taken out of the page.
PageMeta read_page_meta(parse::Document& page);

// The value of `key` in inline-script object syntax (`key: 'v'`, `"key" : "v"`, `key = "v"`)
// when it is a short human name with at least one non-ASCII character; else empty.
std::string script_field(std::string_view script, std::string_view key);

// The publication time platforms keep in their page scripts (WeChat's `var ct = "1581517074"`,
// `publish_time: '2020-03-09 18:14:21'`), raw: Unix seconds or milliseconds, or a date; else
// empty. Only keys that name the publication (kScriptTimeKeys), never a page's clock.
std::string script_time(std::string_view script);

}  // namespace fg::extract::detail
