#include "agents/result_sink.h"

#include <fmt/format.h>

#include "eie/fixed_point.h"
#include "eie/memory_image.h"

namespace eie::tb {

void check_results(HostDriver& driver, const Network& net, const std::vector<int16_t>& y,
                   uint32_t n, uint32_t act_depth) {
  uint32_t act_addr_bits = 0;
  while ((1u << act_addr_bits) < act_depth) ++act_addr_bits;
  const uint32_t bank = static_cast<uint32_t>(net.layers.size() % 2);
  const bool relu = net.layers.back().relu;
  // The activations first, pipelined, then the accumulators one by one: a read-back that
  // answered an accumulator read with the activation RAM's last data would otherwise pass, as
  // that data would be the same row's result.
  std::vector<HostDriver::ReadCheck> reads;
  for (uint32_t i = 0; i < y.size(); ++i) {
    const ActLocation at = locate_activation(i, n);
    reads.push_back({kTgtAct, at.pe, bank << act_addr_bits | at.local,
                     static_cast<uint64_t>(int64_t{y[i]}), "result activation"});
  }
  driver.expect_pipelined(reads);
  for (uint32_t i = 0; i < y.size(); ++i) {
    const ActLocation at = locate_activation(i, n);
    const auto acc = static_cast<int32_t>(driver.read(kTgtAcc, at.pe, at.local));
    const int16_t sat = write_back(acc, relu);  // docs/arithmetic.md's write-back rule
    if (sat != y[i]) {
      throw SimError(fmt::format("result {}: accumulator {} read back saturates to {}, not {}", i,
                                 acc, sat, y[i]));
    }
  }
}

}  // namespace eie::tb
