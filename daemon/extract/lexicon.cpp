#include "extract/lexicon.hpp"

#include <cstdlib>
#include <set>

#include "core/text.hpp"

namespace fg::extract::lexicon {

namespace {

bool is_lower_letter(char c) {
  return c >= 'a' && c <= 'z';
}

// True when the `word` found at `at` in `text` is part of one of `not_words` ("pub" in
// "public").
bool inside_not_word(std::string_view text, std::size_t at, std::string_view word,
                     Words not_words) {
  for (std::string_view other : not_words) {
    for (std::size_t o = other.find(word); o != std::string_view::npos;
         o = other.find(word, o + 1)) {
      if (o <= at && text.substr(at - o, other.size()) == other) return true;
    }
  }
  return false;
}

// True when `word` occurs in `text` outside `not_words`; with `token_start`, only where it
// starts a token ("hot" in "hot-news", not in "photo").
bool has_word(std::string_view text, std::string_view word, Words not_words, bool token_start) {
  for (std::size_t at = text.find(word); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    if (token_start && at > 0 && is_lower_letter(text[at - 1])) continue;
    if (!inside_not_word(text, at, word, not_words)) return true;
  }
  return false;
}

// True when `word` is a whole whitespace-separated token of `classes`; "*-x" matches a token
// ending in "-x" and longer than it.
bool has_class_token(std::string_view classes, std::string_view word) {
  const bool suffix = word.substr(0, 1) == "*";
  if (suffix) word.remove_prefix(1);
  std::size_t start = 0;
  while (start < classes.size()) {
    std::size_t end = classes.find_first_of(" \t\n", start);
    if (end == std::string_view::npos) end = classes.size();
    const std::string_view token = classes.substr(start, end - start);
    if (suffix ? token.size() > word.size() && token.substr(token.size() - word.size()) == word
               : token == word) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace

ClassHints::ClassHints(const parse::Node& n)
    : text_(ascii_lower(std::string(n.attr("class")) + " " + std::string(n.attr("id")))),
      class_size_(n.attr("class").size()) {}

std::string_view ClassHints::find(const HintTable& table) const {
  const std::string_view text = text_;
  for (std::string_view word : table.words) {
    bool found = false;
    switch (table.match) {
      case HintMatch::token_prefix:
        found = has_word(text, word, table.not_words, true);
        break;
      case HintMatch::substring:
        found = has_word(text, word, table.not_words, false);
        break;
      case HintMatch::class_token:
        found = has_class_token(text.substr(0, class_size_), word);
        break;
    }
    if (found) return word;
  }
  return {};
}

bool rule_on(std::string_view id) {
  static const std::set<std::string, std::less<>> off = [] {
    std::set<std::string, std::less<>> names;
    const char* env = std::getenv("FEEDGATE_EXTRACT_OFF");
    if (env == nullptr) return names;
    const std::string_view list = env;
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t end = list.find(',', start);
      if (end == std::string_view::npos) end = list.size();
      const std::string_view name = trim(list.substr(start, end - start));
      if (!name.empty()) names.emplace(name);
      start = end + 1;
    }
    return names;
  }();
  return off.empty() || !off.contains(id);
}

}  // namespace fg::extract::lexicon
