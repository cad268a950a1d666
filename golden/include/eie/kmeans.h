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
  std::vector<double> centroids;   // ascending; at most k (fewer when there are fewer values)
  std::vector<uint8_t> assignment; // per value, index into centroids
  int iterations = 0;              // Lloyd iterations run until assignments stopped changing
};

// Clusters `values` into at most k <= 255 groups (Lloyd's algorithm, nearest centroid, ties to the
// lower centroid). Empty clusters are dropped. Deterministic for a given seed. Throws eie::Error
// on k = 0, an empty input or non-finite values.
KmeansResult kmeans_1d(const std::vector<float>& values, int k, KmeansInit init, uint64_t seed = 1,
                       int max_iterations = 200);

}  // namespace eie
