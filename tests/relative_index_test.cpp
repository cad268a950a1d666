// The model file's N-independent relative-index stream (docs/format.md, "Sparse data").
#include "eie/relative_index.h"

#include <gtest/gtest.h>

#include <random>

#include "eie/error.h"
#include "test_util.h"

namespace eie {
namespace {

TEST(RelativeIndex, EncodesColumnMajorGapsWithPadding) {
  // 4 x 3, non-zeros at (1,0)=5, (2,0)=6, (0,2)=7: positions 1, 2, 8.
  const CodeMatrix m = CodeMatrix::from_dense(4, 3, {0, 0, 7, 5, 0, 0, 6, 0, 0, 0, 0, 0});
  RelativeStream s = encode_relative(m, 4);
  EXPECT_EQ(s.weight, (std::vector<uint16_t>{5, 6, 7}));
  EXPECT_EQ(s.gap, (std::vector<uint16_t>{1, 0, 5}));
  // 2-bit gaps hold at most 3: the gap of 5 becomes a padding entry (gap 3) plus a gap of 1.
  s = encode_relative(m, 2);
  EXPECT_EQ(s.weight, (std::vector<uint16_t>{5, 6, 0, 7}));
  EXPECT_EQ(s.gap, (std::vector<uint16_t>{1, 0, 3, 1}));
  EXPECT_EQ(s.padding(), 1u);
  EXPECT_EQ(relative_entry_count(m, 2), 4u);
  EXPECT_EQ(decode_relative(s, 4, 3), m);
  // 1-bit gaps: 1 -> (5,1); 0 -> (6,0); 5 -> pads of 2 positions: 2 pads then gap 1.
  s = encode_relative(m, 1);
  EXPECT_EQ(s.weight, (std::vector<uint16_t>{5, 6, 0, 0, 7}));
  EXPECT_EQ(s.gap, (std::vector<uint16_t>{1, 0, 1, 1, 1}));
}

TEST(RelativeIndex, RoundTripsForEveryWidth) {
  std::mt19937_64 rng(42);
  for (double density : {0.0, 0.002, 0.02, 0.1, 0.5, 1.0}) {
    const CodeMatrix m = test::random_code_matrix(97, 61, density, rng);
    for (int bits = kMinRelBits; bits <= kMaxRelBits; ++bits) {
      const RelativeStream s = encode_relative(m, bits);
      EXPECT_EQ(s.entries(), relative_entry_count(m, bits));
      EXPECT_EQ(s.entries() - s.padding(), m.nnz());
      ASSERT_EQ(decode_relative(s, 97, 61), m) << "density " << density << " bits " << bits;
    }
  }
}

TEST(RelativeIndex, DecodeRejectsMalformedStreams) {
  const CodeMatrix m = CodeMatrix::from_dense(4, 3, {0, 0, 7, 5, 0, 0, 6, 0, 0, 0, 0, 0});
  const RelativeStream good = encode_relative(m, 2);
  RelativeStream s = good;
  s.gap.pop_back();
  EXPECT_THROW(decode_relative(s, 4, 3), Error);
  s = good;
  s.gap[0] = 4;  // above 2^2 - 1
  EXPECT_THROW(decode_relative(s, 4, 3), Error);
  s = good;
  s.gap[2] = 2;  // padding with a short gap
  EXPECT_THROW(decode_relative(s, 4, 3), Error);
  s = good;
  s.weight[0] = 16;
  EXPECT_THROW(decode_relative(s, 4, 3), Error);
  s = good;
  s.weight.back() = 0;  // trailing padding
  s.gap.back() = 3;
  EXPECT_THROW(decode_relative(s, 4, 3), Error);
  EXPECT_THROW(decode_relative(good, 2, 3), Error);  // position 8 is past a 2 x 3 matrix
  s = good;
  s.rel_bits = 9;
  EXPECT_THROW(decode_relative(s, 4, 3), Error);
  EXPECT_THROW(encode_relative(m, 0), Error);
}

}  // namespace
}  // namespace eie
