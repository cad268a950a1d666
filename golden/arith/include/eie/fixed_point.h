// Fixed-point arithmetic of EIE, exactly as docs/arithmetic.md specifies it. The RTL's arithmetic
// unit implements the same rules; tests/fixed_point_test.cpp ties each rule to this code.
#pragma once

#include <cstdint>
#include <vector>

namespace eie {

constexpr int kActFracDefault = 8;  // 1.0 = 256
constexpr int kMaxFrac = 15;        // w_frac and act_frac lie in [0, 15]

// Inline: the inference kernel calls them once per entry.
inline int16_t saturate_int16(int64_t x) {
  return static_cast<int16_t>(x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : x);
}
inline int32_t saturate_int32(int64_t x) {
  return static_cast<int32_t>(x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : x);
}

// Product p = a * w is exact in int32. s = (p + 2^(w_frac-1)) >> w_frac (arithmetic shift, so
// ties round towards +infinity); s = p when w_frac = 0. Inline: the golden kernel calls it 16
// times per broadcast activation.
inline int32_t scale_product(int32_t p, int w_frac) {
  if (w_frac == 0) return p;
  // |p| <= 2^30 and the rounding constant is <= 2^14, so the sum cannot overflow int32; the
  // widening keeps the expression obviously safe. >> on a negative value is arithmetic (C++20
  // guarantees it; every C++17 compiler we target does it too).
  const int64_t rounded = static_cast<int64_t>(p) + (int64_t{1} << (w_frac - 1));
  return static_cast<int32_t>(rounded >> w_frac);
}

// One multiply-accumulate step: acc = saturate_int32(acc + scale_product(a * w, w_frac)).
int32_t mac_step(int32_t acc, int16_t a, int16_t w, int w_frac);

// Write-back: y = saturate_int16(acc), then max(y, 0) when the layer has ReLU.
int16_t write_back(int32_t acc, bool relu);

// Float -> fixed with `frac` fractional bits: round half away from zero, then saturate.
// Throws eie::Error on NaN (infinities saturate like any out-of-range value).
int16_t to_fixed16(double x, int frac);
int32_t to_fixed32(double x, int frac);
double from_fixed(int64_t x, int frac);

// The largest f <= 15 with max|c| * 2^f <= 32767. Throws eie::Error when even f = 0 does not fit
// (a shared weight of magnitude above 32767 cannot be represented).
int choose_w_frac(const std::vector<double>& centroids);

}  // namespace eie
