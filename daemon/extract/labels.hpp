#pragma once
// The labelled byline fields of Chinese portals: 来源, 作者, 记者, 编辑, 责任编辑.

#include <string>
#include <string_view>

namespace fg::extract {

struct Byline {
  std::string source;  // 来源
  std::string author;  // 作者 / 记者 / 文
  std::string editor;  // 编辑 / 责任编辑 (责任编辑 wins when both are present)
};

// Splits a line such as "来源: 新华网 作者: 编辑:陈东 责任编辑:方志华" into its fields.
// Accepts ASCII and full-width colons and spaces; an empty label value ("作者: 编辑:…") stays
// empty.
Byline split_byline(std::string_view line);

// True when the line holds at least one byline label (来源:, 作者:, 记者 …, 编辑:, 文/ …).
bool has_byline_label(std::string_view line);

}  // namespace fg::extract
