// A compressed, fixed-point network: what the model file holds and what the hardware runs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "eie/fixed_point.h"
#include "eie/sparse_format.h"

namespace eie {

// One fully connected layer y = f(W x + b) with W rows x cols (rows = outputs, as PyTorch's
// Linear.weight), weights shared through a 16-entry int16 codebook.
struct Layer {
  std::string name;
  CodeMatrix weights;                             // indices into codebook
  std::array<int16_t, kCodebookSize> codebook{};  // codebook[0] == 0 (padding)
  int w_frac = 0;                                 // codebook fractional bits, 0..15
  std::vector<int32_t> bias;                      // empty or `rows` values in activation format
  bool relu = true;

  uint32_t inputs() const { return weights.cols; }
  uint32_t outputs() const { return weights.rows; }
  // Throws eie::Error naming the layer and field.
  void validate() const;
  bool operator==(const Layer& o) const;
};

struct Network {
  int act_frac = kActFracDefault;  // activation fractional bits, 0..15
  std::vector<Layer> layers;

  uint32_t inputs() const { return layers.front().inputs(); }
  uint32_t outputs() const { return layers.back().outputs(); }
  // Checks every layer and that layer l+1 takes layer l's outputs as inputs.
  void validate() const;
  bool operator==(const Network& o) const;
};

// Display name of layer l: its own name, or "layer<l+1>" when it has none.
std::string layer_label(const Network& net, size_t l);

}  // namespace eie
