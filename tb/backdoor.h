// Back-door preload: writes the per-PE memories (sparse matrix, pointers, biases) of a memory
// image straight into the Verilated RAMs in zero simulated time, through the DPI functions that
// rtl/eie_ram.sv exports when EIE_BACKDOOR is defined. Large layers on many PEs load in seconds
// instead of the millions of host-port cycles the front door takes; what they compute is the
// same, and the regressions keep the front-door path covered (docs/verification.md).
#pragma once

#include <cstdint>

#include "host_driver.h"

namespace eie::tb {

// Loads `image`: layer descriptors and codebooks through the host port (a few words), the
// per-PE memories through the back door. Call after reset; throws SimError when a RAM instance
// is missing or an address is beyond its depth.
void backdoor_load(HostDriver& driver, const MemoryImage& image);

}  // namespace eie::tb
