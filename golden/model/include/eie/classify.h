// Classification with a compressed network, shared by the golden evaluation and the RTL demo so
// both quantise the same inputs and read classes the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "eie/idx.h"
#include "eie/network.h"

namespace eie {

// Image `index` as network input: pixel / 255 in int16 with act_frac fractional bits.
std::vector<int16_t> quantize_pixels(const IdxImages& images, size_t index, int act_frac);
// The class a network output stands for: the largest value, ties to the lower index.
int predicted_class(const std::vector<int16_t>& outputs);
// Bit-exact fixed-point accuracy (the golden model) on the first `limit` items of a set, classes
// read in the network's original output order.
double golden_accuracy(const Network& net, const LabelledSet& set, size_t limit = SIZE_MAX);

}  // namespace eie
