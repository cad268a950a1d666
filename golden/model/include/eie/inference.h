// Bit-exact fixed-point inference of a compressed network (docs/arithmetic.md), computed on the
// per-PE packed format the hardware reads, so format and arithmetic are checked together.
#pragma once

#include <cstdint>
#include <vector>

#include "eie/network.h"
#include "eie/sparse_format.h"

namespace eie {

// Work of one layer on one input: what the hardware's load balance depends on.
struct LayerWork {
  uint64_t nonzero_inputs = 0;  // activations broadcast
  // Entries each PE's E stage issues: padding included, but not the padding it steps over
  // (e_skips_next); its busy cycles.
  std::vector<uint64_t> entries_per_pe;

  uint64_t total_entries() const;
  uint64_t max_entries() const;  // the busiest PE: a lower bound on the layer's cycles
};

class GoldenModel {
 public:
  // Validates the network and packs every layer for num_pe PEs.
  GoldenModel(Network net, uint32_t num_pe);

  const Network& network() const { return net_; }
  uint32_t num_pe() const { return num_pe_; }
  const PackedLayer& packed(size_t layer) const { return packed_[layer]; }

  // One layer (docs/arithmetic.md): a fully connected layer is one product of its matrix; a
  // convolution is one product of its kernel matrix per output position, on conv_patch; max
  // pooling is max_pool; an LSTM one product of its gate matrix per step, on lstm_step_input,
  // each followed by lstm_step (eie/lstm.h), and its output the last step's hidden vector. `work`
  // sums the products' work. Throws eie::Error when input.size() != the layer's inputs.
  std::vector<int16_t> run_layer(size_t layer, const std::vector<int16_t>& input,
                                 LayerWork* work = nullptr) const;
  // One product of weighted layer l's matrix with `input` (its cols values): consumes non-zero
  // inputs in increasing column order, each PE walking its entries of that column in order; what
  // the array computes for one input vector. Adds its work to `work`.
  std::vector<int16_t> product(size_t layer, const std::vector<int16_t>& input,
                               LayerWork* work = nullptr) const;
  // Every layer in turn; element l is layer l's output, the last is the network's output.
  std::vector<std::vector<int16_t>> run(const std::vector<int16_t>& input,
                                        std::vector<LayerWork>* work = nullptr) const;

 private:
  // A layer's entries decoded once from the packed format (unpack: the same relative-index walk
  // the hardware does; padding dropped) as a matrix of absolute rows. The kernel walks these;
  // packed_ stays the hardware's view and gives the work counts. Each row gets at most one entry
  // per column, so the order within a column does not change the saturating sums.
  struct DecodedLayer {
    CodeMatrix matrix;
    // matrix's entries as row << 4 | weight index, column by column: one load per entry in the
    // kernel's inner loop.
    std::vector<uint32_t> entries;
    // No input can take any row beyond int32: |bias| + its entries x the largest |scaled
    // product| fits, so plain adds are exact (saturation would never act).
    bool never_saturates = false;
  };
  Network net_;
  std::vector<DecodedLayer> decoded_;
  uint32_t num_pe_;
  std::vector<PackedLayer> packed_;
};

// The patch a convolution reads at output position `position` (row-major over the output's
// height x width) of its CHW `input`: in_channels x kernel_h x kernel_w values in the kernel
// matrix's column order (channel, ky, kx), 0 where the window lies in the zero padding.
std::vector<int16_t> conv_patch(const Layer& layer, const std::vector<int16_t>& input,
                                uint64_t position);
// Max pooling of a CHW `input`: each output the largest of its window, channel by channel.
std::vector<int16_t> max_pool(const Layer& layer, const std::vector<int16_t>& input);
// The vector an LSTM's gate matrix reads at step `step`: [x_step ; h], x_step the step's input
// values of the flat `sequence` (steps x input) and h the previous step's hidden vector.
std::vector<int16_t> lstm_step_input(const Layer& layer, const std::vector<int16_t>& sequence,
                                     uint32_t step, const std::vector<int16_t>& h);

// Float activations -> int16 with act_frac fractional bits (round half away, saturate).
std::vector<int16_t> quantize_activations(const std::vector<double>& x, int act_frac);
std::vector<double> dequantize_activations(const std::vector<int16_t>& x, int act_frac);

}  // namespace eie
