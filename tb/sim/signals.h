// Bit access to Verilator signals of any width (scalars up to 64 bits, VlWide above), so the
// monitor works unchanged for every NumPe.
#pragma once

#include <cstdint>

#include "verilated.h"

namespace eie::tb {

template <typename T>
uint64_t bits(const T& signal, unsigned lsb, unsigned width) {
  const uint64_t mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  return (static_cast<uint64_t>(signal) >> lsb) & mask;
}

template <std::size_t Words>
uint64_t bits(const VlWide<Words>& signal, unsigned lsb, unsigned width) {
  uint64_t out = 0;
  for (unsigned b = 0; b < width; ++b) {
    const unsigned at = lsb + b;
    out |= uint64_t{(signal[at / 32] >> (at % 32)) & 1u} << b;
  }
  return out;
}

}  // namespace eie::tb
