// EIE's storage format (docs/format.md): the N-independent sparse matrix of codebook indices and
// its interleaved, per-PE packing into 8-bit (v, z) entries, 64-bit words and even/odd pointer
// banks, exactly as the hardware reads it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace eie {

constexpr int kCodebookSize = 16;   // 4-bit weight index v; index 0 is reserved for exact zero
constexpr int kZeroCountBits = 4;   // 4-bit relative row index z
constexpr int kMaxZeroCount = 15;   // a padding entry (v = 0, z = 15) covers a longer gap
constexpr int kEntriesPerWord = 8;  // sparse-matrix memory words are 64 bits
constexpr int kPointerBits = 20;    // pointer width in the hardware (entry addresses)
constexpr uint32_t kMaxPointer = (1u << kPointerBits) - 1;

// An 8-bit sparse-matrix entry: bits [3:0] = v (codebook index), bits [7:4] = z (zero count).
constexpr uint8_t make_entry(unsigned v, unsigned z) {
  return static_cast<uint8_t>(((z & 0xFu) << 4) | (v & 0xFu));
}
constexpr unsigned entry_v(uint8_t e) { return e & 0xFu; }
constexpr unsigned entry_z(uint8_t e) { return (e >> 4) & 0xFu; }
// The local row of an entry within its PE (format.md): its zero count at a column's first entry,
// the previous entry's row + 1 + its zero count after it. The RTL's R stage (eie_pe_arith) does
// the same.
constexpr uint64_t entry_row(bool first, uint64_t previous, uint8_t e) {
  return (first ? 0 : previous + 1) + entry_z(e);
}
// Entry e of a PE's sparse-matrix words, packed as PeSlice::words() packs them.
constexpr uint8_t entry_in_word(uint64_t word, uint64_t e) {
  return static_cast<uint8_t>(word >> (8 * (e % static_cast<uint64_t>(kEntriesPerWord))));
}
// Padding the hardware steps over (docs/hardware.md, section 6): the E stage, issuing entry a of
// a column [start, end), skips entry a+1 when it is padding, lies in a's word and is not the
// column's last, and a neither starts the column nor its word (the sparse-matrix RAM's output
// then holds a's word from an earlier read). entry_at(e) gives entry e.
template <class EntryAt>
constexpr bool e_skips_next(uint64_t start, uint64_t end, uint64_t a, const EntryAt& entry_at) {
  const uint64_t in_word = a % kEntriesPerWord;
  return a != start && in_word != 0 && in_word != kEntriesPerWord - 1 && a + 2 < end &&
         entry_v(entry_at(a + 1)) == 0;
}
// The entries of column [start, end) the E stage issues: one per busy cycle.
template <class EntryAt>
constexpr uint64_t issued_entries(uint64_t start, uint64_t end, const EntryAt& entry_at) {
  uint64_t issued = 0;
  for (uint64_t a = start; a < end; ++issued) a += e_skips_next(start, end, a, entry_at) ? 2 : 1;
  return issued;
}

// A rows x cols matrix whose non-zeros are codebook indices 1..15, in compressed sparse column
// form: column j holds row_idx/code[col_ptr[j] .. col_ptr[j+1]), rows strictly increasing.
// It does not depend on the number of PEs; the model file stores it (relative_index.h).
struct CodeMatrix {
  uint32_t rows = 0;
  uint32_t cols = 0;
  std::vector<uint32_t> col_ptr;  // cols + 1 entries, col_ptr[0] = 0
  std::vector<uint32_t> row_idx;
  std::vector<uint8_t> code;

  size_t nnz() const { return row_idx.size(); }
  // Throws eie::Error naming the first inconsistency (what = object name for the message).
  void validate(const char* what = "matrix") const;

  // From a dense row-major matrix of indices (0 = no weight).
  static CodeMatrix from_dense(uint32_t rows, uint32_t cols, const std::vector<uint8_t>& dense);
  std::vector<uint8_t> to_dense() const;  // row-major, 0 where no weight
  bool operator==(const CodeMatrix& o) const;
};

// One PE's slice of a layer: its entries in column order and its column pointers.
struct PeSlice {
  std::vector<uint8_t> entries;  // make_entry(v, z), padding included
  std::vector<uint32_t> ptr;     // cols + 1 entry addresses; ptr[j+1] - ptr[j] = column j's entries

  // Entry e lives in word e / 8 at bits [8 * (e % 8) + 7 : 8 * (e % 8)]; the last word is
  // zero-filled. This is the image loaded into the PE's sparse-matrix memory.
  std::vector<uint64_t> words() const;
  // Pointer bank b (0 = even, 1 = odd) holds ptr[j] for j % 2 == b at address j / 2.
  std::vector<uint32_t> pointer_bank(int bank) const;
  size_t padding() const;  // entries with v = 0
};

// A layer packed for N PEs. PE k owns rows i with i % N == k, stored at local row i / N.
struct PackedLayer {
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint32_t num_pe = 0;
  std::vector<PeSlice> pe;

  uint32_t local_rows(uint32_t k) const { return k < rows ? (rows - k + num_pe - 1) / num_pe : 0; }
  size_t total_entries() const;
  size_t max_entries() const;  // the busiest PE's entry count
};

PackedLayer pack(const CodeMatrix& m, uint32_t num_pe);
// Decodes a packing back to the matrix; throws eie::Error on any malformed slice (bad pointers,
// a padding entry with z != 15, an index 0 entry that is not padding, a row past the slice).
CodeMatrix unpack(const PackedLayer& p);

}  // namespace eie
