#include "eie/augment.h"

#include "eie/error.h"

namespace eie {

std::vector<Shift> shift_variants(int max_shift) {
  require(max_shift >= 0 && max_shift <= kMaxShift, "shift {} outside 0..{} pixels", max_shift,
          kMaxShift);
  std::vector<Shift> v{{0, 0}};
  for (int d = 1; d <= max_shift; ++d) {
    v.push_back({-d, 0});
    v.push_back({d, 0});
    v.push_back({0, -d});
    v.push_back({0, d});
  }
  return v;
}

std::vector<int32_t> shift_source(uint32_t rows, uint32_t cols, Shift s) {
  std::vector<int32_t> src(size_t{rows} * cols, -1);
  for (uint32_t r = 0; r < rows; ++r) {
    for (uint32_t c = 0; c < cols; ++c) {
      const int64_t from_r = int64_t{r} - s.rows;
      const int64_t from_c = int64_t{c} - s.cols;
      if (from_r >= 0 && from_r < rows && from_c >= 0 && from_c < cols) {
        src[size_t{r} * cols + c] = static_cast<int32_t>(from_r * cols + from_c);
      }
    }
  }
  return src;
}

Eigen::MatrixXf shifted(const Eigen::MatrixXf& x, uint32_t rows, uint32_t cols, Shift s) {
  require(static_cast<uint64_t>(x.rows()) == uint64_t{rows} * cols,
          "{} inputs are not {} x {} images", x.rows(), rows, cols);
  const std::vector<int32_t> src = shift_source(rows, cols, s);
  Eigen::MatrixXf out = Eigen::MatrixXf::Zero(x.rows(), x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (size_t p = 0; p < src.size(); ++p) {
      if (src[p] >= 0) out(static_cast<Eigen::Index>(p), j) = x(src[p], j);
    }
  }
  return out;
}

}  // namespace eie
