// Charset aliases and conversion. Aliases follow what browsers do (WHATWG Encoding), so a
// page declaring "gb2312" decodes the way its authors saw it: as GB18030.

#include "decode/convert.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstddef>

#include "core/text.hpp"

namespace fg::decode {

namespace {

struct Alias {
  std::string_view label;
  std::string_view name;
  std::string_view iconv_name;
};

constexpr Alias kAliases[] = {
    {"utf-8", "UTF-8", "UTF-8"},
    {"utf8", "UTF-8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8", "UTF-8"},
    {"gb18030", "GB18030", "GB18030"},
    {"gb2312", "GB18030", "GB18030"},
    {"gbk", "GB18030", "GB18030"},
    {"x-gbk", "GB18030", "GB18030"},
    {"cp936", "GB18030", "GB18030"},
    {"windows-936", "GB18030", "GB18030"},
    {"gb_2312-80", "GB18030", "GB18030"},
    {"gb_2312", "GB18030", "GB18030"},
    {"csgb2312", "GB18030", "GB18030"},
    {"euc-cn", "GB18030", "GB18030"},
    {"chinese", "GB18030", "GB18030"},
    {"big5", "Big5", "BIG5-HKSCS"},
    {"big5-hkscs", "Big5", "BIG5-HKSCS"},
    {"cn-big5", "Big5", "BIG5-HKSCS"},
    {"x-x-big5", "Big5", "BIG5-HKSCS"},
    {"csbig5", "Big5", "BIG5-HKSCS"},
    // Browsers decode every "Latin-1" label as windows-1252 (0x80-0x9F are printable there).
    {"latin1", "windows-1252", "WINDOWS-1252"},
    {"iso-8859-1", "windows-1252", "WINDOWS-1252"},
    {"iso8859-1", "windows-1252", "WINDOWS-1252"},
    {"us-ascii", "windows-1252", "WINDOWS-1252"},
    {"ascii", "windows-1252", "WINDOWS-1252"},
    {"windows-1252", "windows-1252", "WINDOWS-1252"},
    {"cp1252", "windows-1252", "WINDOWS-1252"},
    {"shift_jis", "Shift_JIS", "CP932"},
    {"shift-jis", "Shift_JIS", "CP932"},
    {"sjis", "Shift_JIS", "CP932"},
    {"x-sjis", "Shift_JIS", "CP932"},
    {"windows-31j", "Shift_JIS", "CP932"},
    {"euc-jp", "EUC-JP", "EUC-JP"},
    {"euc-kr", "EUC-KR", "CP949"},
    {"ks_c_5601-1987", "EUC-KR", "CP949"},
    {"windows-949", "EUC-KR", "CP949"},
    {"koi8-r", "KOI8-R", "KOI8-R"},
    {"koi8-u", "KOI8-U", "KOI8-U"},
    {"utf-16le", "UTF-16LE", "UTF-16LE"},
    {"utf-16", "UTF-16LE", "UTF-16LE"},
    {"utf-16be", "UTF-16BE", "UTF-16BE"},
};

// Labels passed straight to iconv must look like charset names, not like "UTF-8//TRANSLIT".
bool plausible_label(std::string_view label) {
  if (label.empty() || label.size() > 40) return false;
  for (const char c : label) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool iconv_knows(const std::string& iconv_name) {
  const iconv_t cd = iconv_open("UTF-8", iconv_name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  iconv_close(cd);
  return true;
}

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid; `consumed` is then the
// maximal invalid subpart (at least 1), which becomes a single U+FFFD.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t& consumed) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  consumed = 1;
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return 0;
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < lo || b > hi) return 0;
    lo = 0x80, hi = 0xBF;
    consumed = k + 1;
  }
  return len;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

}  // namespace

std::optional<Charset> find_charset(std::string_view label) {
  const std::string lower = ascii_lower(trim(label));
  for (const Alias& a : kAliases) {
    if (a.label == lower) return Charset{std::string(a.name), std::string(a.iconv_name)};
  }
  if (!plausible_label(lower)) return std::nullopt;
  // windows-1251, iso-8859-5, ...: whatever glibc knows, under the label's own spelling.
  std::string upper = lower;
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (!iconv_knows(upper)) return std::nullopt;
  return Charset{lower, upper};
}

std::string repair_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t copied = 0;  // bytes[0, copied) are in `out`; valid runs are copied at once
  for (std::size_t i = 0; i < bytes.size();) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t consumed = 0;
    const std::size_t len = utf8_sequence(bytes, i, consumed);
    if (len == 0) {
      out.append(bytes.substr(copied, i - copied));
      out += kReplacement;
      i += consumed;
      copied = i;
    } else {
      i += len;
    }
  }
  out.append(bytes.substr(copied));
  return out;
}

Result<std::string> convert_to_utf8(std::string_view bytes, const Charset& charset) {
  if (charset.iconv_name == "UTF-8") return repair_utf8(bytes);
  const iconv_t cd = iconv_open("UTF-8", charset.iconv_name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return make_error(Errc::charset, "iconv cannot convert from " + charset.iconv_name +
                                         "; set another charset in the recipe");
  }
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());  // iconv's signature is not const-correct
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (true) {
    char* dst = out.data() + used;
    std::size_t dst_left = out.size() - used;
    const std::size_t rc = in_left == 0 ? iconv(cd, nullptr, nullptr, &dst, &dst_left)
                                        : iconv(cd, &in, &in_left, &dst, &dst_left);
    used = out.size() - dst_left;
    if (rc != static_cast<std::size_t>(-1)) {
      if (in_left == 0) break;  // the flush above has run too
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    if (in_left == 0) break;  // a failed flush: nothing left to skip
    // EILSEQ (invalid) or EINVAL (truncated at the end): mark it, skip one byte, go on.
    out.replace(used, kReplacement.size(), kReplacement);
    used += kReplacement.size();
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset any shift state
    if (out.size() - used < 16) out.resize(out.size() * 2);
  }
  iconv_close(cd);
  out.resize(used);
  return out;
}

}  // namespace fg::decode
