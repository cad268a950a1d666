// The golden model's prediction of the hardware's actions (eie/activity.h), on the EIE paper's
// worked example: PE0 of 4 holds the 16 x 8 matrix's rows 0, 4, 8, 12 with column pointers
// 0 3 4 6 6 8 10 11 13 and relative row indices 0 1 0 1 0 2 0 0 0 2 0 2 0 (EIE Fig. 3).
#include "eie/activity.h"

#include <gtest/gtest.h>

#include <vector>

#include "eie/error.h"
#include "eie/sparse_format.h"

namespace eie {
namespace {

MemoryImage paper_image(uint32_t entry_offset) {
  MemoryImage image;
  image.config.num_pe = 4;
  LayerDescriptor d;
  d.rows = 16;
  d.cols = 8;
  d.ptr_base = 2;  // another layer's pointers before it
  image.layers.push_back(d);
  image.pe.resize(4);
  const std::vector<uint32_t> pe0 = {0, 3, 4, 6, 6, 8, 10, 11, 13};
  const std::vector<unsigned> pe0_z = {0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 0, 2, 0};
  for (uint32_t k = 0; k < 4; ++k) {
    std::vector<uint32_t>& p = image.pe[k].pointers;
    p = {0, 0};
    for (uint32_t j = 0; j <= 8; ++j) {
      p.push_back(entry_offset + (k == 0 ? pe0[j] : j / 4));  // PEs 1..3: columns 3 and 7
    }
    PeSlice slice;
    slice.entries.assign(entry_offset, make_entry(1, 0));  // the layer before's
    if (k == 0) {
      for (const unsigned z : pe0_z) slice.entries.push_back(make_entry(1, z));
    } else {  // column 3 at local row 0, column 7 at local row 1
      slice.entries.push_back(make_entry(1, 0));
      slice.entries.push_back(make_entry(1, 1));
    }
    image.pe[k].spmat = slice.words();
  }
  return image;
}

TEST(Activity, PaperExampleAllInputs) {
  const std::vector<int16_t> x(8, 1);
  const auto a = predict_layer_activity(paper_image(0), 0, x);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].broadcasts, 8u);
  EXPECT_EQ(a[0].columns, 7u);  // column 3 is empty in PE0
  EXPECT_EQ(a[0].entries, 13u);
  EXPECT_EQ(a[0].spmat_words, 7u);  // eight entries to a 64-bit word: 0..7 and 8..12
  EXPECT_EQ(a[0].rows, 4u);
  EXPECT_EQ(a[0].touched_rows, 4u);
  EXPECT_EQ(a[0].groups, 2u);
  EXPECT_EQ(a[1].touched_rows, 2u);
  EXPECT_EQ(a[1].columns, 2u);
  EXPECT_EQ(a[1].entries, 2u);
  EXPECT_EQ(a[1].spmat_words, 2u);
}

TEST(Activity, ZeroInputsAreNeverBroadcast) {
  std::vector<int16_t> x(8, 0);
  x[0] = 5;   // entries 0..2
  x[7] = -1;  // entries 11..12
  const auto a = predict_layer_activity(paper_image(0), 0, x);
  EXPECT_EQ(a[0].broadcasts, 2u);
  EXPECT_EQ(a[0].columns, 2u);
  EXPECT_EQ(a[0].entries, 5u);
  EXPECT_EQ(a[0].spmat_words, 2u);
  EXPECT_EQ(a[2].broadcasts, 2u);
  EXPECT_EQ(a[2].columns, 1u);  // column 7 only
  // Rows 0, 8, 12 from column 0, rows 8 and 12 again from column 7: local rows 0, 2, 3.
  EXPECT_EQ(a[0].touched_rows, 3u);
  EXPECT_EQ(a[2].touched_rows, 1u);
}

TEST(Activity, WordsFollowTheAbsoluteAddressAndTheWidth) {
  const std::vector<int16_t> x(8, 1);
  // At entry offset 6 (another layer's entries first) column 0 spans addresses 6..8: two words.
  EXPECT_EQ(predict_layer_activity(paper_image(6), 0, x)[0].spmat_words, 8u);
  EXPECT_EQ(spmat_word_reads(paper_image(6), 0, x, 64)[0], 8u);
  // 32-bit words hold four entries: 0..2 | 3 | 4..5 | 6..7 | 8..9 | 10 | 11..12 (words 2 and 3).
  EXPECT_EQ(spmat_word_reads(paper_image(0), 0, x, 32)[0], 8u);
  EXPECT_EQ(spmat_word_reads(paper_image(0), 0, x, 512)[0], 7u);
}

TEST(Activity, BroadcastFloorCountsNonZerosAndEmptyGroups) {
  // Groups of 4: {1, 0, 2, 0} 2 non-zeros, {0, 0, 0, 0} empty: 1 cycle, {0, 5} 1 non-zero.
  EXPECT_EQ(broadcast_floor({1, 0, 2, 0, 0, 0, 0, 0, 0, 5}, 4), 4u);
  EXPECT_EQ(broadcast_floor(std::vector<int16_t>(10, 0), 4), 3u);  // three empty groups
  EXPECT_EQ(broadcast_floor(std::vector<int16_t>(10, 1), 1), 10u);
  EXPECT_EQ(broadcast_floor({}, 4), 0u);
  EXPECT_THROW(broadcast_floor({1}, 0), Error);
}

TEST(Activity, BadArgumentsAreErrors) {
  const std::vector<int16_t> x(8, 1);
  EXPECT_THROW(predict_layer_activity(paper_image(0), 1, x), Error);
  EXPECT_THROW(predict_layer_activity(paper_image(0), 0, std::vector<int16_t>(7, 1)), Error);
  EXPECT_THROW(spmat_word_reads(paper_image(0), 0, x, 12), Error);
  EXPECT_THROW(spmat_word_reads(paper_image(0), 0, x, 0), Error);
  EXPECT_THROW(spmat_word_reads(paper_image(0), 1, x, 64), Error);
  // An entry beyond the sparse matrix, or at a row beyond the PE's share of the layer.
  MemoryImage short_matrix = paper_image(0);
  short_matrix.pe[0].spmat.resize(1);
  EXPECT_THROW(predict_layer_activity(short_matrix, 0, x), Error);
  MemoryImage far_row = paper_image(0);
  far_row.pe[1].spmat = {uint64_t{make_entry(1, 0)} | uint64_t{make_entry(1, 9)} << 8};
  EXPECT_THROW(predict_layer_activity(far_row, 0, x), Error);
}

}  // namespace
}  // namespace eie
