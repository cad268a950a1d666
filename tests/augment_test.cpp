// Shift augmentation: the variants, the pixel each shows, and the trainer showing the same shifted
// digits the teacher's logits were computed on.
#include "eie/augment.h"

#include <gtest/gtest.h>

#include "eie/error.h"
#include "eie/mlp.h"

namespace eie {
namespace {

TEST(Augment, VariantsAreTheImageThenEachDistanceInFourDirections) {
  ASSERT_EQ(shift_variants(0).size(), 1u);
  const std::vector<Shift> v = shift_variants(2);
  ASSERT_EQ(v.size(), 9u);
  const std::vector<std::pair<int, int>> want = {{0, 0},  {-1, 0}, {1, 0},  {0, -1}, {0, 1},
                                                 {-2, 0}, {2, 0},  {0, -2}, {0, 2}};
  for (size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(v[i].rows, want[i].first) << i;
    EXPECT_EQ(v[i].cols, want[i].second) << i;
  }
  EXPECT_THROW(shift_variants(-1), Error);
  EXPECT_THROW(shift_variants(kMaxShift + 1), Error);
}

TEST(Augment, ShiftedImagesMoveAndFillWithZeros) {
  // A 2 x 3 image (rows != cols, so a swapped shape shows), pixels 1..6 row-major.
  Eigen::MatrixXf x(6, 1);
  x << 1, 2, 3, 4, 5, 6;
  const std::vector<int32_t> right = shift_source(2, 3, {0, 1});
  EXPECT_EQ(right, (std::vector<int32_t>{-1, 0, 1, -1, 3, 4}));
  Eigen::MatrixXf want(6, 1);
  want << 0, 1, 2, 0, 4, 5;
  EXPECT_EQ(shifted(x, 2, 3, {0, 1}), want);
  want << 4, 5, 6, 0, 0, 0;  // up by one row
  EXPECT_EQ(shifted(x, 2, 3, {-1, 0}), want);
  want << 0, 0, 0, 0, 0, 0;  // off the image
  EXPECT_EQ(shifted(x, 2, 3, {0, 3}), want);
  EXPECT_EQ(shifted(x, 2, 3, {0, 0}), x);
  EXPECT_THROW(shifted(x, 3, 3, {0, 1}), Error);  // 6 inputs are not 3 x 3 images
}

// One lit pixel per 6 x 6 image; a teacher that names the lit pixel's column and row (classes
// 0-5 and 6-11, a fully connected layer with weights 4), so its logits move with every shift.
struct LitPixels {
  TrainingSet set;
  Mlp teacher{std::vector<int>{36, 12}, 1};
};

LitPixels lit_pixels() {
  LitPixels d;
  d.set.image_rows = d.set.image_cols = 6;
  d.set.x = Eigen::MatrixXf::Zero(36, 36 * 4);
  for (int s = 0; s < 36 * 4; ++s) {
    d.set.x(s % 36, s) = 1.0f;
    d.set.labels.push_back(static_cast<uint8_t>(s % 6));
  }
  Eigen::MatrixXf w = Eigen::MatrixXf::Zero(12, 36);
  for (int p = 0; p < 36; ++p) {
    w(p % 6, p) = 4.0f;
    w(6 + p / 6, p) = 4.0f;
  }
  d.teacher.set_layer(0, w, Eigen::VectorXf::Zero(12));
  return d;
}

TEST(Augment, TeacherLogitsCoverEveryVariantInOrder) {
  const LitPixels d = lit_pixels();
  const Eigen::MatrixXf t = d.teacher.teacher_logits(d.set, 1);
  const auto n = static_cast<Eigen::Index>(d.set.size());
  ASSERT_EQ(t.cols(), 5 * n);
  const std::vector<Shift> v = shift_variants(1);
  for (size_t k = 0; k < v.size(); ++k) {
    EXPECT_EQ(t.middleCols(static_cast<Eigen::Index>(k) * n, n),
              d.teacher.logits(shifted(d.set.x, 6, 6, v[k])))
        << k;
  }
  EXPECT_EQ(d.teacher.teacher_logits(d.set, 0), d.teacher.logits(d.set.x));
}

// Distilled from the teacher with shifts, the student meets targets that move with each shift: it
// fits them only if the trainer shows each digit moved as the teacher's logits of its variant
// assume (a mismatch, left for right say, leaves targets that contradict each other).
TEST(Augment, TrainerShowsTheVariantTheTeacherSaw) {
  LitPixels d = lit_pixels();
  d.set.teacher = d.teacher.teacher_logits(d.set, 1);
  TrainOptions o;
  o.epochs = 60;
  o.lr = 0.5f;
  o.weight_decay = 0.0f;
  o.distill = 1.0f;
  o.shift = 1;
  Mlp student(std::vector<int>{36, 12}, 5), again(std::vector<int>{36, 12}, 5);
  std::vector<double> losses;
  student.train(d.set, nullptr, o, [&](const EpochReport& r) { losses.push_back(r.loss); });
  again.train(d.set, nullptr, o);
  EXPECT_LT(losses.back(), 0.01 * losses.front()) << "first epoch " << losses.front();
  EXPECT_EQ(student.weights(0), again.weights(0));  // same seed, same draws
  // The same student without shifts, on the unshifted teacher: another network.
  d.set.teacher = d.teacher.logits(d.set.x);
  o.shift = 0;
  Mlp unshifted(std::vector<int>{36, 12}, 5);
  unshifted.train(d.set, nullptr, o);
  EXPECT_NE(unshifted.weights(0), student.weights(0));
  // Shifts need the teacher's logits of every variant, and images more than twice as large.
  o.shift = 1;
  EXPECT_THROW(unshifted.train(d.set, nullptr, o), Error);
  o.distill = 0.0f;
  o.shift = 3;
  EXPECT_THROW(unshifted.train(d.set, nullptr, o), Error);
  o.shift = 1;
  d.set.image_rows = d.set.image_cols = 0;
  EXPECT_THROW(unshifted.train(d.set, nullptr, o), Error);
}

}  // namespace
}  // namespace eie
