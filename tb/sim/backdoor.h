// Back-door preload: writes the per-PE memories (sparse matrix, pointers, biases) of a memory
// image straight into the Verilated RAMs in zero simulated time, through the DPI functions that
// rtl/eie_ram.sv exports when EIE_BACKDOOR is defined. Large layers on many PEs load in seconds
// instead of the millions of host-port cycles the front door takes; what they compute is the
// same, and the regressions keep the front-door path covered (docs/verification.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agents/host_driver.h"

namespace eie::tb {

// Loads `image`: layer descriptors and codebooks through the host port (a few words), the
// per-PE memories through the back door. Call after reset; throws SimError when a RAM instance
// is missing or an address is beyond its depth.
void backdoor_load(HostDriver& driver, const MemoryImage& image);

// Every eie_ram instance's reads and writes since time 0 (its simulation-only counters), by
// hierarchical name below the model (eie_top.g_pe[0].u_pe.u_spmat_read.u_spmat, ...), sorted.
struct RamAccesses {
  std::string name;
  uint32_t width, depth;
  uint64_t reads, writes;
};
std::vector<RamAccesses> ram_accesses(const std::string& instance);

}  // namespace eie::tb
