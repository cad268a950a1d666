// Scoreboard: every output the RTL produces, per-layer write-back or final result, is compared
// with the golden model's value for that layer and index on the cycle it appears. The first
// mismatch, a duplicate or an index out of range throws SimError; finish() fails when anything
// expected was never seen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace eie::tb {

class Scoreboard {
 public:
  // expected[l] = layer l's golden output vector; the final stream checks the last one. The
  // broadcasts of layer l must be input's (l = 0) or expected[l-1]'s non-zeros, in index order.
  Scoreboard(const std::vector<int16_t>& input, std::vector<std::vector<int16_t>> expected);

  void on_broadcast(uint64_t cycle, uint32_t layer, uint32_t index, int16_t value);
  void on_writeback(uint64_t cycle, uint32_t layer, uint32_t index, int16_t value);
  void on_output(uint64_t cycle, uint32_t index, int16_t value);
  void finish() const;

  uint64_t checked() const { return checked_; }
  const std::vector<int16_t>& outputs() const { return outputs_; }

 private:
  std::vector<std::vector<int16_t>> expected_;
  std::vector<std::vector<uint8_t>> seen_;         // per layer, plus the final stream last
  std::vector<int16_t> outputs_;                   // the final stream as received
  std::vector<std::vector<uint32_t>> bcast_want_;  // per layer: non-zero input indices in order
  std::vector<std::vector<int16_t>> layer_inputs_;
  std::vector<size_t> bcast_seen_;
  uint64_t checked_ = 0;
};

}  // namespace eie::tb
