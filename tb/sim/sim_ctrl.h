// Simulation control: owns the Verilator context and model, drives clock and reset, enforces the
// cycle limit and writes an FST trace when asked (no tracing cost otherwise). Other testbench parts
// hook in before each rising edge, when the design's outputs show what the edge will capture.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "Veie_top.h"
#include "eie/file_io.h"
#include "sim/sim_error.h"
#include "verilated.h"

class VerilatedFstC;

namespace eie::tb {

class SimCtrl {
 public:
  // rand_reset_seed != 0: every register and memory starts from random values drawn from that
  // seed (Verilator's +verilator+rand+reset+2), so state read before it is reset or written shows.
  // The trace is written under a temporary name beside trace_path (created here, so a path that
  // cannot be written fails before the run) and moved into place when it is closed, whether the
  // run passed or failed: a failing run's trace is the one a user wants.
  SimCtrl(const std::string& trace_path, uint64_t max_cycles, uint32_t rand_reset_seed = 0);
  ~SimCtrl();

  Veie_top& dut() { return *dut_; }
  // The model instance's name, the first component of its scopes' names: "eie", then "eie2",
  // "eie3", ... for further instances in this process (a convolutional network's segments), so
  // that the DPI registries (activity counters, back-door RAMs) tell the instances apart.
  const std::string& name() const { return name_; }
  uint64_t cycle() const { return cycle_; }

  // Runs `cycles` clock cycles with rst_ni low, then releases it.
  void reset(int cycles = 4);
  // One clock cycle: inputs as set by the caller, the sample hooks (before the rising edge), the
  // edge, then the falling half. Throws SimError past max_cycles.
  void tick();
  void add_sampler(std::function<void()> hook) { samplers_.push_back(std::move(hook)); }
  // Flushes, closes and moves the trace into place (also done by the destructor).
  void close_trace();
  // Whether this binary was built with Verilator --coverage.
  static bool coverage_build();
  // Coverage builds: writes the counts so far (atomically, as write_output); throws eie::Error
  // in other builds.
  void write_coverage(const std::string& path);

 private:
  void eval_and_dump(uint64_t time);

  std::string name_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Veie_top> dut_;
  std::unique_ptr<VerilatedFstC> trace_;
  std::unique_ptr<TempOutput> trace_file_;
  std::vector<std::function<void()>> samplers_;
  uint64_t cycle_ = 0;
  uint64_t max_cycles_;
};

}  // namespace eie::tb
