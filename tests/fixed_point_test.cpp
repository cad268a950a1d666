// docs/arithmetic.md, rule by rule: rounding of the scaled product, saturation, ReLU, conversions
// and the choice of w_frac.
#include "eie/fixed_point.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "eie/error.h"

namespace eie {
namespace {

TEST(FixedPoint, ScaledProductRoundsHalfUp) {
  // w_frac = 8: p = 128 is +0.5 -> 1, p = -128 is -0.5 -> 0 (half up, towards +infinity).
  EXPECT_EQ(scale_product(128, 8), 1);
  EXPECT_EQ(scale_product(-128, 8), 0);
  EXPECT_EQ(scale_product(127, 8), 0);
  EXPECT_EQ(scale_product(-129, 8), -1);
  EXPECT_EQ(scale_product(384, 8), 2);    // 1.5 -> 2
  EXPECT_EQ(scale_product(-384, 8), -1);  // -1.5 -> -1
  EXPECT_EQ(scale_product(-640, 8), -2);  // -2.5 -> -2
  EXPECT_EQ(scale_product(0, 8), 0);
}

TEST(FixedPoint, ScaledProductAtWFracZeroAndFifteen) {
  EXPECT_EQ(scale_product(12345, 0), 12345);
  EXPECT_EQ(scale_product(-12345, 0), -12345);
  EXPECT_EQ(scale_product(16384, 15), 1);  // exactly 0.5
  EXPECT_EQ(scale_product(16383, 15), 0);
  EXPECT_EQ(scale_product(-16384, 15), 0);  // exactly -0.5
  EXPECT_EQ(scale_product(-16385, 15), -1);
  // The largest product, (-32768)^2 = 2^30, does not overflow the rounding step.
  EXPECT_EQ(scale_product(1 << 30, 15), 32768);
  EXPECT_EQ(scale_product(-32768 * 32767, 15), -32767);
}

TEST(FixedPoint, ScaledProductMatchesFloorOfPlusHalf) {
  // The rule restated in real arithmetic: s = floor(p / 2^f + 1/2).
  for (int f = 1; f <= 15; ++f) {
    for (int32_t p = -70000; p <= 70000; p += 37) {
      const double expect = std::floor(static_cast<double>(p) / std::ldexp(1.0, f) + 0.5);
      ASSERT_EQ(scale_product(p, f), static_cast<int32_t>(expect)) << "p=" << p << " f=" << f;
    }
  }
}

TEST(FixedPoint, MacStepSaturatesTheAccumulator) {
  const int32_t max = std::numeric_limits<int32_t>::max();
  const int32_t min = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(mac_step(max - 1, 100, 100, 0), max);
  EXPECT_EQ(mac_step(min + 1, -100, 100, 0), min);
  EXPECT_EQ(mac_step(max, -1, 1, 0), max - 1);  // leaves saturation on the way back
  EXPECT_EQ(mac_step(10, 256, 256, 8), 10 + 256);
  EXPECT_EQ(mac_step(0, -32768, -32768, 0), 1 << 30);
}

TEST(FixedPoint, WriteBackSaturatesThenAppliesRelu) {
  EXPECT_EQ(write_back(40000, false), 32767);
  EXPECT_EQ(write_back(-40000, false), -32768);
  EXPECT_EQ(write_back(-40000, true), 0);
  EXPECT_EQ(write_back(40000, true), 32767);
  EXPECT_EQ(write_back(-1, true), 0);
  EXPECT_EQ(write_back(-1, false), -1);
  EXPECT_EQ(write_back(5, true), 5);
  EXPECT_EQ(write_back(0, true), 0);
}

TEST(FixedPoint, FloatConversionRoundsHalfAwayFromZero) {
  EXPECT_EQ(to_fixed16(1.0, 8), 256);
  EXPECT_EQ(to_fixed16(0.5 / 256, 8), 1);
  EXPECT_EQ(to_fixed16(-0.5 / 256, 8), -1);
  EXPECT_EQ(to_fixed16(1.5 / 256, 8), 2);
  EXPECT_EQ(to_fixed16(-1.5 / 256, 8), -2);
  EXPECT_EQ(to_fixed16(0.49 / 256, 8), 0);
  EXPECT_EQ(to_fixed32(-2.5, 0), -3);
  EXPECT_EQ(to_fixed32(2.5, 0), 3);
}

TEST(FixedPoint, FloatConversionSaturates) {
  EXPECT_EQ(to_fixed16(200.0, 8), 32767);
  EXPECT_EQ(to_fixed16(-200.0, 8), -32768);
  EXPECT_EQ(to_fixed16(127.998, 8), 32767);  // rounds to 32767.49 -> 32767
  EXPECT_EQ(to_fixed16(-128.0, 8), -32768);
  EXPECT_EQ(to_fixed16(INFINITY, 8), 32767);
  EXPECT_EQ(to_fixed16(-INFINITY, 8), -32768);
  EXPECT_EQ(to_fixed32(1e12, 8), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(to_fixed32(-1e12, 8), std::numeric_limits<int32_t>::min());
  EXPECT_THROW(to_fixed16(NAN, 8), Error);
  EXPECT_THROW(to_fixed32(NAN, 8), Error);
  EXPECT_DOUBLE_EQ(from_fixed(-384, 8), -1.5);
}

TEST(FixedPoint, WFracIsTheLargestThatFits) {
  EXPECT_EQ(choose_w_frac({0.9, -0.3}), 15);  // 0.9 * 2^15 = 29491
  EXPECT_EQ(choose_w_frac({1.0}), 14);        // 2^15 > 32767
  EXPECT_EQ(choose_w_frac({-1.0, 0.5}), 14);
  EXPECT_EQ(choose_w_frac({32767.0 / 32768.0}), 15);
  EXPECT_EQ(choose_w_frac({3.0}), 13);
  EXPECT_EQ(choose_w_frac({32767.0}), 0);
  EXPECT_EQ(choose_w_frac({0.0}), 15);
  EXPECT_EQ(choose_w_frac({}), 15);
  EXPECT_THROW(choose_w_frac({32767.5}), Error);
  EXPECT_THROW(choose_w_frac({NAN}), Error);
  // Every centroid converted with the chosen w_frac fits without saturating.
  for (double c : {0.001, 0.7, 1.3, 17.0, 1000.0, 20000.0}) {
    const int f = choose_w_frac({c});
    EXPECT_LE(std::fabs(c) * std::ldexp(1.0, f), 32767.0);
    if (f < kMaxFrac) {
      EXPECT_GT(std::fabs(c) * std::ldexp(1.0, f + 1), 32767.0);
    }
  }
}

}  // namespace
}  // namespace eie
