#include "eie/kmeans.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <random>
#include <utility>

#include "eie/error.h"

namespace eie {

namespace {

constexpr int kMaxK = 255;  // assignments are stored as uint8_t

// Unbiased draw in [0, n) by rejection. std::uniform_int_distribution is implementation-defined,
// and the golden model must pick the same centroids with every standard library.
uint64_t draw_below(std::mt19937_64& rng, uint64_t n) {
  const uint64_t reject_below = (uint64_t{0} - n) % n;  // 2^64 mod n
  uint64_t x = rng();
  while (x < reject_below) x = rng();
  return x % n;
}

// `sorted` is the input in ascending order (non-empty). Returns ascending, distinct centroids.
std::vector<double> initial_centroids(const std::vector<double>& sorted, int k, KmeansInit init,
                                      uint64_t seed) {
  const size_t n = sorted.size();
  const size_t kk = static_cast<size_t>(k);
  std::vector<double> c;
  c.reserve(kk);
  switch (init) {
    case KmeansInit::kLinear: {
      const double lo = sorted.front();
      const double hi = sorted.back();
      if (kk == 1) {
        c.push_back(lo + (hi - lo) / 2);
        break;
      }
      for (size_t i = 0; i < kk; ++i) {
        c.push_back(lo + (hi - lo) * (static_cast<double>(i) / static_cast<double>(kk - 1)));
      }
      c.back() = hi;  // exact end point whatever the rounding above
      break;
    }
    case KmeansInit::kDensity:
      // floor((i + 0.5) * n / k) in integers: exact, and always < n.
      for (size_t i = 0; i < kk; ++i) c.push_back(sorted[(2 * i + 1) * n / (2 * kk)]);
      break;
    case KmeansInit::kRandom: {
      std::vector<double> distinct(sorted);
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      if (distinct.size() > kk) {
        // Partial Fisher-Yates: the first k entries become a uniform sample without replacement.
        std::mt19937_64 rng(seed);
        for (size_t i = 0; i < kk; ++i) {
          const size_t j = i + static_cast<size_t>(draw_below(rng, distinct.size() - i));
          std::swap(distinct[i], distinct[j]);
        }
        distinct.resize(kk);
      }
      c = std::move(distinct);
      break;
    }
  }
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
  return c;
}

// Nearest centroid to v (ties to the lower one) in O(log k): binary search over the midpoints of
// neighbouring centroids, then a local check with the distances themselves, because a rounded
// midpoint can put a borderline value on the wrong side.
size_t nearest(double v, const std::vector<double>& c, const std::vector<double>& mid) {
  size_t j = static_cast<size_t>(std::lower_bound(mid.begin(), mid.end(), v) - mid.begin());
  while (j > 0 && std::fabs(v - c[j - 1]) <= std::fabs(v - c[j])) --j;
  while (j + 1 < c.size() && std::fabs(v - c[j + 1]) < std::fabs(v - c[j])) ++j;
  return j;
}

// Assignment step on the sorted values. Nearest-centroid clusters of 1-D data are contiguous runs
// of the sorted values, so it is enough to find where each run ends: ends[j] = number of values
// whose nearest centroid is <= j. O(k log n log k) instead of O(n log k).
void find_ends(const std::vector<double>& sorted, const std::vector<double>& c,
               std::vector<size_t>& ends) {
  std::vector<double> mid(c.size() - 1);
  for (size_t j = 0; j + 1 < c.size(); ++j) mid[j] = c[j] + (c[j + 1] - c[j]) / 2;
  ends.resize(c.size());
  auto from = sorted.begin();  // searching from the previous end keeps the runs ordered
  for (size_t j = 0; j + 1 < c.size(); ++j) {
    from =
        std::partition_point(from, sorted.end(), [&](double v) { return nearest(v, c, mid) <= j; });
    ends[j] = static_cast<size_t>(from - sorted.begin());
  }
  ends.back() = sorted.size();
}

// Removes the centroids whose run is empty (and their ends), keeping the rest in order.
void drop_empty(std::vector<double>& c, std::vector<size_t>& ends) {
  size_t kept = 0;
  size_t begin = 0;
  for (size_t j = 0; j < c.size(); ++j) {
    if (ends[j] > begin) {
      c[kept] = c[j];
      ends[kept] = ends[j];
      ++kept;
    }
    begin = ends[j];
  }
  c.resize(kept);
  ends.resize(kept);
}

}  // namespace

KmeansInit parse_kmeans_init(const std::string& name) {
  if (name == "linear") return KmeansInit::kLinear;
  if (name == "density") return KmeansInit::kDensity;
  if (name == "random") return KmeansInit::kRandom;
  fail("unknown k-means initialisation '{}' (expected linear, density or random)", name);
}

const char* to_string(KmeansInit init) {
  switch (init) {
    case KmeansInit::kLinear:
      return "linear";
    case KmeansInit::kDensity:
      return "density";
    case KmeansInit::kRandom:
      return "random";
  }
  return "unknown";
}

KmeansResult kmeans_1d(const std::vector<float>& values, int k, KmeansInit init, uint64_t seed,
                       int max_iterations) {
  require(k >= 1 && k <= kMaxK, "k-means: k = {} outside [1, {}]", k, kMaxK);
  require(!values.empty(), "k-means: no values to cluster");
  require(max_iterations >= 0, "k-means: max_iterations = {} is negative", max_iterations);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      fail("k-means: value {} is {}", i, std::isnan(values[i]) ? "NaN" : "infinite");
    }
  }

  // Sort once, remembering where each value came from; prefix sums then give any run's mean in
  // O(1), so a Lloyd iteration costs O(k log n log k) however large the layer is.
  const size_t n = values.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&values](size_t a, size_t b) {
    return values[a] < values[b] || (values[a] == values[b] && a < b);
  });
  std::vector<double> sorted(n);
  std::vector<double> prefix(n + 1, 0.0);  // doubles: up to hundreds of thousands of weights
  for (size_t p = 0; p < n; ++p) {
    sorted[p] = values[order[p]];
    prefix[p + 1] = prefix[p] + sorted[p];
  }

  KmeansResult r;
  std::vector<double>& c = r.centroids;
  c = initial_centroids(sorted, k, init, seed);
  std::vector<size_t> ends;
  std::vector<size_t> previous;
  find_ends(sorted, c, ends);
  while (r.iterations < max_iterations) {
    // Update step: empty clusters are dropped, every other centroid moves to its run's mean.
    drop_empty(c, ends);
    for (size_t j = 0, begin = 0; j < c.size(); begin = ends[j++]) {
      c[j] = (prefix[ends[j]] - prefix[begin]) / static_cast<double>(ends[j] - begin);
    }
    ++r.iterations;
    previous.swap(ends);
    find_ends(sorted, c, ends);
    if (ends == previous) break;  // no value changed cluster: converged
  }
  // Stopping at max_iterations can leave a centroid without values; max_iterations = 0 keeps the
  // initial centroids as they are (documented in the header).
  if (max_iterations > 0) drop_empty(c, ends);

  r.assignment.resize(n);
  for (size_t j = 0, begin = 0; j < c.size(); begin = ends[j++]) {
    for (size_t p = begin; p < ends[j]; ++p) r.assignment[order[p]] = static_cast<uint8_t>(j);
  }
  return r;
}

}  // namespace eie
