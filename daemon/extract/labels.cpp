#include "extract/labels.hpp"

#include <array>
#include <optional>
#include <vector>

#include "core/text.hpp"
#include "extract/lexicon.hpp"

namespace fg::extract {

namespace {

using Field = lexicon::LabelField;
using lexicon::kLabels;

struct Entry {
  Field field;
  std::string value;
};

std::size_t utf8_len(char lead) {
  const auto c = static_cast<unsigned char>(lead);
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// Length of a space (ASCII, U+3000, U+00A0) at s[i], or 0.
std::size_t space_at(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 1;
  if (s.substr(i, 2) == "\xC2\xA0") return 2;
  if (s.substr(i, 3) == "\xE3\x80\x80") return 3;
  return 0;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    const std::size_t n = space_at(s, i);
    if (n == 0) break;
    i += n;
  }
  return i;
}

// Length of a character that ends a value (spaces, bars, brackets, sentence punctuation), or 0.
std::size_t separator_at(std::string_view s, std::size_t i) {
  if (const std::size_t n = space_at(s, i)) return n;
  static constexpr std::string_view kAscii = "|[](),;";
  if (kAscii.find(s[i]) != std::string_view::npos) return 1;
  static constexpr std::array<std::string_view, 13> kWide = {
      "丨", "｜", "【", "】", "（", "）", "〔", "〕", "，", "；", "。", "《", "》"};
  for (std::string_view sep : kWide) {
    if (s.substr(i, sep.size()) == sep) return sep.size();
  }
  return 0;
}

std::size_t colon_at(std::string_view s, std::size_t i, bool slash_too) {
  if (i >= s.size()) return 0;
  if (s[i] == ':' || (slash_too && s[i] == '/')) return 1;
  if (s.substr(i, 3) == "：" || (slash_too && s.substr(i, 3) == "／")) return 3;
  return 0;
}

struct LabelMatch {
  Field field;
  std::size_t value_start;
};

// A label at s[i]: "来源:", "来源 ：", or, after a break, "记者 李四" (no colon); "文" only as
// "文/…" or "文:…" after a break, since the character is common inside text.
std::optional<LabelMatch> label_at(std::string_view s, std::size_t i, bool after_break) {
  for (const lexicon::Label& label : kLabels) {
    if (s.substr(i, label.text.size()) != label.text) continue;
    const bool is_wen = label.field == Field::wen;
    if (is_wen && !after_break) return std::nullopt;
    const std::size_t end = i + label.text.size();
    const std::size_t k = skip_spaces(s, end);
    if (const std::size_t colon = colon_at(s, k, is_wen)) {
      std::size_t value = skip_spaces(s, k + colon);
      for (std::string_view open : {"[", "【"}) {  // "来源：[ 国际金融报 ]"
        if (s.substr(value, open.size()) == open) value = skip_spaces(s, value + open.size());
      }
      return LabelMatch{label.field, value};
    }
    if (!is_wen && after_break && k > end && k < s.size() && separator_at(s, k) == 0) {
      return LabelMatch{label.field, k};
    }
    return std::nullopt;
  }
  return std::nullopt;
}

bool names_people(Field f) {
  return f == Field::author || f == Field::reporter || f == Field::wen || f == Field::correspondent;
}

// The end of a Chinese personal name (2-4 Han characters, · inside) starting at s[i], or i.
std::size_t name_end(std::string_view s, std::size_t i) {
  std::size_t k = i, chars = 0;
  while (k < s.size()) {
    std::size_t next = k;
    const char32_t cp = next_code_point(s, next);
    if (!is_han(cp) && cp != U'·') break;
    k = next;
    ++chars;
  }
  const bool bounded = k == s.size() || separator_at(s, k) != 0;
  if (!bounded || chars < 2 || chars > lexicon::kNameMaxChars) return i;
  const std::string_view token = s.substr(i, k - i);
  for (std::string_view end : lexicon::kSignatureEnds) {  // "北京报道", "张三摄"
    if (token.size() >= end.size() && token.substr(token.size() - end.size()) == end) return i;
  }
  for (std::string_view word : lexicon::kNotNames) {
    if (token == word) return i;
  }
  return k;
}

// "记者 张三 李四": when the value of a field naming people is one name and a space is followed by
// another name (not a label), the value goes on over it; the end of the last name, else `at`.
std::size_t more_names(std::string_view s, std::size_t value_start, std::size_t at) {
  if (name_end(s, value_start) != at || !lexicon::rule_on("labels.several_names")) return at;
  std::size_t end = at;
  while (end < s.size() && space_at(s, end) != 0) {
    const std::size_t k = skip_spaces(s, end);
    const std::size_t next = name_end(s, k);
    if (next == k || label_at(s, k, true)) break;
    end = next;
  }
  return end;
}

// "本报", "新京报", "新华社": the outlet a reporter writes for, right before 记者 ("本报记者
// 张三"), which then labels the names after it as at a line's start.
bool outlet_before_reporter(std::string_view s, std::size_t run_start, std::size_t i) {
  if (!lexicon::rule_on("labels.outlet_reporter") || s.substr(i, 6) != "记者") return false;
  const std::string_view lead = s.substr(run_start, i - run_start);
  std::size_t chars = 0;
  for (std::size_t k = 0; k < lead.size();) {
    if (!is_han(next_code_point(lead, k))) return false;
    ++chars;
  }
  if (chars == 0 || chars > lexicon::kOutletLeadChars) return false;
  for (std::string_view end : lexicon::kOutletEnds) {
    if (lead.size() >= end.size() && lead.substr(lead.size() - end.size()) == end) return true;
  }
  return false;
}

// The labelled values of a line, in order of appearance (values may be empty).
std::vector<Entry> tokenize(std::string_view s) {
  std::vector<Entry> entries;
  std::optional<std::size_t> value_start;
  auto close_value = [&](std::size_t end) {
    if (value_start)
      entries.back().value = std::string(trim(s.substr(*value_start, end - *value_start)));
    // "记者 贾天勇 摄": a photo's credit, not the story's writer.
    if (value_start && names_people(entries.back().field) &&
        s.substr(skip_spaces(s, end), lexicon::kPhotoCredit.size()) == lexicon::kPhotoCredit) {
      entries.back().field = Field::other;
    }
    value_start.reset();
  };
  bool after_break = true;
  std::size_t run_start = 0;  // where the text since the last break starts
  for (std::size_t i = 0; i < s.size();) {
    if (after_break) run_start = i;
    const bool lead = !after_break && outlet_before_reporter(s, run_start, i);
    if (auto m = label_at(s, i, after_break || lead)) {
      close_value(i);
      entries.push_back(Entry{m->field, {}});
      value_start = m->value_start;
      i = m->value_start;
      after_break = true;
      continue;
    }
    if (const std::size_t sep = separator_at(s, i)) {
      if (value_start && names_people(entries.back().field) && space_at(s, i) != 0) {
        if (const std::size_t end = more_names(s, *value_start, i); end != i) {
          i = end;
          continue;
        }
      }
      close_value(i);
      i += sep;
      after_break = true;
      continue;
    }
    after_break = false;
    i += utf8_len(s[i]);
  }
  close_value(s.size());
  return entries;
}

// The first non-empty value among entries whose field is in `fields`, in order of appearance.
std::string first_value(const std::vector<Entry>& entries, std::initializer_list<Field> fields) {
  for (const Entry& e : entries) {
    if (e.value.empty()) continue;
    for (Field f : fields) {
      if (e.field == f) return e.value;
    }
  }
  return {};
}

}  // namespace

// "企鹅号 科技日报" as an author: the account a platform publishes under, which is the outlet.
// The account's name without the platform's word; "" when the value names no platform.
std::string platform_account(std::string_view value) {
  if (!lexicon::rule_on("labels.platform_account")) return {};
  for (std::string_view platform : lexicon::kPlatformAccounts) {
    if (value.substr(0, platform.size()) != platform) continue;
    std::string_view rest = value.substr(platform.size());
    while (!rest.empty()) {
      const std::size_t n =
          separator_at(rest, 0) != 0 ? separator_at(rest, 0) : colon_at(rest, 0, true);
      if (n == 0) break;
      rest.remove_prefix(n);
    }
    return std::string(trim(rest));
  }
  return {};
}

Byline split_byline(std::string_view line) {
  const std::vector<Entry> entries = tokenize(line);
  Byline out;
  out.source = first_value(entries, {Field::source});
  out.author = first_value(entries, {Field::author, Field::reporter, Field::wen});
  if (std::string account = platform_account(out.author); !account.empty()) {
    if (out.source.empty()) out.source = std::move(account);
    out.author.clear();
  }
  if (out.author.empty()) out.author = first_value(entries, {Field::correspondent});
  out.editor = first_value(entries, {Field::chief_editor});
  if (out.editor.empty()) out.editor = first_value(entries, {Field::editor});
  return out;
}

bool has_byline_label(std::string_view line) {
  for (const Entry& e : tokenize(line)) {
    if (e.field != Field::other) return true;
  }
  return false;
}

}  // namespace fg::extract
