// The language of a page whose markup does not say it right, guessed from its script: only where
// the script decides it (Han alone is Chinese, Han with kana Japanese, Hangul Korean).

#include <cctype>

#include "core/text.hpp"
#include "extract/article_parts.hpp"

namespace fg::extract::detail {

std::string guess_language(std::string_view text) {
  std::size_t han = 0, kana = 0, hangul = 0, latin = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = next_code_point(text, i);
    if (is_han(cp)) ++han;
    if (cp >= 0x3040 && cp <= 0x30FF) ++kana;
    if (cp >= 0xAC00 && cp <= 0xD7AF) ++hangul;
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ++latin;
  }
  const std::size_t letters = han + kana + hangul + latin;
  if (letters < 20) return {};  // too little text to say
  if (hangul * 2 > letters) return "ko";
  if (kana * 20 >= han + kana && (han + kana) * 2 > letters) return "ja";
  if (han * 2 > letters && kana * 20 < han && hangul * 20 < han) return "zh";
  return {};
}

namespace {

// "zh-CN", "en", "zh-cmn-Hans": a primary subtag of 2-3 letters, then subtags of 2-8 letters or
// digits, separated by '-' or '_' ("utf-8" is not one).
bool is_language_tag(std::string_view tag) {
  std::size_t run = 0, subtags = 0;
  for (std::size_t i = 0; i <= tag.size(); ++i) {
    if (i == tag.size() || tag[i] == '-' || tag[i] == '_') {
      const bool primary = subtags++ == 0;
      if (primary ? (run < 2 || run > 3) : (run < 2 || run > 8)) return false;
      run = 0;
    } else if (std::isalnum(static_cast<unsigned char>(tag[i])) &&
               (subtags > 0 || std::isalpha(static_cast<unsigned char>(tag[i])))) {
      ++run;
    } else {
      return false;
    }
  }
  return true;
}

// Languages written in Han, kana or Hangul, by primary subtag.
bool is_cjk_language(std::string_view tag) {
  const std::string primary = ascii_lower(tag.substr(0, tag.find_first_of("-_")));
  for (std::string_view l : {"zh", "ja", "ko", "cmn", "yue", "wuu", "lzh", "hak", "nan"}) {
    if (primary == l) return true;
  }
  return false;
}

}  // namespace

std::string settle_language(const std::string& declared, const std::string& guessed) {
  if (!is_language_tag(declared)) return guessed;
  if (!guessed.empty() && !is_cjk_language(declared)) return guessed;
  return declared;
}

}  // namespace fg::extract::detail
