// Shift augmentation of image data: a digit moved by whole pixels, the edge it leaves filled with
// zeros (Simard et al. 2003; LeCun et al. 1998 trained LeNet on distorted digits). The trainer
// draws one variant per sample per epoch (eie/mlp.h, TrainOptions::shift); the pipeline computes
// the teacher's logits of every variant once for distillation.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace eie {

// A move by `rows` pixels down and `cols` pixels right (negative: up, left).
struct Shift {
  int rows = 0;
  int cols = 0;
};

// The largest shift the trainer accepts: a digit of MNIST has 4 blank pixels at each edge.
constexpr int kMaxShift = 4;

// The variants a shift of up to `max_shift` pixels draws from: the image itself first, then for
// d = 1..max_shift: up, down, left and right by d pixels (1 + 4 x max_shift variants).
std::vector<Shift> shift_variants(int max_shift);

// For each pixel of a rows x cols image (row-major) moved by s, the pixel of the original it
// shows, or -1 where it shows the zero fill.
std::vector<int32_t> shift_source(uint32_t rows, uint32_t cols, Shift s);

// Every column of x (one rows x cols image per column, row-major) moved by s.
Eigen::MatrixXf shifted(const Eigen::MatrixXf& x, uint32_t rows, uint32_t cols, Shift s);

}  // namespace eie
