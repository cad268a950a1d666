// The fixed-point LSTM step of docs/arithmetic.md ("LSTM"): the sigmoid table, the interpolated
// sigmoid and tanh, and the cell and hidden update.
#include "eie/lstm.h"

#include <gtest/gtest.h>

#include <cmath>

#include "eie/error.h"

namespace eie {
namespace {

double sigma(double x) { return 1.0 / (1.0 + std::exp(-x)); }

TEST(LstmArithmetic, TableMatchesItsFormula) {
  for (int n = 0; n <= kSigmoidSteps; ++n) {
    const double want = std::floor(32768.0 * sigma(n / double{kSigmoidStepsPerUnit}) + 0.5);
    EXPECT_EQ(kSigmoidTable[static_cast<size_t>(n)], static_cast<int32_t>(want)) << "n = " << n;
  }
  EXPECT_EQ(kSigmoidTable.front(), 16384);
  EXPECT_EQ(kSigmoidTable.back(), 32757);
}

// Values worked by hand from the page's definition, at act_frac 8 (1.0 = 256).
TEST(LstmArithmetic, WorkedValues) {
  EXPECT_EQ(sigmoid_act(0, 8), 128);
  // 1.0: table entry 8 exactly, 23955 in Q15, (23955 + 64) >> 7 = 187 (sigma(1) * 256 = 187.15).
  EXPECT_EQ(sigmoid_q15(256, 8), 23955);
  EXPECT_EQ(sigmoid_act(256, 8), 187);
  // -1.0: 32768 - 23955 = 8813, (8813 + 64) >> 7 = 69.
  EXPECT_EQ(sigmoid_act(-256, 8), 69);
  // 1/16 lies halfway between entries 0 and 1: 16384 + (128 * 1023 + 128) >> 8 = 16896.
  EXPECT_EQ(sigmoid_q15(16, 8), 16896);
  EXPECT_EQ(sigmoid_act(16, 8), 132);
  // tanh(1) = 2 sigma(2) - 1: entry 16, 2 * 28862 - 32768 = 24956, (24956 + 64) >> 7 = 195.
  EXPECT_EQ(tanh_act(256, 8), 195);
  EXPECT_EQ(tanh_act(0, 8), 0);
  // Beyond the table: 32757 in Q15, 256 at 8 bits; the far negative end 11 in Q15, 0 at 8 bits.
  EXPECT_EQ(sigmoid_act(32767, 8), 256);
  EXPECT_EQ(sigmoid_act(-32768, 8), 0);
  // At 15 bits the output is the Q15 value itself: -1.0 is entry 8 mirrored, -2.0 entry 16.
  EXPECT_EQ(sigmoid_act(-32768, 15), 32768 - 23955);
  EXPECT_EQ(sigmoid_q15(-65536, 15), 32768 - 28862);
}

// Every int16 input at several act_frac: within the interpolation bound on the table's range
// (1.9e-4 for the sigmoid on [-8, 8], 3.8e-4 for tanh on [-4, 4]) plus the Q15 rounding, and
// within the table's last entry beyond it (3.4e-4 and 6.7e-4); at most half an output step more
// at act_frac bits.
TEST(LstmArithmetic, EveryInputWithinTheStatedBound) {
  for (int frac : {0, 3, 8, 12, 15}) {
    const double step = std::ldexp(1.0, -frac);
    for (int z = -32768; z <= 32767; ++z) {
      const double x = z * step;
      const double sigmoid_bound = std::fabs(x) < 8 ? 1.91e-4 + 1.0 / 65536 : 3.36e-4;
      const double tanh_bound = std::fabs(x) < 4 ? 3.82e-4 + 2.0 / 65536 : 6.72e-4;
      const double q = sigmoid_q15(z, frac) / 32768.0;
      const double q_tanh = (2 * sigmoid_q15(2 * z, frac) - 32768) / 32768.0;
      ASSERT_LE(std::fabs(q - sigma(x)), sigmoid_bound) << "z = " << z << ", act_frac " << frac;
      ASSERT_LE(std::fabs(q_tanh - std::tanh(x)), tanh_bound)
          << "z = " << z << ", act_frac " << frac;
      const double s = std::ldexp(sigmoid_act(static_cast<int16_t>(z), frac), -frac);
      const double t = std::ldexp(tanh_act(static_cast<int16_t>(z), frac), -frac);
      ASSERT_LE(std::fabs(s - q), step / 2) << "z = " << z << ", act_frac " << frac;
      ASSERT_LE(std::fabs(t - q_tanh), step / 2) << "z = " << z << ", act_frac " << frac;
    }
  }
}

TEST(LstmArithmetic, SymmetricAndMonotonic) {
  for (int frac : {0, 8, 12, 15}) {
    int32_t last_q = -1;
    int16_t last_s = -1, last_t = INT16_MIN;
    for (int z = -32768; z <= 32767; ++z) {
      const int32_t q = sigmoid_q15(z, frac);
      ASSERT_EQ(q + sigmoid_q15(-z, frac), 32768) << z;
      ASSERT_EQ(2 * sigmoid_q15(2 * z, frac) - 32768, -(2 * sigmoid_q15(-2 * z, frac) - 32768));
      ASSERT_GE(q, last_q) << z;
      const int16_t s = sigmoid_act(static_cast<int16_t>(z), frac);
      const int16_t t = tanh_act(static_cast<int16_t>(z), frac);
      ASSERT_GE(s, last_s) << z;
      ASSERT_GE(t, last_t) << z;
      ASSERT_GE(s, 0);
      ASSERT_LE(s, 1 << frac);
      ASSERT_LE(std::abs(t), 1 << frac);
      last_q = q, last_s = s, last_t = t;
    }
  }
}

// Gate pre-activations that pin each gate: +-32767 drive sigm to 1 or 0 and tanh to 1.
TEST(LstmArithmetic, CellAndHiddenUpdate) {
  constexpr int16_t kOn = 32767, kOff = -32768;
  LstmState s(1);
  // i = 1, f = 0, g = 1, o = 1: c = 1.0 (256), h = tanh(1) = 195.
  lstm_step({kOn, kOff, kOn, kOn}, s, 8);
  EXPECT_EQ(s.c[0], 256);
  EXPECT_EQ(s.h[0], 195);
  // Round half up: f = sigm(0) = 128 (0.5) times c = 1 (1/256) is 128 / 256 = 0.5 -> 1; with
  // c = -1, -0.5 -> 0. i = 0 adds nothing.
  s.c = {1};
  lstm_step({kOff, 0, kOn, kOn}, s, 8);
  EXPECT_EQ(s.c[0], 1);
  s.c = {-1};
  lstm_step({kOff, 0, kOn, kOn}, s, 8);
  EXPECT_EQ(s.c[0], 0);
  EXPECT_EQ(s.h[0], 0);
  // Saturation: f = 1 keeps c = 32767, i * g adds 1.0 more.
  s.c = {32767};
  lstm_step({kOn, kOn, kOn, kOn}, s, 8);
  EXPECT_EQ(s.c[0], 32767);
  EXPECT_EQ(s.h[0], 256);  // o = 1, tanh(127.99) = 1.0
  // o = 0 closes the output whatever the cell holds.
  lstm_step({kOn, kOn, kOn, kOff}, s, 8);
  EXPECT_EQ(s.h[0], 0);
  // Units are independent: gate rows are i[0..H), f[H..2H), g[2H..3H), o[3H..4H).
  LstmState two(2);
  lstm_step({kOn, kOff, kOff, kOff, kOn, kOn, kOn, kOn}, two, 8);
  EXPECT_EQ(two.c, (std::vector<int16_t>{256, 0}));  // unit 0: i = 1, g = 1; unit 1: i = 0
  EXPECT_EQ(two.h, (std::vector<int16_t>{195, 0}));
  EXPECT_THROW(lstm_step({1, 2, 3}, s, 8), Error);
  EXPECT_THROW(sigmoid_q15(0, 16), Error);
}

}  // namespace
}  // namespace eie
