// Deep Compression's relative-index storage of a sparse index matrix, used by the model file.
// Independent of the number of PEs: the hardware packing (sparse_format.h) is derived from it at
// load time for any N.
//
// Non-zeros are taken in column-major order, position q = j * rows + i. Each is stored as its
// weight index (1..15) and its gap: the number of zero positions since the previous stored entry
// (or since position 0). A gap above 2^rel_bits - 1 is bridged by padding entries (weight index
// 0, gap 2^rel_bits - 1), each of which also occupies one position.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "eie/sparse_format.h"

namespace eie {

constexpr int kMinRelBits = 1;
constexpr int kMaxRelBits = 8;

struct RelativeStream {
  int rel_bits = 4;
  std::vector<uint16_t> weight;  // 0..15, 0 = padding
  std::vector<uint16_t> gap;     // 0 .. 2^rel_bits - 1

  size_t entries() const { return weight.size(); }
  size_t padding() const;
};

RelativeStream encode_relative(const CodeMatrix& m, int rel_bits);
// Throws eie::Error when the stream does not describe a rows x cols matrix: mismatched lengths,
// symbols out of range, padding with a gap other than the maximum, a trailing padding entry, or
// a position past the end.
CodeMatrix decode_relative(const RelativeStream& s, uint32_t rows, uint32_t cols);
// Entries (padding included) encode_relative would produce, without building the stream.
size_t relative_entry_count(const CodeMatrix& m, int rel_bits);

}  // namespace eie
