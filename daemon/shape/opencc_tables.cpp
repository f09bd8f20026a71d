// OpenCC's dictionaries as PhraseTries, and its conversion (maximum-matching segmentation, then
// a chain of longest-prefix conversions within each segment) run on them.

#include "shape/opencc_tables.hpp"

#include <map>
#include <mutex>
#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/DictGroup.hpp>
#include <opencc/Exception.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/MaxMatchSegmentation.hpp>
#include <span>

namespace fg::shape::detail {
namespace {

constexpr std::size_t kRootDirect = 0x10000;
constexpr int kCodePointBits = 21;

// The code point at text[i] and its length in bytes; the text is valid UTF-8.
inline char32_t decode(std::string_view text, std::size_t i, std::size_t& length) {
  const auto b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) {
    length = 1;
    return b;
  }
  length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  char32_t cp = b & (0x7F >> length);
  for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  return cp;
}

inline std::uint64_t mix(std::uint64_t key) {
  return key * 0x9E3779B97F4A7C15ULL;
}

inline std::size_t slot_of(std::uint64_t key, std::size_t mask) {
  return static_cast<std::size_t>(mix(key) >> 20) & mask;
}

// Another part of the same hash than slot_of's, so that filter and table collide apart.
inline std::size_t filter_bit(std::uint64_t key, std::size_t bits_mask) {
  return static_cast<std::size_t>(mix(key) >> 40) & bits_mask;
}

}  // namespace

PhraseTrie::PhraseTrie()
    : value_of_{-1}, has_children_{0}, root_bmp_(kRootDirect, -1), edges_(1024), filter_(64) {}

std::int32_t PhraseTrie::child(std::int32_t node, char32_t cp) const {
  if (node == 0) {
    if (cp < kRootDirect) return root_bmp_[cp];
  } else if (!has_children_[node]) {
    return -1;
  }
  const std::uint64_t key = (static_cast<std::uint64_t>(node) << kCodePointBits) | cp;
  const std::size_t bit = filter_bit(key, filter_.size() * 64 - 1);
  if ((filter_[bit / 64] & (1ULL << (bit % 64))) == 0) return -1;
  const std::size_t mask = edges_.size() - 1;
  for (std::size_t slot = slot_of(key, mask);; slot = (slot + 1) & mask) {
    if (edges_[slot].key == key) return edges_[slot].child;
    if (edges_[slot].key == 0) return -1;
  }
}

void PhraseTrie::insert(const Edge& edge) {
  const std::size_t mask = edges_.size() - 1;
  std::size_t slot = slot_of(edge.key, mask);
  while (edges_[slot].key != 0) slot = (slot + 1) & mask;
  edges_[slot] = edge;
  const std::size_t bit = filter_bit(edge.key, filter_.size() * 64 - 1);
  filter_[bit / 64] |= 1ULL << (bit % 64);
}

void PhraseTrie::grow() {
  std::vector<Edge> old(edges_.size() * 2);
  old.swap(edges_);
  filter_.assign(filter_.size() * 2, 0);
  for (const Edge& edge : old) {
    if (edge.key != 0) insert(edge);
  }
}

std::int32_t PhraseTrie::add_child(std::int32_t node, char32_t cp) {
  if (const std::int32_t found = child(node, cp); found >= 0) return found;
  const auto created = static_cast<std::int32_t>(value_of_.size());
  value_of_.push_back(-1);
  has_children_.push_back(0);
  has_children_[node] = 1;
  if (node == 0 && cp < kRootDirect) {
    root_bmp_[cp] = created;
    return created;
  }
  // Half full at most, so that a miss ends after a probe or two.
  if ((edge_count_ + 1) * 2 > edges_.size()) grow();
  insert({(static_cast<std::uint64_t>(node) << kCodePointBits) | cp, created});
  ++edge_count_;
  return created;
}

