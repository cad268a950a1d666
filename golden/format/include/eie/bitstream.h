// Bit-level writer and reader for the model file's coded streams. Bits fill each byte from its
// least significant bit upwards; a multi-bit value is written most significant bit first (so a
// Huffman code reads in tree order). The last byte is zero-padded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace eie {

class BitWriter {
 public:
  // Appends the low `bits` bits of value, MSB first. bits in [0, 32].
  void put(uint32_t value, int bits);
  uint64_t bit_count() const { return bit_count_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
  uint64_t bit_count_ = 0;
};

class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  // Reads one bit; throws eie::Error past the end of the data.
  unsigned bit();
  // Reads `bits` bits MSB first; throws eie::Error past the end of the data.
  uint32_t get(int bits);
  uint64_t position() const { return pos_; }
  uint64_t size_bits() const { return uint64_t{size_} * 8; }
  // True when every bit from the current position to the end is zero and fewer than 8 remain:
  // what a well-formed stream's tail looks like.
  bool at_clean_end() const;

 private:
  const uint8_t* data_;
  size_t size_;
  uint64_t pos_ = 0;
};

}  // namespace eie
