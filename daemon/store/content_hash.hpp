#pragma once
// Private to the store: a hash of an article's content that is the same in every build, so a
// database written by one feedgate version compares correctly in the next (std::hash is not).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/article.hpp"

namespace fg::store::detail {

// 64-bit FNV-1a of bytes, continuing from `state` (the offset basis by default).
std::uint64_t fnv1a_64(std::string_view bytes, std::uint64_t state = 0xcbf29ce484222325ULL);

// FNV-1a 64 over every field of the article, each preceded by its length so that moving text
// from one field to the next changes the hash. 16 lowercase hex digits.
std::string content_hash(const Article& article);

}  // namespace fg::store::detail