void PhraseTrie::add(std::string_view key, std::string_view value) {
  if (key.empty()) return;
  std::int32_t node = 0;
  for (std::size_t i = 0, length = 0; i < key.size(); i += length) {
    node = add_child(node, decode(key, i, length));
  }
  if (value_of_[node] >= 0) return;  // the first entry of a key wins, as in OpenCC's lexicon
  value_of_[node] = static_cast<std::int32_t>(values_.size());
  values_.emplace_back(static_cast<std::uint32_t>(arena_.size()),
                       static_cast<std::uint32_t>(value.size()));
  arena_.append(value);
}

PhraseTrie::Match PhraseTrie::longest(std::string_view text) const {
  Match best;
  std::int32_t node = 0;
  for (std::size_t i = 0, length = 0; i < text.size(); i += length) {
    node = child(node, decode(text, i, length));
    if (node < 0) break;
    if (const std::int32_t v = value_of_[node]; v >= 0) {
      best.length = i + length;
      best.value = std::string_view(arena_).substr(values_[v].first, values_[v].second);
    }
  }
  return best;
}

namespace {

// The dictionaries of `dict` in the order OpenCC consults them (a group's members in order).
void leaves(const opencc::DictPtr& dict, std::vector<opencc::DictPtr>& out) {
  if (auto group = std::dynamic_pointer_cast<opencc::DictGroup>(dict)) {
    for (const auto& member : group->GetDicts()) leaves(member, out);
  } else {
    out.push_back(dict);
  }
}

// Splits `text` into segments as OpenCC's maximum matching does: each key of `dict` found at
// the current position is a segment (its value kept in `values`), and the text between keys is
// one segment (a null value).
void segment(std::string_view text, const PhraseTrie& dict, std::vector<std::size_t>& ends,
             std::vector<std::string_view>& values) {
  std::size_t run = 0;  // bytes of unmatched text before i
  for (std::size_t i = 0; i < text.size();) {
    const PhraseTrie::Match m = dict.longest(text.substr(i));
    if (m.length == 0) {
      std::size_t length = 0;
      decode(text, i, length);
      run += length;
      i += length;
      continue;
    }
    if (run > 0) {
      ends.push_back(i);
      values.emplace_back();
    }
    run = 0;
    i += m.length;
    ends.push_back(i);
    values.push_back(m.value);
  }
  if (run > 0) {
    ends.push_back(text.size());
    values.emplace_back();
  }
}

// `seg` converted by the first of `dicts` that has a key at each position (the longest key is
// replaced by its value; a character no dictionary starts is kept), appended to `out`.
void convert_segment(std::string_view seg, std::span<const PhraseTrie* const> dicts,
                     std::string& out) {
  for (std::size_t i = 0; i < seg.size();) {
    PhraseTrie::Match m;
    for (const PhraseTrie* dict : dicts) {
      m = dict->longest(seg.substr(i));
      if (m.length > 0) break;
    }
    if (m.length > 0) {
      out.append(m.value);
      i += m.length;
    } else {
      std::size_t length = 0;
      decode(seg, i, length);
      out.append(seg.substr(i, length));
      i += length;
    }
  }
}

// One conversion of the chain, segment by segment (no key matches across a segment's end).
void convert_step(std::string_view in, const std::vector<std::size_t>& ends,
                  std::span<const PhraseTrie* const> dicts, std::string& out,
                  std::vector<std::size_t>& out_ends) {
  out.clear();
  out_ends.clear();
  std::size_t start = 0;
  for (const std::size_t end : ends) {
    convert_segment(in.substr(start, end - start), dicts, out);
    out_ends.push_back(out.size());
    start = end;
  }
}

// The dictionary's entries hashed (64-bit FNV-1a over keys and values, in order): the same
// file loaded by two configs gives the same fingerprint.
std::uint64_t fingerprint(const opencc::Lexicon& lexicon) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto add = [&](std::string_view bytes) {
    for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001b3ULL;
    hash = (hash ^ 0xFF) * 0x100000001b3ULL;  // no byte of UTF-8: ends the field
  };
  for (const auto& entry : lexicon) {
    add(entry->Key());
    add(entry->GetDefault());
  }
  return hash;
}

