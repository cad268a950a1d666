// Monitor: samples the design before every rising edge. Outside a run it checks that nothing
// moves. In a run it hands every broadcast, write-back and accepted result to the scoreboard,
// checks the FIFO levels against their limit and that inactive PEs stay silent, counts each
// layer's cycles (before its first broadcast, after its last), the testbench's functional
// coverage, and takes the activity snapshots at the run's phase changes.
#pragma once

#include <cstdint>
#include <vector>

#include "checks/activity.h"
#include "checks/scoreboard.h"
#include "sim/sim_ctrl.h"

namespace eie::tb {

// One run's cycles, as the monitor counts them, and the golden model's work for it.
struct RunStats {
  uint32_t fifo_limit = 0;
  uint64_t cycles = 0;                             // the run's cycle counter (start to done)
  std::vector<uint64_t> work_total, work_busiest;  // per layer, from the golden model
  // Per layer: its window, from its start (Load, or the switch from the layer before) to the end
  // of its drain; of them, the cycles before its first broadcast (descriptor load, the group
  // fetch's start: the fixed per-layer cost) and after its last (the drain).
  std::vector<uint64_t> layer_cycles, layer_lead, layer_tail;
  uint64_t output_cycles = 0;
};

class Monitor {
 public:
  // Hooks into sim. num_pe PEs are built with FIFOs fifo_depth deep; the first n are active and
  // run under fifo_limit.
  Monitor(SimCtrl& sim, uint32_t num_pe, uint32_t fifo_depth, uint32_t n, uint32_t fifo_limit);

  // The activity snapshots come from the probe, which exists once the model has been evaluated.
  void set_probe(const ActivityProbe& probe) { probe_ = &probe; }
  // A run of a network of `layers` layers begins: its outputs go to board, its cycles into
  // stats; its FIFOs are held to fifo_limit.
  void begin_run(Scoreboard& board, RunStats& stats, size_t layers, uint32_t fifo_limit);
  // An activity snapshot now (the caller's: as the run's input is in place).
  void mark() { marks_.push_back(probe_->read()); }
  bool done() const { return done_; }
  void end_run() { board_ = nullptr; }

  // The run's snapshots: at its start, as each later layer starts (the switch from Drain to
  // Compute), as the result stream starts (Output), and when it is done.
  const std::vector<Activity>& marks() const { return marks_; }
  uint64_t broadcasts() const { return broadcasts_; }
  // Functional coverage per PE over all runs: compute cycles with the PE's queue at its limit,
  // and with an entry in its pipeline.
  const std::vector<uint64_t>& fifo_full_cycles() const { return cov_fifo_full_; }
  const std::vector<uint64_t>& busy_cycles() const { return cov_busy_; }

 private:
  void sample();
  void check_pes();
  void count_layer_cycles(uint32_t state);
  void forward_outputs();

  SimCtrl& sim_;
  Veie_top& dut_;
  uint32_t num_pe_, n_, level_bits_, limit_;
  const ActivityProbe* probe_ = nullptr;
  Scoreboard* board_ = nullptr;  // the current run's, or none between runs
  RunStats* stats_ = nullptr;
  bool done_ = false;
  uint64_t broadcasts_ = 0;
  std::vector<uint64_t> cov_fifo_full_, cov_busy_;
  std::vector<Activity> marks_;
  std::vector<bool> seen_bcast_;  // per layer of the current run: a broadcast went out
  uint32_t prev_state_;
};

}  // namespace eie::tb
