#include "eie/huffman.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

#include "eie/error.h"

namespace eie {

namespace {

// Symbols are stored as uint16_t, so no alphabet can be larger.
constexpr size_t kMaxAlphabet = size_t{1} << 16;

// Unlimited Huffman code lengths of the non-zero entries of freq, or an empty vector when the
// total weight would overflow (the caller then rescales). Ties are broken by a unique order
// key: leaves by symbol value, merged nodes after all leaves in creation order.
std::vector<int> unlimited_lengths(const std::vector<uint64_t>& freq) {
  uint64_t total = 0;
  for (uint64_t f : freq) {
    if (f > std::numeric_limits<uint64_t>::max() - total) return {};
    total += f;
  }
  struct Node {
    uint64_t weight;
    size_t order;
    size_t index;
  };
  auto heavier = [](const Node& a, const Node& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.order > b.order;
  };
  std::priority_queue<Node, std::vector<Node>, decltype(heavier)> heap(heavier);
  std::vector<size_t> parent;  // per node; leaves first, in symbol order
  std::vector<size_t> leaf_symbol;
  for (size_t s = 0; s < freq.size(); ++s) {
    if (freq[s] == 0) continue;
    heap.push({freq[s], s, parent.size()});
    parent.push_back(0);
    leaf_symbol.push_back(s);
  }
  size_t next_order = freq.size();
  while (heap.size() > 1) {
    const Node a = heap.top();
    heap.pop();
    const Node b = heap.top();
    heap.pop();
    const size_t index = parent.size();
    parent.push_back(0);
    parent[a.index] = index;
    parent[b.index] = index;
    heap.push({a.weight + b.weight, next_order++, index});
  }
  // A parent is always created after its children, so one backward pass fills every depth.
  std::vector<int> depth(parent.size(), 0);
  for (size_t i = parent.size() - 1; i-- > 0;) depth[i] = depth[parent[i]] + 1;
  std::vector<int> lengths(freq.size(), 0);
  for (size_t leaf = 0; leaf < leaf_symbol.size(); ++leaf) lengths[leaf_symbol[leaf]] = depth[leaf];
  return lengths;
}

}  // namespace

HuffmanCode HuffmanCode::build(const std::vector<uint64_t>& freq) {
  require(freq.size() <= kMaxAlphabet, "Huffman alphabet of {} symbols exceeds the maximum {}",
          freq.size(), kMaxAlphabet);
  const size_t used = static_cast<size_t>(
      std::count_if(freq.begin(), freq.end(), [](uint64_t f) { return f != 0; }));
  std::vector<uint8_t> lengths(freq.size(), 0);
  if (used == 1) {
    // Length 0 means "unused", so a lone symbol gets the shortest real code: one bit.
    for (size_t s = 0; s < freq.size(); ++s) lengths[s] = freq[s] != 0 ? 1 : 0;
  } else if (used > 1) {
    // Flattening the distribution until the tree fits is simpler than package-merge and costs
    // little: it only triggers for wildly skewed (Fibonacci-like) counts. Halving with rounding up
    // keeps used symbols used, and all-ones gives a balanced tree of depth <= 16.
    std::vector<uint64_t> scaled = freq;
    for (;;) {
      const std::vector<int> depth = unlimited_lengths(scaled);
      if (!depth.empty() && *std::max_element(depth.begin(), depth.end()) <= kMaxHuffmanLength) {
        for (size_t s = 0; s < depth.size(); ++s) lengths[s] = static_cast<uint8_t>(depth[s]);
        break;
      }
      for (uint64_t& f : scaled) f = f / 2 + (f & 1);
    }
  }
  return from_lengths(lengths);
}

HuffmanCode HuffmanCode::from_lengths(const std::vector<uint8_t>& lengths) {
  require(lengths.size() <= kMaxAlphabet, "Huffman alphabet of {} symbols exceeds the maximum {}",
          lengths.size(), kMaxAlphabet);
  // Kraft sum scaled by 2^kMaxHuffmanLength, so a complete code sums to exactly `full`.
  const uint64_t full = uint64_t{1} << kMaxHuffmanLength;
  uint64_t kraft = 0;
  size_t used = 0;
  uint8_t single_length = 0;
  for (size_t s = 0; s < lengths.size(); ++s) {
    const int len = lengths[s];
    if (len == 0) continue;
    require(len <= kMaxHuffmanLength, "Huffman code length {} of symbol {} exceeds the maximum {}",
            len, s, kMaxHuffmanLength);
    kraft += uint64_t{1} << (kMaxHuffmanLength - len);
    ++used;
    single_length = lengths[s];
  }
  const bool lone_symbol = used == 1 && single_length == 1;
  if (used > 0 && !lone_symbol) {
    require(kraft == full,
            "Huffman code lengths do not form a complete prefix code (Kraft sum {}/{} is {})",
            kraft, full, kraft > full ? "over-subscribed" : "incomplete");
  }
  HuffmanCode code;
  code.lengths_ = lengths;
  code.assign_canonical_codes();
  return code;
}

void HuffmanCode::assign_canonical_codes() {
  int max_length = 0;
  for (uint8_t len : lengths_) max_length = std::max<int>(max_length, len);
  const size_t levels = static_cast<size_t>(max_length) + 1;
  count_.assign(levels, 0);
  first_code_.assign(levels, 0);
  first_index_.assign(levels, 0);
  for (uint8_t len : lengths_) {
    if (len != 0) ++count_[len];
  }
  // Canonical order is (length, symbol): a stable pass over symbols per length gives it.
  sorted_symbols_.clear();
  uint32_t next_code = 0;
  for (size_t len = 1; len < levels; ++len) {
    next_code = (next_code + count_[len - 1]) << 1;
    first_code_[len] = next_code;
    first_index_[len] = static_cast<uint32_t>(sorted_symbols_.size());
    for (size_t s = 0; s < lengths_.size(); ++s) {
      if (lengths_[s] == len) sorted_symbols_.push_back(static_cast<uint16_t>(s));
    }
  }
  codes_.assign(lengths_.size(), 0);
  for (size_t len = 1; len < levels; ++len) {
    for (uint32_t k = 0; k < count_[len]; ++k) {
      codes_[sorted_symbols_[first_index_[len] + k]] = first_code_[len] + k;
    }
  }
}

uint64_t HuffmanCode::encoded_bits(const std::vector<uint64_t>& freq) const {
  uint64_t bits = 0;
  for (size_t s = 0; s < freq.size(); ++s) {
    if (freq[s] == 0) continue;
    require(s < lengths_.size() && lengths_[s] != 0,
            "Huffman code has no code for symbol {} (frequency {})", s, freq[s]);
    uint64_t term = 0;
    require(!__builtin_mul_overflow(freq[s], uint64_t{lengths_[s]}, &term) &&
                !__builtin_add_overflow(bits, term, &bits),
            "Huffman encoded size overflows 64 bits");
  }
  return bits;
}

void HuffmanCode::encode(const std::vector<uint16_t>& symbols, BitWriter& out) const {
  for (size_t i = 0; i < symbols.size(); ++i) {
    const uint16_t s = symbols[i];
    require(s < lengths_.size(),
            "Huffman encode: symbol {} at position {} is outside the alphabet of {}", s, i,
            lengths_.size());
    require(lengths_[s] != 0, "Huffman encode: symbol {} at position {} has no code", s, i);
    out.put(codes_[s], lengths_[s]);
  }
}

std::vector<uint16_t> HuffmanCode::decode(BitReader& in, size_t count) const {
  std::vector<uint16_t> symbols;
  if (count == 0) return symbols;
  require(!sorted_symbols_.empty(), "Huffman stream: {} symbols requested from an empty code",
          count);
  // Every code is at least one bit, so a bogus count cannot make this reserve huge.
  symbols.reserve(static_cast<size_t>(std::min<uint64_t>(count, in.size_bits() - in.position())));
  const size_t max_length = count_.size() - 1;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t start = in.position();
    uint32_t value = 0;
    bool found = false;
    for (size_t len = 1; len <= max_length; ++len) {
      require(in.position() < in.size_bits(),
              "Huffman stream: ran out of data in symbol {} of {} (started at bit {}, {} bits)", i,
              count, start, in.size_bits());
      value = (value << 1) | in.bit();
      // Canonical codes of length len are the values first_code_[len] .. + count_[len] - 1.
      if (value >= first_code_[len] && value - first_code_[len] < count_[len]) {
        symbols.push_back(sorted_symbols_[first_index_[len] + (value - first_code_[len])]);
        found = true;
        break;
      }
    }
    require(found, "Huffman stream: invalid code at bit {} (symbol {} of {})", start, i, count);
  }
  return symbols;
}

}  // namespace eie
