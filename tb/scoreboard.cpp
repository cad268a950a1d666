#include "scoreboard.h"

#include <fmt/format.h>

#include "sim_ctrl.h"

namespace eie::tb {

Scoreboard::Scoreboard(std::vector<std::vector<int16_t>> expected)
    : expected_(std::move(expected)) {
  for (const auto& e : expected_) seen_.emplace_back(e.size(), 0);
  seen_.emplace_back(expected_.back().size(), 0);
  outputs_.assign(expected_.back().size(), 0);
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
