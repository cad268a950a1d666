// A compressed, fixed-point network: what the model file holds and what the hardware runs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "eie/fixed_point.h"
#include "eie/layer_shape.h"
#include "eie/sparse_format.h"

namespace eie {

// What a layer computes (docs/arithmetic.md); the model file stores it as the layer type.
enum class LayerKind : uint8_t {
  kFullyConnected = 0,  // y = f(W x + b)
  kConv2d = 1,          // at every output position, y = f(W patch + b): W is the kernel matrix
  kMaxPool2d = 2,       // the largest value of each window, channel by channel; no weights
  kLstm = 3,            // at every step, z = W [x_t; h_t-1] + b, then the cell and hidden update
};
constexpr uint8_t kLayerKinds = 4;
// "fully connected", "convolution", "max pooling", "LSTM".
const char* kind_name(LayerKind kind);

// One layer. A weighted layer (fully connected, convolution) shares its weights through a
// 16-entry int16 codebook. Its matrix W has rows = outputs and cols = inputs of one product:
// a fully connected layer's rows x cols as PyTorch's Linear.weight; a convolution's kernel matrix
// out_channels x (in_channels * kernel_h * kernel_w), columns in (channel, ky, kx) order as
// PyTorch's Conv2d.weight.view(out_channels, -1); an LSTM's gate matrix 4 hidden x (input +
// hidden), gates i, f, g, o as PyTorch's [weight_ih weight_hh], and no ReLU. A pooling layer has
// no matrix (0 x 0), an all-zero codebook, w_frac 0, no bias and no ReLU.
struct Layer {
  LayerKind kind = LayerKind::kFullyConnected;
  std::string name;
  CodeMatrix weights;                             // indices into codebook
  std::array<int16_t, kCodebookSize> codebook{};  // codebook[0] == 0 (padding)
  int w_frac = 0;                                 // codebook fractional bits, 0..15
  std::vector<int32_t> bias;                      // empty or one value per row, activation format
  bool relu = true;
  TensorShape in_shape;  // convolution, pooling: the input tensor
  Window window;         // convolution, pooling
  Sequence sequence;     // LSTM

  bool has_weights() const { return kind != LayerKind::kMaxPool2d; }
  // The tensors the layer reads and writes; a fully connected layer's are cols x 1 x 1 and
  // rows x 1 x 1, an LSTM's 1 x steps x input and hidden x 1 x 1.
  TensorShape input_shape() const;
  TensorShape output_shape() const;
  // Their element counts: what the layer before must produce and the layer after takes.
  uint32_t inputs() const { return static_cast<uint32_t>(input_shape().size()); }
  uint32_t outputs() const { return static_cast<uint32_t>(output_shape().size()); }
  // Products of the matrix one inference runs: a convolution's or pooling's output positions
  // (height x width of the output), an LSTM's steps; 1 for a fully connected layer.
  uint64_t positions() const;
  // Values each of them reads: a window layer's patch (patch_size), an LSTM step's input and
  // hidden vector, a fully connected layer's inputs.
  uint64_t patch_size() const;
  // What one inference of a window layer or LSTM holds and reads, in words: its input and output
  // tensors and one patch per position (the bound of add_window_words, eie/limits.h).
  uint64_t window_words() const {
    return inputs() + uint64_t{outputs()} + positions() * patch_size();
  }
  // Throws eie::Error naming the layer and field.
  void validate() const;
  bool operator==(const Layer& o) const;
};

// Checks a convolution's or pooling's input tensor and window (its output channels are
// weights.rows for a convolution); throws eie::Error prefixed with `label`.
void check_window(const Layer& layer, const std::string& label);
// Checks an LSTM's sequence and that its matrix is the gate matrix of that sequence
// (weights.rows x weights.cols); throws eie::Error prefixed with `label`.
void check_sequence(const Layer& layer, const std::string& label);

struct Network {
  int act_frac = kActFracDefault;  // activation fractional bits, 0..15
  std::vector<Layer> layers;
  // Empty, or a permutation of the last layer's outputs: original output i is the network's
  // (and the hardware's) output output_order[i]. Row balancing (balance.h) sets it.
  std::vector<uint32_t> output_order;
  // Empty, or a permutation of the first layer's inputs, which must then be fully connected:
  // original input i is the network's (and the hardware's) input input_order[i]. Input ordering
  // (balance.h, order_columns) sets it.
  std::vector<uint32_t> input_order;

  uint32_t inputs() const { return layers.front().inputs(); }
  uint32_t outputs() const { return layers.back().outputs(); }
  // Checks every layer and that layer l+1 takes layer l's outputs as inputs (as many values:
  // the tensor between them is flattened or reshaped in CHW order).
  void validate() const;
  // Throws eie::Error, prefixed with `what`, naming the first layer that is not fully connected:
  // for what runs the whole network on the array's chained layer table.
  void require_fully_connected(const std::string& what) const;
  bool operator==(const Network& o) const;
};

// A part of a network the array runs as one fully connected network (docs/verification.md,
// "Convolutional networks"): a convolution's kernel matrix, run once per output position on the
// patch there, an LSTM's gate matrix, run once per step, or a run of fully connected layers,
// chained on chip. Pooling and the LSTM's element-wise update run on the host.
struct ArraySegment {
  size_t first = 0, last = 0;  // the network's layers [first, last]
  // kConv2d or kLstm for a layer run once per position or step; kFullyConnected for a chain.
  LayerKind kind = LayerKind::kFullyConnected;
  Network net;  // fully connected; the last segment keeps the network's output order
};
// The segments in order; a network of fully connected layers is one segment, itself.
std::vector<ArraySegment> array_segments(const Network& net);

// The outputs in original order: y[output_order[i]] for every i (y itself when no order is set).
std::vector<int16_t> original_order(const Network& net, const std::vector<int16_t>& y);
// The inputs in the network's order: x[i] moved to input_order[i] (x itself when no order is set);
// what the host does before it sends an input to the golden model or the hardware.
std::vector<int16_t> network_order(const Network& net, const std::vector<int16_t>& x);

// Display name of layer l: its own name, or "layer<l+1>" when it has none.
std::string layer_label(const Network& net, size_t l);

// The buffers the network's shape alone costs at num_pe PEs, against kMaxShapeWords (eie/limits.h):
// throws eie::Error naming the layer; `source` (a file name, or empty) prefixes the message.
void check_shape_budget(const Network& net, uint32_t num_pe, const std::string& source = "");

}  // namespace eie
