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
  // Empty, or a permutation of the last layer's outputs: original output i is the network's
  // (and the hardware's) output output_order[i]. Row balancing (balance.h) sets it.
  std::vector<uint32_t> output_order;

  uint32_t inputs() const { return layers.front().inputs(); }
  uint32_t outputs() const { return layers.back().outputs(); }
  // Checks every layer and that layer l+1 takes layer l's outputs as inputs.
  void validate() const;
  bool operator==(const Network& o) const;
};

// The outputs in original order: y[output_order[i]] for every i (y itself when no order is set).
std::vector<int16_t> original_order(const Network& net, const std::vector<int16_t>& y);

// Display name of layer l: its own name, or "layer<l+1>" when it has none.
std::string layer_label(const Network& net, size_t l);

// The buffers the network's shape alone costs at num_pe PEs, against kMaxShapeWords (eie/limits.h):
// throws eie::Error naming the layer; `source` (a file name, or empty) prefixes the message.
void check_shape_budget(const Network& net, uint32_t num_pe, const std::string& source = "");

}  // namespace eie
