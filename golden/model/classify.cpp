#include "eie/classify.h"

#include <algorithm>

#include "eie/error.h"
#include "eie/fixed_point.h"
#include "eie/inference.h"

namespace eie {

std::vector<int16_t> quantize_pixels(const IdxImages& images, size_t index, int act_frac) {
  const uint32_t n = images.size();
  std::vector<int16_t> x(n);
  for (uint32_t p = 0; p < n; ++p) {
    x[p] = to_fixed16(images.pixels[index * n + p] / 255.0, act_frac);
  }
  return x;
}

int predicted_class(const std::vector<int16_t>& outputs) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(outputs.size()); ++i) {
    if (outputs[static_cast<size_t>(i)] > outputs[static_cast<size_t>(best)]) best = i;
  }
  return best;
}

double golden_accuracy(const Network& net, const LabelledSet& set, size_t limit) {
  const GoldenModel golden(net, 1);
  const size_t n = std::min<size_t>(limit, set.labels.size());
  require(set.images.size() == net.inputs(), "images have {} pixels, the network takes {} inputs",
          set.images.size(), net.inputs());
  size_t correct = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto y = original_order(
        net, golden.run(network_order(net, quantize_pixels(set.images, i, net.act_frac))).back());
    correct += predicted_class(y) == set.labels[i];
  }
  return n ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
}

}  // namespace eie
