#include "agents/monitor.h"

#include <fmt/format.h>

#include "eie/eie_pkg.h"
#include "sim/signals.h"

namespace eie::tb {

// CCU states (state_o), pipeline bits (pipe_valid_o: PipeStages a PE) and the FIFO slots beyond
// the run-time limit (docs/hardware.md, section 6), from rtl/eie_pkg.sv.
using hw::kCcuCompute, hw::kCcuDrain, hw::kCcuIdle, hw::kCcuOutput;
using hw::kFifoSkid, hw::kPipeE, hw::kPipeStages;

Monitor::Monitor(SimCtrl& sim, uint32_t num_pe, uint32_t fifo_depth, uint32_t n,
                 uint32_t fifo_limit)
    : sim_(sim),
      dut_(sim.dut()),
      num_pe_(num_pe),
      n_(n),
      level_bits_(0),
      limit_(fifo_limit),
      cov_fifo_full_(num_pe, 0),
      cov_busy_(num_pe, 0),
      prev_state_(kCcuIdle) {
  while ((1u << level_bits_) < fifo_depth + kFifoSkid + 1) ++level_bits_;
  sim.add_sampler([this] { sample(); });
}

void Monitor::begin_run(Scoreboard& board, RunStats& stats, size_t layers, uint32_t fifo_limit) {
  stats.fifo_limit = fifo_limit;
  stats.layer_cycles.assign(layers, 0);
  stats.layer_lead.assign(layers, 0);
  stats.layer_tail.assign(layers, 0);
  seen_bcast_.assign(layers, false);
  limit_ = fifo_limit;
  board_ = &board;
  stats_ = &stats;
  done_ = false;
  marks_.clear();
}

void Monitor::sample() {
  // In reset the state is whatever power-up left (random under --rand-reset): nothing to check.
  if (!dut_.rst_ni) return;
  const uint32_t now = dut_.state_o;
  if (board_ != nullptr && now != prev_state_ &&
      (now == kCcuOutput || (now == kCcuCompute && prev_state_ == kCcuDrain))) {
    mark();
  }
  prev_state_ = now;
  check_pes();
  if (board_ == nullptr) {
    if (dut_.out_valid_o || dut_.bcast_valid_o || bits(dut_.wb_valid_o, 0, 1)) {
      throw SimError(fmt::format("cycle {}: output or broadcast outside a run", sim_.cycle()));
    }
    return;
  }
  count_layer_cycles(now);
  forward_outputs();
  broadcasts_ += dut_.bcast_valid_o;
  if (dut_.done_o) {
    done_ = true;
    mark();
  }
}

// Every built PE: its FIFO within the limit plus the skid (an inactive PE's empty), and no
// write-back from an inactive one.
void Monitor::check_pes() {
  for (uint32_t k = 0; k < num_pe_; ++k) {
    const uint64_t level = bits(dut_.fifo_level_o, k * level_bits_, level_bits_);
    if (level > (k < n_ ? limit_ + kFifoSkid : 0)) {
      throw SimError(fmt::format("cycle {}: PE {} FIFO holds {} entries, limit {} + {} of skid",
                                 sim_.cycle(), k, level, k < n_ ? limit_ : 0, kFifoSkid));
    }
    if (k >= n_ && bits(dut_.wb_valid_o, k, 1)) {
      throw SimError(fmt::format("cycle {}: inactive PE {} wrote back", sim_.cycle(), k));
    }
  }
}

void Monitor::count_layer_cycles(uint32_t state) {
  if (state == kCcuCompute || state == kCcuDrain) {
    for (uint32_t k = 0; k < n_; ++k) {
      cov_fifo_full_[k] += bits(dut_.fifo_level_o, k * level_bits_, level_bits_) >= limit_;
      cov_busy_[k] += bits(dut_.pipe_valid_o, k * kPipeStages + kPipeE, 1);
    }
  }
  if (state != kCcuIdle && state < kCcuOutput) {
    const size_t l = dut_.layer_o;
    ++stats_->layer_cycles.at(l);
    if (dut_.bcast_valid_o) {
      stats_->layer_tail.at(l) = 0;
      seen_bcast_.at(l) = true;
    } else if (seen_bcast_.at(l)) {
      ++stats_->layer_tail.at(l);
    } else {
      ++stats_->layer_lead.at(l);
    }
  }
  if (state == kCcuOutput) ++stats_->output_cycles;
}

// Write-backs (row r of PE k is output r * n + k), broadcasts and the results the host accepts.
void Monitor::forward_outputs() {
  for (uint32_t k = 0; k < n_; ++k) {
    if (bits(dut_.wb_valid_o, k, 1)) {
      board_->on_writeback(
          sim_.cycle(), dut_.wb_layer_o, dut_.wb_row_o * n_ + k,
          static_cast<int16_t>(bits(dut_.wb_data_o, k * hw::kActWidth, hw::kActWidth)));
    }
  }
  if (dut_.bcast_valid_o) {
    board_->on_broadcast(sim_.cycle(), dut_.layer_o, dut_.bcast_col_o,
                         static_cast<int16_t>(dut_.bcast_act_o));
  }
  if (dut_.out_valid_o && dut_.out_ready_i) {
    board_->on_output(sim_.cycle(), dut_.out_index_o, static_cast<int16_t>(dut_.out_data_o));
  }
}

}  // namespace eie::tb
