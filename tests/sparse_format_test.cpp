// The per-PE packing (docs/format.md): round trips across densities and PE counts, gaps around
// the 15-row limit, word and pointer-bank layout, and rejection of malformed slices.
#include "eie/sparse_format.h"

#include <gtest/gtest.h>

#include <random>

#include "eie/error.h"
#include "test_util.h"

namespace eie {
namespace {

using test::random_code_matrix;

// Entries of PE 0 in column 0 of a 1-column matrix with weights at the given rows, for N PEs.
std::vector<uint8_t> column_entries(uint32_t rows, const std::vector<uint32_t>& at, uint32_t n) {
  std::vector<uint8_t> dense(rows, 0);
  for (uint32_t r : at) dense[r] = 7;
  return pack(CodeMatrix::from_dense(rows, 1, dense), n).pe[0].entries;
}

TEST(SparseFormat, RoundTripAcrossDensitiesAndPeCounts) {
  std::mt19937_64 rng(20161);
  for (double density : {0.0, 0.01, 0.05, 0.1, 0.3, 0.5, 0.9, 1.0}) {
    for (uint32_t n : {1u, 2u, 3u, 4u, 8u, 64u}) {
      const uint32_t rows = 1 + static_cast<uint32_t>(rng() % 300);
      const uint32_t cols = 1 + static_cast<uint32_t>(rng() % 40);
      const CodeMatrix m = random_code_matrix(rows, cols, density, rng);
      const PackedLayer p = pack(m, n);
      ASSERT_EQ(unpack(p), m) << "density " << density << " N " << n << " " << rows << "x" << cols;
      // Every non-zero is stored exactly once; the rest of the entries are padding.
      size_t padding = 0;
      for (const PeSlice& s : p.pe) padding += s.padding();
      EXPECT_EQ(p.total_entries(), m.nnz() + padding);
    }
  }
}

TEST(SparseFormat, EmptyAndConsecutiveEmptyColumns) {
  std::vector<uint8_t> dense(10 * 6, 0);
  dense[3 * 6 + 1] = 5;  // only column 1 and column 5 hold weights
  dense[9 * 6 + 5] = 9;
  const CodeMatrix m = CodeMatrix::from_dense(10, 6, dense);
  for (uint32_t n : {1u, 2u, 3u, 4u, 8u, 64u}) {
    const PackedLayer p = pack(m, n);
    EXPECT_EQ(unpack(p), m);
    for (const PeSlice& s : p.pe) {
      EXPECT_EQ(s.ptr[0], s.ptr[1]);  // column 0 empty everywhere
      EXPECT_EQ(s.ptr[2], s.ptr[3]);  // columns 2..4 empty
      EXPECT_EQ(s.ptr[3], s.ptr[4]);
      EXPECT_EQ(s.ptr[4], s.ptr[5]);
    }
  }
  const CodeMatrix empty = CodeMatrix::from_dense(7, 3, std::vector<uint8_t>(21, 0));
  const PackedLayer p = pack(empty, 4);
  EXPECT_EQ(p.total_entries(), 0u);
  EXPECT_EQ(unpack(p), empty);
}

TEST(SparseFormat, GapsAroundTheFifteenRowLimit) {
  const auto vz = [](const std::vector<uint8_t>& entries) {
    std::vector<std::pair<unsigned, unsigned>> out;
    out.reserve(entries.size());
    for (uint8_t e : entries) out.emplace_back(entry_v(e), entry_z(e));
    return out;
  };
  using P = std::vector<std::pair<unsigned, unsigned>>;
  EXPECT_EQ(vz(column_entries(200, {15}, 1)), (P{{7, 15}}));                   // gap 15: no padding
  EXPECT_EQ(vz(column_entries(200, {16}, 1)), (P{{0, 15}, {7, 0}}));           // gap 16: one pad
  EXPECT_EQ(vz(column_entries(200, {31}, 1)), (P{{0, 15}, {7, 15}}));          // gap 31
  EXPECT_EQ(vz(column_entries(200, {32}, 1)), (P{{0, 15}, {0, 15}, {7, 0}}));  // gap 32
  EXPECT_EQ(vz(column_entries(200, {0, 16}, 1)), (P{{7, 0}, {7, 15}}));        // 15 between: no pad
  EXPECT_EQ(vz(column_entries(200, {0, 17}, 1)), (P{{7, 0}, {0, 15}, {7, 0}}));
  // 150 zeros: 9 pads cover 144 rows, then z = 6.
  const P long_gap = vz(column_entries(200, {150}, 1));
  ASSERT_EQ(long_gap.size(), 10u);
  EXPECT_EQ(long_gap.back(), (std::pair<unsigned, unsigned>{7, 6}));
  // Gaps count local rows: on 4 PEs global row 64 of PE 0 is local row 16.
  EXPECT_EQ(vz(column_entries(200, {64}, 4)), (P{{0, 15}, {7, 0}}));
  EXPECT_EQ(vz(column_entries(200, {60}, 4)), (P{{7, 15}}));
  for (uint32_t gap : {15u, 16u, 31u, 32u, 47u, 48u, 150u}) {
    std::vector<uint8_t> dense(200 * 2, 0);
    dense[gap * 2 + 1] = 3;
    const CodeMatrix m = CodeMatrix::from_dense(200, 2, dense);
    for (uint32_t n : {1u, 2u, 3u}) EXPECT_EQ(unpack(pack(m, n)), m) << gap;
  }
}

TEST(SparseFormat, RowsAreInterleavedOverPes) {
  // 10 rows on 4 PEs: PE k owns rows k, k+4, k+8 -> 3, 3, 2, 2 local rows; on 16 PEs the last
  // six own none.
  const CodeMatrix m = CodeMatrix::from_dense(10, 1, std::vector<uint8_t>(10, 1));
  const PackedLayer p = pack(m, 4);
  EXPECT_EQ(p.local_rows(0), 3u);
  EXPECT_EQ(p.local_rows(1), 3u);
  EXPECT_EQ(p.local_rows(2), 2u);
  EXPECT_EQ(p.local_rows(3), 2u);
  for (uint32_t k = 0; k < 4; ++k) EXPECT_EQ(p.pe[k].entries.size(), p.local_rows(k));
  const PackedLayer wide = pack(m, 16);
  for (uint32_t k = 10; k < 16; ++k) {
    EXPECT_EQ(wide.local_rows(k), 0u);
    EXPECT_TRUE(wide.pe[k].entries.empty());
  }
  EXPECT_EQ(unpack(wide), m);
}

// The entries E issues (docs/hardware.md, section 6): a padding entry after an issued entry a is
// stepped over only when a neither starts its column nor its word, the padding lies in a's word
// and is not the column's last.
TEST(SparseFormat, ESkipsPaddingOnlyFromAWordItHolds) {
  const uint8_t w = make_entry(3, 0), pad = make_entry(0, 15);
  // Addresses 8..15 are one word: w w pad w pad pad w pad | w (16, the next word).
  std::vector<uint8_t> mem(32, w);
  for (uint32_t a : {10u, 12u, 13u, 15u}) mem[a] = pad;
  const auto at = [&](uint64_t a) { return mem[a]; };
  // 8 (first) 9 (not first, in word 1: skips 10) 11 (skips 12) 13 (pad: 14 is no padding) 14
  // (at 6: skips 15, still in the word) 16 (the next word, read) 17: 7 cycles for 10 entries.
  EXPECT_EQ(issued_entries(8, 18, at), 7u);
  EXPECT_TRUE(e_skips_next(8, 18, 9, at));
  EXPECT_FALSE(e_skips_next(9, 18, 9, at));  // 9 starts its column: its word is being read
  EXPECT_TRUE(e_skips_next(8, 18, 11, at));
  EXPECT_FALSE(e_skips_next(8, 18, 8, at));  // 8 starts its word
  EXPECT_TRUE(e_skips_next(8, 18, 14, at));  // at 6: the padding at 7 is in the word
  mem[16] = pad;
  EXPECT_FALSE(e_skips_next(8, 18, 15, at));  // at 7: the next entry is in a word not read yet
  EXPECT_FALSE(e_skips_next(8, 13, 11, at));  // 12 would be the column's last
  EXPECT_TRUE(e_skips_next(8, 14, 11, at));
  // Every entry a cycle when there is no padding; one cycle for a single entry.
  const std::vector<uint8_t> plain(20, w);
  EXPECT_EQ(issued_entries(3, 19, [&](uint64_t a) { return plain[a]; }), 16u);
  EXPECT_EQ(issued_entries(5, 6, at), 1u);
  EXPECT_EQ(issued_entries(5, 5, at), 0u);
}

TEST(SparseFormat, WordLayoutIsLittleEndianByEntry) {
  PeSlice s;
  for (unsigned e = 0; e < 10; ++e) s.entries.push_back(make_entry(e % 16, (e + 3) % 16));
  const std::vector<uint64_t> w = s.words();
  ASSERT_EQ(w.size(), 2u);
  for (unsigned e = 0; e < 10; ++e) {
    EXPECT_EQ((w[e / 8] >> (8 * (e % 8))) & 0xFF, s.entries[e]);
  }
  EXPECT_EQ(w[1] >> 16, 0u);              // the tail of the last word is zero-filled
  EXPECT_EQ(make_entry(0x3, 0xA), 0xA3);  // v in bits [3:0], z in bits [7:4]
  EXPECT_EQ(entry_v(0xA3), 0x3u);
  EXPECT_EQ(entry_z(0xA3), 0xAu);
}

TEST(SparseFormat, UnpackRejectsMalformedSlices) {
  std::mt19937_64 rng(7);
  const CodeMatrix m = random_code_matrix(40, 5, 0.3, rng);
  const PackedLayer good = pack(m, 2);
  const auto expect_reject = [](const PackedLayer& p, const char* needle) {
    test::expect_error([&] { unpack(p); }, needle);
  };
  PackedLayer p = good;
  p.pe[0].ptr.pop_back();
  expect_reject(p, "pointers");
  p = good;
  p.pe[1].ptr[2] = p.pe[1].ptr[3] + 1;
  expect_reject(p, "decreases");
  p = good;
  p.pe[0].entries[0] = make_entry(0, 3);  // index 0 that is not a full padding entry
  expect_reject(p, "padding must be v=0, z=15");
  p = good;
  ASSERT_GE(p.pe[0].ptr[1], 2u);  // column 0 of PE 0 holds two entries to corrupt
  p.pe[0].entries[0] = make_entry(5, 15);
  p.pe[0].entries[1] = make_entry(5, 15);  // runs past the 20 local rows
  expect_reject(p, "lands on local row");
  // A padding entry closing a column.
  PackedLayer pad = pack(CodeMatrix::from_dense(40, 1,
                                                [] {
                                                  std::vector<uint8_t> d(40, 0);
                                                  d[34] = 1;
                                                  return d;
                                                }()),
                         1);
  ASSERT_EQ(pad.pe[0].entries.size(), 3u);
  pad.pe[0].entries.pop_back();
  pad.pe[0].ptr[1] = 2;
  expect_reject(pad, "ends the column");
  p = good;
  p.pe.pop_back();
  expect_reject(p, "slices");
}

TEST(SparseFormat, CodeMatrixValidation) {
  CodeMatrix m = CodeMatrix::from_dense(3, 2, {1, 0, 0, 2, 3, 0});
  EXPECT_NO_THROW(m.validate());
  CodeMatrix bad = m;
  bad.code[0] = 0;
  EXPECT_THROW(bad.validate(), Error);
  bad = m;
  bad.row_idx[0] = 3;
  EXPECT_THROW(bad.validate(), Error);
  bad = m;
  std::swap(bad.row_idx[0], bad.row_idx[1]);
  EXPECT_THROW(bad.validate(), Error);
  EXPECT_THROW(CodeMatrix::from_dense(2, 2, {1, 2, 3}), Error);
  EXPECT_THROW(CodeMatrix::from_dense(1, 1, {16}), Error);
  EXPECT_THROW(pack(m, 0), Error);
}

}  // namespace
}  // namespace eie
