#include "eie/fixed_point.h"

#include <cmath>
#include <limits>

#include "eie/error.h"

namespace eie {

int32_t mac_step(int32_t acc, int16_t a, int16_t w, int w_frac) {
  const int32_t p = static_cast<int32_t>(a) * static_cast<int32_t>(w);
  return saturate_int32(static_cast<int64_t>(acc) + scale_product(p, w_frac));
}

int16_t write_back(int32_t acc, bool relu) {
  const int16_t y = saturate_int16(acc);
  return relu && y < 0 ? int16_t{0} : y;
}

namespace {
double round_half_away(double x) { return std::round(x); }  // std::round: halves away from zero
}  // namespace

int16_t to_fixed16(double x, int frac) {
  require(!std::isnan(x), "cannot convert NaN to fixed point");
  const double scaled = round_half_away(std::ldexp(x, frac));
  if (scaled >= 32767.0) return std::numeric_limits<int16_t>::max();
  if (scaled <= -32768.0) return std::numeric_limits<int16_t>::min();
  return static_cast<int16_t>(scaled);
}

int32_t to_fixed32(double x, int frac) {
  require(!std::isnan(x), "cannot convert NaN to fixed point");
  const double scaled = round_half_away(std::ldexp(x, frac));
  if (scaled >= 2147483647.0) return std::numeric_limits<int32_t>::max();
  if (scaled <= -2147483648.0) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(scaled);
}

double from_fixed(int64_t x, int frac) { return std::ldexp(static_cast<double>(x), -frac); }

int choose_w_frac(const std::vector<double>& centroids) {
  double max_abs = 0.0;
  for (double c : centroids) {
    require(std::isfinite(c), "shared weight {} is not finite", c);
    max_abs = std::max(max_abs, std::fabs(c));
  }
  for (int f = kMaxFrac; f >= 0; --f) {
    if (max_abs * std::ldexp(1.0, f) <= 32767.0) return f;
  }
  fail(
      "largest shared weight magnitude {} exceeds 32767 and cannot be stored in int16 even with "
      "w_frac = 0",
      max_abs);
}

}  // namespace eie
