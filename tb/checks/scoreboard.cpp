#include "checks/scoreboard.h"

#include <fmt/format.h>

#include "sim/sim_error.h"

namespace eie::tb {

Scoreboard::Scoreboard(const std::vector<int16_t>& input,
                       std::vector<std::vector<int16_t>> expected)
    : expected_(std::move(expected)) {
  for (const auto& e : expected_) seen_.emplace_back(e.size(), 0);
  seen_.emplace_back(expected_.back().size(), 0);
  outputs_.assign(expected_.back().size(), 0);
  for (size_t l = 0; l < expected_.size(); ++l) {
    layer_inputs_.push_back(l == 0 ? input : expected_[l - 1]);
    std::vector<uint32_t> nz;
    for (uint32_t j = 0; j < layer_inputs_.back().size(); ++j) {
      if (layer_inputs_.back()[j] != 0) nz.push_back(j);
    }
    bcast_want_.push_back(nz);
  }
  bcast_seen_.assign(expected_.size(), 0);
}

void Scoreboard::on_broadcast(uint64_t cycle, uint32_t layer, uint32_t index, int16_t value) {
  if (layer >= bcast_want_.size()) {
    throw SimError(
        fmt::format("cycle {}: broadcast in layer {} of {}", cycle, layer + 1, bcast_want_.size()));
  }
  const auto& want = bcast_want_[layer];
  size_t& at = bcast_seen_[layer];
  if (at >= want.size() || want[at] != index) {
    throw SimError(fmt::format(
        "cycle {}: layer {} broadcast of activation {}; expected {}", cycle, layer + 1, index,
        at < want.size() ? fmt::format("activation {} (non-zeros in increasing order)", want[at])
                         : std::string("no more broadcasts")));
  }
  if (value != layer_inputs_[layer][index]) {
    throw SimError(
        fmt::format("cycle {}: layer {} broadcast of activation {} carries {}, "
                    "expected {}",
                    cycle, layer + 1, index, value, layer_inputs_[layer][index]));
  }
  ++at;
}

void Scoreboard::on_writeback(uint64_t cycle, uint32_t layer, uint32_t index, int16_t value) {
  if (layer >= expected_.size()) {
    throw SimError(fmt::format("cycle {}: write-back for layer {} but the network has {}", cycle,
                               layer + 1, expected_.size()));
  }
  const auto& want = expected_[layer];
  if (index >= want.size()) {
    throw SimError(fmt::format("cycle {}: layer {} write-back of index {} beyond its {} outputs",
                               cycle, layer + 1, index, want.size()));
  }
  if (seen_[layer][index]) {
    throw SimError(
        fmt::format("cycle {}: layer {} index {} written back twice", cycle, layer + 1, index));
  }
  seen_[layer][index] = 1;
  if (value != want[index]) {
    throw SimError(fmt::format("cycle {}: layer {} index {}: expected {}, RTL wrote {}", cycle,
                               layer + 1, index, want[index], value));
  }
  ++checked_;
}

void Scoreboard::on_output(uint64_t cycle, uint32_t index, int16_t value) {
  const auto& want = expected_.back();
  auto& seen = seen_.back();
  if (index >= want.size()) {
    throw SimError(
        fmt::format("cycle {}: result index {} beyond the {} outputs", cycle, index, want.size()));
  }
  if (seen[index])
    throw SimError(fmt::format("cycle {}: result index {} sent twice", cycle, index));
  seen[index] = 1;
  outputs_[index] = value;
  if (value != want[index]) {
    throw SimError(fmt::format("cycle {}: result index {}: expected {}, RTL sent {}", cycle, index,
                               want[index], value));
  }
  ++checked_;
}

void Scoreboard::finish() const {
  for (size_t l = 0; l < bcast_want_.size(); ++l) {
    if (bcast_seen_[l] != bcast_want_[l].size()) {
      throw SimError(fmt::format("layer {}: {} of {} non-zero activations were broadcast", l + 1,
                                 bcast_seen_[l], bcast_want_[l].size()));
    }
  }
  for (size_t l = 0; l < seen_.size(); ++l) {
    for (size_t i = 0; i < seen_[l].size(); ++i) {
      if (!seen_[l][i]) {
        throw SimError(l + 1 < seen_.size()
                           ? fmt::format("layer {} index {} was never written back", l + 1, i)
                           : fmt::format("result index {} was never sent", i));
      }
    }
  }
}

}  // namespace eie::tb
