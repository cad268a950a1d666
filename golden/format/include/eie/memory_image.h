// What the host loads into the accelerator for a network (docs/hardware.md, "Memory image"):
// per-PE sparse-matrix words, pointers and biases, the layer table and the codebooks, laid out
// for a given hardware configuration. Building it checks that the network fits the configured
// memories and names the first one that does not.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "eie/eie_pkg.h"
#include "eie/network.h"

namespace eie {

// Sizes of the hardware (eie_top parameters) and the run-time PE count.
struct HwConfig {
  uint32_t num_pe = 64;         // PEs built (NumPe)
  uint32_t active_pe = 0;       // PEs used at run time; 0 = all
  uint32_t fifo_depth = 8;      // FifoDepth
  uint32_t hold_slots = 4;      // HoldSlots: broadcast hold slots (timing only, not the image)
  uint32_t spmat_depth = 1024;  // 64-bit words per PE
  uint32_t ptr_depth = 1024;    // pointers per PE, both banks
  uint32_t act_depth = 64;      // activations per bank per PE (and accumulators)
  uint32_t bias_depth = 256;    // biases per PE
  uint32_t max_layers = 8;

  uint32_t pes() const { return active_pe == 0 ? num_pe : active_pe; }
  void validate() const;  // throws eie::Error on impossible sizes
};

// A layer table entry, two words with the fields of rtl/eie_pkg.sv (hw::kDesc*). Word 0: rows,
// cols, w_frac, relu, has_bias; word 1: pointer base, bias base.
struct LayerDescriptor {
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint32_t ptr_base = 0;   // pointer index of p_0 (even, so p_j is in bank j % 2)
  uint32_t bias_base = 0;  // bias address of local row 0
  int w_frac = 0;
  bool relu = false;
  bool has_bias = false;

  uint64_t word0() const;
  uint64_t word1() const;
};

struct PeImage {
  std::vector<uint64_t> spmat;     // words, every layer's entries back to back
  std::vector<uint32_t> pointers;  // pointer index m -> absolute entry address
  std::vector<int32_t> bias;       // bias address -> value
};

struct MemoryImage {
  HwConfig config;
  std::vector<LayerDescriptor> layers;
  std::vector<std::array<int16_t, hw::kCodebookSize>> codebooks;
  std::vector<PeImage> pe;  // pes() entries
};

// Throws eie::Error naming the layer, the memory, what it needs and what the configuration has.
MemoryImage build_memory_image(const Network& net, const HwConfig& config);

// Activation i of a vector lives in PE i % N at local index i / N.
struct ActLocation {
  uint32_t pe;
  uint32_t local;
};
inline ActLocation locate_activation(uint32_t i, uint32_t n) { return {i % n, i / n}; }

}  // namespace eie
