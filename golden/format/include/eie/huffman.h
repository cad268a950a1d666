// Canonical Huffman coding of small alphabets (weight indices: 16 symbols; relative indices: up
// to 256), as Deep Compression's last stage. Codes are canonical so the model file stores only
// the code length of each symbol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "eie/bitstream.h"

namespace eie {

constexpr int kMaxHuffmanLength = 24;

class HuffmanCode {
 public:
  // Optimal lengths for the given symbol frequencies (length 0 = symbol unused), limited to
  // kMaxHuffmanLength bits. A single used symbol gets a 1-bit code. Deterministic: equal
  // frequencies are broken by symbol value.
  static HuffmanCode build(const std::vector<uint64_t>& freq);
  // From stored lengths; throws eie::Error unless they form a complete prefix code (or a single
  // symbol of length 1, or no symbol at all) with lengths <= kMaxHuffmanLength.
  static HuffmanCode from_lengths(const std::vector<uint8_t>& lengths);

  const std::vector<uint8_t>& lengths() const { return lengths_; }
  uint32_t code(unsigned symbol) const { return codes_[symbol]; }
  size_t alphabet_size() const { return lengths_.size(); }
  // Exact number of bits the given frequencies encode to.
  uint64_t encoded_bits(const std::vector<uint64_t>& freq) const;

  void encode(const std::vector<uint16_t>& symbols, BitWriter& out) const;
  // Decodes `count` symbols; throws eie::Error on an invalid code or on running out of data.
  std::vector<uint16_t> decode(BitReader& in, size_t count) const;

 private:
  void assign_canonical_codes();
  std::vector<uint8_t> lengths_;
  std::vector<uint32_t> codes_;
  // Canonical decoding tables, per length L: first code, count, and index into sorted_symbols_.
  std::vector<uint32_t> first_code_, count_, first_index_;
  std::vector<uint16_t> sorted_symbols_;
};

}  // namespace eie
