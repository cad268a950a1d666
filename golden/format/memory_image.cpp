#include "eie/memory_image.h"

#include <algorithm>
#include <array>

#include "eie/error.h"
#include "eie/limits.h"
#include "eie/sparse_format.h"

namespace eie {

namespace {

constexpr uint32_t kFieldMax = (1u << hw::kDimWidth) - 1;  // rows, cols, bases: DimWidth bits
// The descriptor fields of rtl/eie_pkg.sv side by side, without overlap, in 64-bit words.
static_assert(hw::kDescRowsLsb + hw::kDimWidth <= hw::kDescColsLsb &&
              hw::kDescColsLsb + hw::kDimWidth <= hw::kDescWFracLsb &&
              hw::kDescWFracLsb + hw::kDescWFracWidth <= hw::kDescReluBit &&
              hw::kDescReluBit < hw::kDescHasBiasBit && hw::kDescHasBiasBit < hw::kDescWord0Bits &&
              hw::kDescWord0Bits <= 64);
static_assert(hw::kDescPtrBaseLsb + hw::kDimWidth <= hw::kDescBiasBaseLsb &&
              hw::kDescBiasBaseLsb + hw::kDimWidth <= 64);

uint32_t ceil_div(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

}  // namespace

void HwConfig::validate() const {
  require(num_pe >= 1, "hardware: NumPe must be at least 1");
  require(active_pe <= num_pe, "hardware: {} active PEs requested but only {} are built", active_pe,
          num_pe);
  require(fifo_depth >= 1, "hardware: FIFO depth must be at least 1");
  require(
      spmat_depth >= 1 && ptr_depth >= 4 && ptr_depth % 2 == 0 && act_depth >= 1 && max_layers >= 1,
      "hardware: memory depths must be positive (pointer depth even and at least 4)");
  // Two bias banks selected by the address's top bit: the even layers' and the odd layers'.
  require(bias_depth >= 2 && (bias_depth & (bias_depth - 1)) == 0,
          "hardware: bias depth {} is not a power of two of at least 2 (BiasDepth: two banks)",
          bias_depth);
}

uint64_t LayerDescriptor::word0() const {
  constexpr uint32_t w_frac_mask = (1u << hw::kDescWFracWidth) - 1;
  return uint64_t{rows} << hw::kDescRowsLsb | uint64_t{cols} << hw::kDescColsLsb |
         uint64_t(static_cast<uint32_t>(w_frac) & w_frac_mask) << hw::kDescWFracLsb |
         uint64_t{relu} << hw::kDescReluBit | uint64_t{has_bias} << hw::kDescHasBiasBit;
}

uint64_t LayerDescriptor::word1() const {
  return uint64_t{ptr_base} << hw::kDescPtrBaseLsb | uint64_t{bias_base} << hw::kDescBiasBaseLsb;
}

MemoryImage build_memory_image(const Network& net, const HwConfig& config) {
  config.validate();
  net.validate();
  net.require_fully_connected("the array's layer table");
  const uint32_t n = config.pes();
  check_shape_budget(net, n);
  require(net.layers.size() <= config.max_layers,
          "network has {} layers but the hardware's layer table holds {} (MaxLayers)",
          net.layers.size(), config.max_layers);
  MemoryImage image;
  image.config = config;
  image.pe.resize(n);
  std::vector<std::vector<uint8_t>> entries(n);  // every layer's entries per PE
  // Biases: the even layers' from address 0, the odd layers' from bias_depth / 2 (the two banks
  // of docs/hardware.md, so a layer's first-touch reads and its predecessor's write-back never
  // share one); bias_end: one past the highest address used.
  uint32_t ptr_next = 0, bias_end = 0;
  std::array<uint32_t, 2> bias_next = {0, 0};
  const uint32_t bias_half = config.bias_depth / 2;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    const std::string name = layer_label(net, l);
    const uint32_t in_local = ceil_div(layer.inputs(), n);
    const uint32_t out_local = ceil_div(layer.outputs(), n);
    require(layer.inputs() <= kFieldMax && layer.outputs() <= kFieldMax,
            "{}: shape {}x{} exceeds the 24-bit descriptor fields", name, layer.outputs(),
            layer.inputs());
    require(in_local <= config.act_depth,
            "{}: {} inputs need {} activation registers per PE on {} PEs; the hardware has {} "
            "(ActDepth)",
            name, layer.inputs(), in_local, n, config.act_depth);
    require(out_local <= config.act_depth,
            "{}: {} outputs need {} accumulators per PE on {} PEs; the hardware has {} (ActDepth)",
            name, layer.outputs(), out_local, n, config.act_depth);

    LayerDescriptor d;
    d.rows = layer.outputs();
    d.cols = layer.inputs();
    d.w_frac = layer.w_frac;
    d.relu = layer.relu;
    d.has_bias = !layer.bias.empty();
    d.ptr_base = ptr_next;
    const size_t bank = l % 2;
    d.bias_base = d.has_bias ? static_cast<uint32_t>(bank) * bias_half + bias_next[bank] : 0;
    ptr_next += layer.inputs() + 1;
    ptr_next += ptr_next % 2;  // the next layer's p_0 starts in the even bank
    require(ptr_next <= config.ptr_depth,
            "{}: pointers of layers 1..{} need {} pointer entries per PE; the hardware has {} "
            "(PtrDepth)",
            name, l + 1, ptr_next, config.ptr_depth);
    if (d.has_bias) {
      bias_next[bank] += out_local;
      require(bias_next[bank] <= bias_half,
              "{}: biases of the {} layers 1..{} need {} entries per PE; the hardware has {} for "
              "them, half of {} (BiasDepth)",
              name, bank == 0 ? "odd-numbered" : "even-numbered", l + 1, bias_next[bank], bias_half,
              config.bias_depth);
      bias_end = std::max(bias_end, d.bias_base + out_local);
    }
    image.layers.push_back(d);
    image.codebooks.push_back(layer.codebook);

    const PackedLayer packed = pack(layer.weights, n);
    for (uint32_t k = 0; k < n; ++k) {
      PeImage& pe = image.pe[k];
      // Each layer starts at a word: where E may step over padding depends on an entry's place in
      // its word (docs/hardware.md, section 6), so a layer's cycles then depend on it alone.
      entries[k].resize(
          (entries[k].size() + kEntriesPerWord - 1) / kEntriesPerWord * kEntriesPerWord, 0);
      const uint32_t offset = static_cast<uint32_t>(entries[k].size());
      pe.pointers.resize(ptr_next, 0);
      for (uint32_t j = 0; j <= layer.inputs(); ++j) {
        pe.pointers[d.ptr_base + j] = offset + packed.pe[k].ptr[j];
      }
      entries[k].insert(entries[k].end(), packed.pe[k].entries.begin(), packed.pe[k].entries.end());
      const uint64_t words = (entries[k].size() + kEntriesPerWord - 1) / kEntriesPerWord;
      require(words <= config.spmat_depth,
              "{}: PE {} needs {} sparse-matrix words for layers 1..{}; the hardware has {} "
              "(SpmatDepth)",
              name, k, words, l + 1, config.spmat_depth);
      require(entries[k].size() <= kMaxPointer,
              "{}: PE {} holds {} entries, beyond the {}-bit pointers", name, k, entries[k].size(),
              kPointerBits);
      if (d.has_bias) {
        pe.bias.resize(bias_end, 0);
        for (uint32_t r = 0; r < out_local; ++r) {
          const uint32_t i = r * n + k;
          pe.bias[d.bias_base + r] = i < layer.outputs() ? layer.bias[i] : 0;
        }
      }
    }
  }
  for (uint32_t k = 0; k < n; ++k) {
    PeSlice all;
    all.entries = std::move(entries[k]);
    image.pe[k].spmat = all.words();
    image.pe[k].pointers.resize(ptr_next, 0);
    image.pe[k].bias.resize(bias_end, 0);
  }
  return image;
}

}  // namespace eie
