// Magnitude pruning [P15, DC]: masks that keep the largest-magnitude weights of a layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace eie {

using Mask = std::vector<uint8_t>;  // 1 = weight kept

// Keeps exactly round(density * n) weights of largest |w| (ties broken towards the lower index).
// density in [0, 1]; throws eie::Error otherwise or on non-finite weights.
Mask prune_by_density(const std::vector<float>& w, double density);
// Keeps |w| > quality * std(w) (population standard deviation of the layer's weights) [P15].
// quality >= 0; throws eie::Error otherwise or on non-finite weights.
Mask prune_by_quality(const std::vector<float>& w, double quality);

size_t count_kept(const Mask& m);

}  // namespace eie
