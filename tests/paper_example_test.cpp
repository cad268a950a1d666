// The EIE paper's worked examples (EIE Fig. 2/3 and its padding example), reproduced exactly.
#include <gtest/gtest.h>

#include <vector>

#include "eie/sparse_format.h"

namespace eie {
namespace {

struct Nz {
  uint32_t row, col;
  uint8_t code;
};

// The 16 x 8 matrix of Fig. 2. PE0's thirteen weights get codes 1..13 in the order Fig. 3 lists
// them (so v can be checked by position); the other PEs' weights are there to show they do not
// leak into PE0's slice.
CodeMatrix paper_matrix() {
  const std::vector<Nz> pe0 = {{0, 0, 1},  {8, 0, 2},  {12, 0, 3}, {4, 1, 4}, {0, 2, 5},
                               {12, 2, 6}, {0, 4, 7},  {4, 4, 8},  {0, 5, 9}, {12, 5, 10},
                               {0, 6, 11}, {8, 7, 12}, {12, 7, 13}};
  const std::vector<Nz> others = {{1, 0, 14}, {5, 1, 15},  {2, 2, 14}, {15, 3, 15}, {9, 3, 14},
                                  {3, 4, 15}, {13, 6, 14}, {6, 7, 15}, {11, 7, 14}};
  std::vector<uint8_t> dense(16 * 8, 0);
  for (const auto& list : {pe0, others}) {
    for (const Nz& n : list) dense[n.row * 8 + n.col] = n.code;
  }
  return CodeMatrix::from_dense(16, 8, dense);
}

TEST(PaperExample, Pe0SliceMatchesFigure3) {
  const PackedLayer p = pack(paper_matrix(), 4);
  ASSERT_EQ(p.pe.size(), 4u);
  EXPECT_EQ(p.local_rows(0), 4u);  // rows 0, 4, 8, 12
  const PeSlice& s = p.pe[0];
  std::vector<unsigned> v, z;
  for (uint8_t e : s.entries) {
    v.push_back(entry_v(e));
    z.push_back(entry_z(e));
  }
  EXPECT_EQ(v, (std::vector<unsigned>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
  EXPECT_EQ(z, (std::vector<unsigned>{0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 0, 2, 0}));
  EXPECT_EQ(s.ptr, (std::vector<uint32_t>{0, 3, 4, 6, 6, 8, 10, 11, 13}));
  EXPECT_EQ(s.padding(), 0u);
  // Even/odd banks let the PE read p_j and p_j+1 in one cycle.
  EXPECT_EQ(s.pointer_bank(0), (std::vector<uint32_t>{0, 4, 6, 10, 13}));
  EXPECT_EQ(s.pointer_bank(1), (std::vector<uint32_t>{3, 6, 8, 11}));
  EXPECT_EQ(unpack(p), paper_matrix());
}

TEST(PaperExample, PaddingExample) {
  // Column [0, 0, 1, 2, 0 x 18, 3] encodes as v = [1, 2, 0, 3], z = [2, 0, 15, 2].
  std::vector<uint8_t> column(23, 0);
  column[2] = 1;
  column[3] = 2;
  column[22] = 3;
  const CodeMatrix m = CodeMatrix::from_dense(23, 1, column);
  const PackedLayer p = pack(m, 1);
  std::vector<unsigned> v, z;
  for (uint8_t e : p.pe[0].entries) {
    v.push_back(entry_v(e));
    z.push_back(entry_z(e));
  }
  EXPECT_EQ(v, (std::vector<unsigned>{1, 2, 0, 3}));
  EXPECT_EQ(z, (std::vector<unsigned>{2, 0, 15, 2}));
  EXPECT_EQ(p.pe[0].ptr, (std::vector<uint32_t>{0, 4}));
  EXPECT_EQ(unpack(p), m);
}

}  // namespace
}  // namespace eie
