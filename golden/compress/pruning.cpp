#include "eie/pruning.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>

#include "eie/error.h"

namespace eie {

namespace {

void require_finite(const std::vector<float>& w) {
  for (size_t i = 0; i < w.size(); ++i) {
    if (!std::isfinite(w[i])) {
      fail("pruning: weight {} is {}", i, std::isnan(w[i]) ? "NaN" : "infinite");
    }
  }
}

}  // namespace

Mask prune_by_density(const std::vector<float>& w, double density) {
  // Written so that NaN fails too.
  require(density >= 0.0 && density <= 1.0, "pruning density {} outside [0, 1]", density);
  require_finite(w);
  const size_t n = w.size();
  const auto keep = static_cast<size_t>(std::llround(density * static_cast<double>(n)));
  Mask mask(n, 0);
  if (keep == 0) return mask;
  // A strict total order (|w| descending, then index ascending) makes the selection unique, so
  // ties at the threshold always keep the lower indices. nth_element keeps this O(n).
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  const auto before = [&w](size_t a, size_t b) {
    const float ma = std::fabs(w[a]);
    const float mb = std::fabs(w[b]);
    return ma > mb || (ma == mb && a < b);
  };
  if (keep < n) {
    const auto last_kept = order.begin() + static_cast<std::ptrdiff_t>(keep - 1);
    std::nth_element(order.begin(), last_kept, order.end(), before);
  }
  for (size_t i = 0; i < keep; ++i) mask[order[i]] = 1;
  return mask;
}

Mask prune_by_quality(const std::vector<float>& w, double quality) {
  require(std::isfinite(quality) && quality >= 0.0,
          "pruning quality parameter {} must be finite and >= 0", quality);
  require_finite(w);
  const size_t n = w.size();
  Mask mask(n, 0);
  if (n == 0) return mask;
  // Population standard deviation around the mean, in two passes for accuracy.
  double sum = 0.0;
  for (float x : w) sum += x;
  const double mean = sum / static_cast<double>(n);
  double sq = 0.0;
  for (float x : w) sq += (x - mean) * (x - mean);
  const double threshold = quality * std::sqrt(sq / static_cast<double>(n));
  for (size_t i = 0; i < n; ++i) mask[i] = std::fabs(static_cast<double>(w[i])) > threshold ? 1 : 0;
  return mask;
}

size_t count_kept(const Mask& m) {
  return static_cast<size_t>(std::count_if(m.begin(), m.end(), [](uint8_t b) { return b != 0; }));
}

}  // namespace eie
