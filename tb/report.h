// Report: what a simulation's runs add up to. Each run's cycles (RunStats, counted by the
// monitor); over all runs, every layer's activity once it has been checked window by window
// against the golden model's prediction, the predictions themselves, the broadcast floors and the
// sparse-matrix reads other SRAM word widths would need (the paper's width study); the PEs'
// counters and the MNIST accuracy. Printed as the summary lines and written as the JSON report.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agents/monitor.h"
#include "checks/activity.h"
#include "eie/activity.h"
#include "eie/eie_pkg.h"
#include "eie/memory_image.h"
#include "eie/network.h"

namespace eie::tb {

// The SRAM word widths whose sparse-matrix reads the report predicts.
inline const std::vector<uint32_t> kWordWidths = {32, 64, 128, 256, 512};

// One layer, summed over runs.
struct LayerTotals {
  uint64_t work_total = 0, work_busiest = 0;  // entries (padding included): all PEs, the busiest
  Activity measured;                          // the RTL's, checked against the prediction
  PeLayerActivity predicted;                  // the golden model's, over the active PEs
  uint64_t broadcast_floor = 0;
  std::vector<uint64_t> words_by_width = std::vector<uint64_t>(kWordWidths.size(), 0);
};

// Per-PE hardware counters (host target Stats), read after the last run.
using PeCounters = std::array<uint64_t, 3>;  // busy, idle, FIFO full
constexpr std::array<uint32_t, 3> kPeCounterAddrs = {hw::kStatBusy, hw::kStatIdle,
                                                     hw::kStatFifoFull};

struct SimTotals {
  SimTotals(size_t num_layers, uint32_t n) : layers(num_layers), golden_busy(n, 0) {}

  std::vector<RunStats> runs;
  std::vector<LayerTotals> layers;
  std::vector<uint64_t> golden_busy;  // per active PE: the entries the golden model gives it
  Activity output_activity;           // the result streams'
  uint64_t checked = 0;               // outputs the scoreboard compared
  uint64_t rtl_correct = 0, golden_correct = 0;  // with MNIST labels
  std::vector<PeCounters> pe;

  uint64_t run_cycles() const;
};

// Checks each window of a finished run (tb/checks/activity.h) against the golden model's prediction
// for its input and layer outputs, then adds the run's activity to the totals. marks: the monitor's
// snapshots; run: the run's number from 1, for messages.
void account_run_activity(const ActivityProbe& probe, const MemoryImage& image,
                          const std::vector<Activity>& marks, const std::vector<int16_t>& input,
                          const std::vector<std::vector<int16_t>>& expected, uint32_t n,
                          uint32_t run, SimTotals& totals);

// What the report says about the simulation besides the totals.
struct SimFacts {
  std::string variant;  // the build's name
  HwConfig config;      // as built, with the active PE count
  uint32_t fifo_limit = 0;
  uint32_t hold_limit = 0;
  uint64_t seed = 0;
  std::string benchmark_layer;  // a generated benchmark layer: the JSON quotes the paper
  uint32_t inferences = 0;
  bool mnist = false;  // inputs with labels: accuracy is reported
  uint64_t load_cycles = 0, simulated_cycles = 0;
  double wall_seconds = 0, backdoor_seconds = 0;  // the back door's host time is not simulation

  double cycles_per_second() const {
    return static_cast<double>(simulated_cycles) / (wall_seconds - backdoor_seconds);
  }
};

// The per-layer cycles and the PE counters' sums (unless quiet), and the MNIST accuracy line.
void print_summary(std::FILE* out, const SimFacts& facts, const Network& net,
                   const SimTotals& totals, const Monitor& monitor, bool quiet);
// The verdict line, once every check has passed.
void print_pass(std::FILE* out, const SimFacts& facts, const SimTotals& totals);

// The actions of every run for the energy model (docs/energy.md): the counters' origin, each
// layer's measured activity with the golden model's prediction, and the result streams'.
nlohmann::json json_activity(const SimTotals& totals, const ActivityProbe& probe);

nlohmann::json json_report(const SimFacts& facts, const SimTotals& totals, const Monitor& monitor,
                           const ActivityProbe& probe);

}  // namespace eie::tb
