// Choosing the charset (override > BOM > header > meta > detection) and decoding with it.

#include "decode/decode.hpp"

#include <uchardet.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "core/text.hpp"
#include "decode/convert.hpp"
#include "decode/sniff.hpp"

namespace fg::decode {

namespace {

// Detection looks at a prefix: enough for a confident answer, bounded for huge pages.
constexpr std::size_t kDetectLimit = 256 * 1024;

struct UchardetDeleter {
  void operator()(uchardet* d) const { uchardet_delete(d); }
};

// uchardet's guess, lower-case; empty when it has none.
std::string detect_with_uchardet(std::string_view bytes) {
  std::unique_ptr<uchardet, UchardetDeleter> detector(uchardet_new());
  if (!detector) return {};
  const std::string_view sample = bytes.substr(0, kDetectLimit);
  if (uchardet_handle_data(detector.get(), sample.data(), sample.size()) != 0) return {};
  uchardet_data_end(detector.get());
  const char* name = uchardet_get_charset(detector.get());
  return name == nullptr ? std::string() : ascii_lower(name);
}

struct Choice {
  Charset charset;
  std::string how;
};

// Detection for pages that declare nothing. Without an answer, valid UTF-8 is UTF-8 and
// anything else is most likely GB18030: the common case for the Chinese portals we read.
Choice detect(std::string_view bytes) {
  const std::string guess = detect_with_uchardet(bytes);
  if (!guess.empty() && guess != "ascii") {
    if (auto cs = find_charset(guess)) return {std::move(*cs), "detected"};
  }
  const char* fallback = is_valid_utf8(bytes) ? "utf-8" : "gb18030";
  return {*find_charset(fallback), "default"};
}

Error unknown_charset(std::string_view label, std::string_view source) {
  return make_error(Errc::charset,
                    "unknown charset \"" + std::string(label) + "\" (" + std::string(source) +
                        "); set a known charset in the recipe (e.g. gbk, big5, utf-8)");
}

// The charset of a <meta> tag. HTML says a page that is readable as ASCII cannot be UTF-16,
// so a <meta> naming UTF-16 means UTF-8.
std::optional<Charset> meta_charset(std::string_view label) {
  auto cs = find_charset(label);
  if (cs && cs->name.rfind("UTF-16", 0) == 0) return find_charset("utf-8");
  return cs;
}

// A page re-saved as UTF-8 by a tool or CMS that kept its old <meta charset=gbk>: its bytes are
// valid UTF-8 with non-ASCII characters, which text really written in GBK, Big5 or a Windows code
// page practically never is (their lead bytes are not followed by UTF-8 continuation bytes).
// Only the <meta> is overruled this way; an HTTP header or a recipe still decides.
bool utf8_despite_meta(std::string_view bytes, const Charset& declared) {
  if (declared.name == "UTF-8") return false;
  const bool non_ascii = std::any_of(bytes.begin(), bytes.end(),
                                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  return non_ascii && is_valid_utf8(bytes);
}

Result<Choice> choose(std::string_view bytes, std::string_view content_type,
                      std::string_view override_charset, const Bom& bom) {
  if (!trim(override_charset).empty()) {
    auto cs = find_charset(override_charset);
    if (!cs) return unknown_charset(override_charset, "recipe override");
    return Choice{std::move(*cs), "override"};
  }
  if (!bom.charset.empty()) return Choice{*find_charset(bom.charset), "bom"};
  const std::string header = charset_from_content_type(content_type);
  if (!header.empty()) {
    auto cs = find_charset(header);
    if (!cs) return unknown_charset(header, "Content-Type header");
    return Choice{std::move(*cs), "header"};
  }
  const std::string meta = charset_from_meta(bytes);
  if (!meta.empty()) {
    // An unknown <meta> charset is ignored, as browsers do, and detection takes over.
    if (auto cs = meta_charset(meta)) {
      if (utf8_despite_meta(bytes, *cs)) return Choice{*find_charset("utf-8"), "utf-8 bytes"};
      return Choice{std::move(*cs), "meta"};
    }
  }
  return detect(bytes);
}

}  // namespace

Result<Decoded> to_utf8(std::string_view bytes, std::string_view content_type,
                        std::string_view override_charset) {
  const Bom bom = detect_bom(bytes);
  auto choice = choose(bytes, content_type, override_charset, bom);
  if (!choice) return choice.error();
  // The BOM is not text; drop it when it belongs to the charset in use.
  std::string_view body = bytes;
  const auto bom_charset = bom.charset.empty() ? std::nullopt : find_charset(bom.charset);
  if (bom_charset && bom_charset->name == choice->charset.name) body.remove_prefix(bom.length);
  auto text = convert_to_utf8(body, choice->charset);
  if (!text) return text.error();
  Decoded out;
  out.text = std::move(*text);
  out.charset = std::move(choice->charset.name);
  out.how = std::move(choice->how);
  return out;
}

}  // namespace fg::decode
