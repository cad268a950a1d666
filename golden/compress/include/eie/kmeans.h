// One-dimensional k-means for Deep Compression's per-layer weight sharing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace eie {

// Initialisation of the centroids [DC]: linear (evenly spaced over [min, max], the paper's
// recommendation), density (evenly spaced over the CDF of the values) and random (Forgy: k
// distinct values drawn with a seeded generator).
enum class KmeansInit { kLinear, kDensity, kRandom };
KmeansInit parse_kmeans_init(const std::string& name);  // "linear", "density", "random"
const char* to_string(KmeansInit init);

struct KmeansResult {
  std::vector<double> centroids;    // ascending; at most k (fewer when there are fewer values)
  std::vector<uint8_t> assignment;  // per value, index into centroids
  int iterations = 0;               // Lloyd iterations run until assignments stopped changing
};

// Clusters `values` into at most k <= 255 groups (Lloyd's algorithm, nearest centroid, ties to the
// lower centroid). Empty clusters are dropped. Deterministic for a given seed. Throws eie::Error
// on k outside [1, 255], an empty input, non-finite values or a negative max_iterations.
//
// Initial centroids (sorted, duplicates removed): linear puts k points evenly over [min, max]
// (k = 1: min + (max - min) / 2); density takes sorted[floor((i + 0.5) * n / k)] for i < k, the
// values at CDF positions (i + 0.5) / k; random takes min(k, #distinct) distinct values, chosen
// uniformly among the distinct values with std::mt19937_64(seed) (own bounded draw, so the choice
// is the same with every standard library).
// One iteration = move every centroid to the mean of its values, then reassign; `iterations`
// counts them, including the last one that found no change (or stops at max_iterations).
// max_iterations = 0 returns the initial centroids unchanged (empty ones kept, so the
// initialisation can be inspected) with the nearest-centroid assignment.
KmeansResult kmeans_1d(const std::vector<float>& values, int k, KmeansInit init, uint64_t seed = 1,
                       int max_iterations = 1000);

}  // namespace eie
