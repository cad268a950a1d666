// The RTL fuzzer's input format (tb/fuzz_rtl.cpp): any byte string decodes to one simulation
// case, a small network, its inputs and the run-time settings, so that a mutation of the bytes
// is a mutation of the case. Each field is read XOR a default (fuzz_case.cpp), so an all-zero
// input, or one that ends early, decodes to a typical case rather than the smallest; the bit
// meanings below are of the field after that XOR. Layout, in order:
//
//   8 bytes   settings: active PEs, FIFO limit; idle and back-pressure levels, back door,
//             read-back, dirty codebook entry 0, row balancing; layers (1-4), inferences (1-3),
//             act_frac; Verilator's random power-up seed (16 bits, 0: off); the host's seed
//             (with row balancing, an odd seed also orders the inputs)
//   L+1       widths, input first, each 1 + byte % the widest a layer can be on the active PEs
//   per layer 1 byte  w_frac (bits 3:0), ReLU (4), bias (5), wide values (6), bytes from a PRNG (7)
//             1 byte  weight density d: a weight byte w is kept as index w & 15 when w >> 4 < d
//             8 bytes the PRNG's seed, when bit 7 says so
//             then its values: 15 codebook entries (2 bytes each), the biases (4 bytes each),
//             the row-major weights (1 byte each), from the input or from the PRNG
//   per input 1 byte density and range (as a layer's density byte; bit 7 the PRNG), 8 bytes
//             of seed when from the PRNG, then 3 bytes per activation: keep, value
//
// A PRNG source turns a few bytes into a layer of any size, so short inputs still make full
// layers; direct bytes let the fuzzer set single weights and values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "eie/memory_image.h"
#include "eie/network.h"

namespace eie::tb {

struct FuzzCase {
  Network net;
  std::vector<std::vector<int16_t>> inputs;
  uint32_t active_pe = 1;  // of the build's NumPe
  uint32_t fifo_limit = 1;
  uint32_t hold_limit = 0;  // broadcast hold slots in use
  double idle = 0, backpressure = 0;
  uint32_t rand_reset = 0;  // 0: registers and memories start at zero
  uint64_t seed = 0;        // the host's idle cycles and back-pressure
  bool backdoor = false, readback = false, dirty_codebook0 = false, balance = false;
};

// The case `data` encodes for the build `built`, or nothing when its network does not fit the
// build's memories (the fuzzer skips such inputs).
std::optional<FuzzCase> decode_fuzz_case(const uint8_t* data, size_t size, const HwConfig& built);

}  // namespace eie::tb
