// Deep Compression's quantization and fixed-point steps: from a float layer (after pruning) to
// the compressed Layer the model file stores and the hardware runs. Pruning (pruning.h), weight
// sharing (kmeans.h) and Huffman coding (model_file.h) are the other stages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eie/kmeans.h"
#include "eie/network.h"
#include "eie/pruning.h"

namespace eie {

// A dense float layer, weights row-major rows x cols (rows = outputs of one product): a fully
// connected layer's matrix, or a convolution's kernel matrix, out_channels x (in_channels x
// kernel_h x kernel_w) as PyTorch's Conv2d.weight.view(out_channels, -1). A pooling layer has no
// weights (0 x 0), no bias and no ReLU. kind, in_shape and window as in Layer (network.h).
struct FloatLayer {
  LayerKind kind = LayerKind::kFullyConnected;
  std::string name;
  uint32_t rows = 0;
  uint32_t cols = 0;
  std::vector<float> weights;
  std::vector<float> bias;  // empty or rows values
  bool relu = true;
  TensorShape in_shape;  // convolution, pooling
  Window window;         // convolution, pooling
  Sequence sequence;     // LSTM: rows = 4 hidden, cols = input + hidden

  bool has_weights() const { return kind != LayerKind::kMaxPool2d; }
  // The shape of the layer alone (kind, window, rows, cols), as a Layer without weights: for
  // its input and output shapes.
  Layer shape() const;
  // Throws eie::Error on a shape mismatch or a non-finite value, naming the layer.
  void validate() const;
};

// Shared weights of one layer: float centroids (at most 15) and the index of each kept weight
// (centroid c has index c + 1; 0 means pruned).
struct SharedWeights {
  std::vector<double> centroids;
  CodeMatrix codes;
};

// Weight sharing: k-means over the kept weights (mask[i] != 0) with at most `clusters` <= 15
// centroids. A kept weight of exactly 0.0 stays kept (it has an index like any other).
SharedWeights share_weights(const FloatLayer& layer, const Mask& mask, int clusters,
                            KmeansInit init, uint64_t seed);
// Encoding with a given codebook: every non-zero weight (or every masked one when a mask is
// given) gets the index of its nearest centroid (ties to the lower index).
SharedWeights assign_to_codebook(const FloatLayer& layer, const std::vector<double>& centroids,
                                 const Mask* mask = nullptr);

// Fixed-point conversion: w_frac = choose_w_frac(centroids), codebook[c + 1] = centroid c in
// int16 with w_frac bits, bias in int32 with act_frac bits.
Layer to_fixed_layer(const FloatLayer& layer, const SharedWeights& shared, int act_frac);

// The float weight each index stands for, as the fixed-point codebook represents it: what float
// fine-tuning and accuracy reports use to see quantization's effect.
std::vector<float> decode_weights(const Layer& layer);

}  // namespace eie