// A PhraseTrie of `lexicon`, shared with every conversion loaded since that holds the same
// dictionary (kept while one of them lives).
std::shared_ptr<const PhraseTrie> shared_trie(const opencc::Lexicon& lexicon) {
  static std::mutex mutex;
  static std::map<std::uint64_t, std::weak_ptr<const PhraseTrie>> known;
  const std::uint64_t id = fingerprint(lexicon);
  std::lock_guard lock(mutex);
  if (auto found = known[id].lock()) return found;
  auto trie = std::make_shared<PhraseTrie>();
  for (const auto& entry : lexicon) trie->add(entry->Key(), entry->GetDefault());
  known[id] = trie;
  return trie;
}

}  // namespace

Result<std::shared_ptr<const Tables>> Tables::load(const std::string& path) {
  opencc::ConverterPtr converter;
  try {
    opencc::Config config;
    converter = config.NewFromFile(path);
  } catch (const std::exception& e) {
    return make_error(Errc::io, "opencc: cannot load " + path + ": " + e.what(), "opencc");
  }
  const auto segmentation =
      std::dynamic_pointer_cast<opencc::MaxMatchSegmentation>(converter->GetSegmentation());
  if (!segmentation || !converter->GetConversionChain()) {
    return make_error(Errc::unsupported, "opencc: " + path + " segments otherwise", "opencc");
  }
  std::shared_ptr<Tables> tables(new Tables);
  std::map<const opencc::Dict*, const PhraseTrie*> built;  // a dictionary used twice, once
  const auto trie_of = [&](const opencc::DictPtr& dict) {
    auto& slot = built[dict.get()];
    if (!slot) {
      tables->tries_.push_back(shared_trie(*dict->GetLexicon()));
      slot = tables->tries_.back().get();
    }
    return slot;
  };
  std::vector<opencc::DictPtr> dicts;
  leaves(segmentation->GetDict(), dicts);
  if (dicts.size() != 1) {
    return make_error(Errc::unsupported, "opencc: " + path + " segments by a group", "opencc");
  }
  tables->segmentation_ = trie_of(dicts.front());
  for (const auto& conversion : converter->GetConversionChain()->GetConversions()) {
    dicts.clear();
    leaves(conversion->GetDict(), dicts);
    std::vector<const PhraseTrie*> step;
    for (const auto& dict : dicts) step.push_back(trie_of(dict));
    tables->chain_.push_back(std::move(step));
  }
  return std::shared_ptr<const Tables>(std::move(tables));
}

std::string Tables::convert(std::string_view text) const {
  text = text.substr(0, text.find('\0'));  // OpenCC reads C strings
  std::vector<std::size_t> ends;
  std::vector<std::string_view> keyed;
  segment(text, *segmentation_, ends, keyed);
  std::string a, b;
  std::vector<std::size_t> next_ends;
  std::size_t step = 0;
  if (!chain_.empty() && !chain_[0].empty() && chain_[0].front() == segmentation_) {
    // The first step consults the segmentation's dictionary first (as every config Debian ships
    // does): a segment that is one of its keys becomes that key's value, and no key of it starts
    // anywhere in the text between, so only the group's other dictionaries are asked there.
    const std::span<const PhraseTrie* const> rest(chain_[0].data() + 1, chain_[0].size() - 1);
    std::size_t start = 0;
    for (std::size_t k = 0; k < ends.size(); ++k) {
      if (keyed[k].data() != nullptr) {  // a key, even one whose value is empty
        a.append(keyed[k]);
      } else {
        convert_segment(text.substr(start, ends[k] - start), rest, a);
      }
      next_ends.push_back(a.size());
      start = ends[k];
    }
    ends.swap(next_ends);
    step = 1;
  } else {
    a.assign(text);
  }
  for (; step < chain_.size(); ++step) {
    convert_step(a, ends, chain_[step], b, next_ends);
    a.swap(b);
    ends.swap(next_ends);
  }
  return a;
}

}  // namespace fg::shape::detail
