#pragma once
// Where raw text (script data, RAWTEXT and RCDATA) ends, found as gumbo's tokenizer finds it, so
// that script and style contents can be taken out of gumbo's input and put back after the parse:
// gumbo reads them one code point at a time, and on portal pages they are a third of the bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fg::parse {

// The attribute added to a <script> or <style> start tag whose content was taken out; its value
// is the index of the content (parse/nesting_guard.hpp, prepare_for_gumbo).
inline constexpr std::string_view kCutMarker = "data-feedgate-cut";

// Index of the '<' of the end tag that closes script data starting at html[i], with the script
// data escape states of the HTML5 tokenizer (<!-- <script> … </script> --> does not end it);
// npos when the script runs to the end of the input.
std::size_t script_data_end(std::string_view html, std::size_t i);

// Index of the '<' of the first "</name" followed by whitespace, '/' or '>' (case-insensitive)
// at or after html[i]: the end of RAWTEXT or RCDATA content such as <style> or <title>; npos
// when there is none. `name` is lower-case.
std::size_t raw_text_end(std::string_view html, std::size_t i, std::string_view name);

// The text node gumbo builds from raw text: CR LF and lone CR become LF. nullopt when gumbo
// would change more than that (NUL, control characters, non-characters, invalid UTF-8), so such
// content is left to gumbo.
std::optional<std::string> raw_text_as_parsed(std::string_view raw);

}  // namespace fg::parse
