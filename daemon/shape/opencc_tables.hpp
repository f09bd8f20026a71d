#pragma once
// Internal to shape: an OpenCC conversion run on our own tables. OpenCC's converter walks its
// marisa tries and allocates a string per match and per segment (about 8 MB/s, 30 ms for a
// 100-item feed); the same dictionaries as tries over code points with flat hash edges give the
// same output without allocating, an order of magnitude faster. OpenCC still reads the config
// and the dictionaries, so the data stays Debian's libopencc-data.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace fg::shape::detail {

// One dictionary's keys as a trie over code points: the longest key that starts a text, and
// its value (OpenCC's "default", the first of its values).
class PhraseTrie {
 public:
  PhraseTrie();
  void add(std::string_view key, std::string_view value);

  struct Match {
    std::size_t length = 0;  // bytes of the text matched; 0: no key starts the text
    std::string_view value;
  };
  Match longest(std::string_view text) const;

 private:
  std::int32_t child(std::int32_t node, char32_t cp) const;
  std::int32_t add_child(std::int32_t node, char32_t cp);
  void grow();

  // Per node: the index of its value in values_, -1 when the path to it is no key.
  std::vector<std::int32_t> value_of_;
  std::vector<std::uint8_t> has_children_;
  std::vector<std::int32_t> root_bmp_;  // the root's children below U+10000, by code point
  // The other edges, open addressing on key (node << 21 | cp); key 0: an empty slot. Key and
  // child side by side, so that a probe reads one cache line.
  struct Edge {
    std::uint64_t key = 0;
    std::int32_t child = -1;
  };
  void insert(const Edge& edge);
  std::vector<Edge> edges_;
  std::size_t edge_count_ = 0;
  // One bit per hash of an edge, eight times as many bits as edges: small enough to stay in
  // cache, it answers most lookups of an edge that does not exist (the common case: most
  // characters start no longer key) without touching edges_.
  std::vector<std::uint64_t> filter_;
  std::string arena_;                                            // the values, back to back
  std::vector<std::pair<std::uint32_t, std::uint32_t>> values_;  // offset, length in arena_
};

// An OpenCC config of the kind Debian ships (maximum-matching segmentation by one dictionary,
// then a chain of conversions, each by a dictionary or a group of them), on PhraseTries.
class Tables {
 public:
  // Reads OpenCC config `path` (a JSON file naming .ocd2 dictionaries) through OpenCC itself.
  // Errc::io when OpenCC cannot load it; Errc::unsupported when the config is of another kind
  // (the caller then keeps OpenCC's own converter).
  static Result<std::shared_ptr<const Tables>> load(const std::string& path);

  // What OpenCC's converter gives for `text`: valid UTF-8, converted up to its first NUL.
  std::string convert(std::string_view text) const;

 private:
  Tables() = default;
  const PhraseTrie* segmentation_ = nullptr;
  // Shared by the steps, and with other conversions that use the same dictionary (s2t, s2tw,
  // s2hk and s2twp all segment by the 900 KB STPhrases).
  std::vector<std::shared_ptr<const PhraseTrie>> tries_;
  std::vector<std::vector<const PhraseTrie*>> chain_;
};

// How many conversions convert_text() and convert_html() keep for reuse (opencc.cpp), for tests.
std::size_t conversion_memo_entries();

}  // namespace fg::shape::detail
