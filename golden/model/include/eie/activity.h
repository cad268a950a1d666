// What the hardware does, action by action, for one layer and one input vector: the counts the
// RTL's activity counters must reproduce exactly (tb/checks/activity.cpp checks every run) and that
// the energy model prices (docs/energy.md). Derived from the memory image alone, so they hold for
// any hardware that reads this format the way docs/hardware.md describes.
#pragma once

#include <cstdint>
#include <vector>

#include "eie/memory_image.h"

namespace eie {

struct PeLayerActivity {
  uint64_t broadcasts = 0;    // non-zero inputs: one pointer read in each bank
  uint64_t columns = 0;       // ...of them with entries in this PE: queue pushes and pops
  uint64_t entries = 0;       // entries E issues (e_skips_next): lookups, products, accumulations
  uint64_t spmat_words = 0;   // sparse-matrix words read: one per word a column's entries touch
  uint64_t rows = 0;          // local rows: write-backs
  uint64_t touched_rows = 0;  // ...of them with an issued entry of a broadcast column (padding
                              // too): one initial-value read each as the row's first entry arrives
  uint64_t groups = 0;        // source groups the LNZD fetches: one activation read per PE
};

// One element per active PE. Throws eie::Error on a layer index or input width the image cannot
// take, or an entry beyond the sparse matrix or the PE's rows.
std::vector<PeLayerActivity> predict_layer_activity(const MemoryImage& image, size_t layer,
                                                    const std::vector<int16_t>& input);

// The sparse-matrix words each active PE would read for the layer with a word_bits-wide SRAM (a
// multiple of 8; the hardware's 64 gives PeLayerActivity::spmat_words): the read counts of the
// paper's Fig. 9 width study. Throws eie::Error as above, or on a word width it cannot take.
std::vector<uint64_t> spmat_word_reads(const MemoryImage& image, size_t layer,
                                       const std::vector<int16_t>& input, uint32_t word_bits);

// The broadcast floor of a layer's input on n PEs: the cycles the leading-non-zero detector needs
// to broadcast it, one per non-zero activation and one per group of n activations (one local
// index across the PEs) with none. A layer takes at least this many compute cycles, however
// its entries spread over the PEs.
uint64_t broadcast_floor(const std::vector<int16_t>& input, uint32_t n);

}  // namespace eie
