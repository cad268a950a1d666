// eie_sim's command line: the options it takes, and the run settings they give once checked
// against this build (ranges, scenario names, which outputs may be written where). A mistake is a
// cli::UsageError, found before any work.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eie/memory_image.h"
#include "stimulus/stimulus.h"

namespace eie::tb {

// The hardware this binary simulates: its eie_top parameters, compiled in (tb/CMakeLists.txt).
HwConfig built_config();

// --expect-activity WINDOW.UNIT.EVENT: an activity counter (tb/checks/activity.h) that must count
// something over the whole simulation, to show a directed test reached its corner case.
struct ActivityExpectation {
  std::string text;    // as given
  uint32_t layer = 0;  // the window: layer 1, 2, ..., or 0 for the result stream
  enum class Unit { kPe, kCcu, kHold } unit = Unit::kPe;  // the PEs' counter summed, or one
  size_t event = 0;                                       // index into kCcuEvents / kPeEvents
};

struct SimOptions {
  HwConfig config;                        // the build, with the run's active PE count (--pe)
  uint32_t fifo_limit = 0;                // --fifo; 0: the FIFO depth
  uint32_t hold_limit = 0;                // --hold: broadcast hold slots in use (0: none)
  uint64_t seed = 1;                      // stimulus, host idle cycles and back-pressure
  StimulusRequest stimulus;               // what to run (tb/stimulus/stimulus.h)
  double idle = 0;                        // probability of an idle host cycle
  double backpressure = 0;                // probability the host refuses a result in a cycle
  uint64_t max_cycles = 0;                // the simulation fails past this cycle
  uint32_t rand_reset = 0;                // seed of random power-up values (0: off)
  std::vector<uint32_t> fifo_sweep;       // --fifo-sweep: one run of the first input per limit
  std::optional<uint64_t> expect_cycles;  // the first run must take exactly this many
  std::vector<ActivityExpectation> expect_activity;
  bool balance = false, order_inputs = false, backdoor = false, readback = false;
  bool dirty_codebook0 = false;
  bool quiet = false;
  std::string trace_path, json_path, coverage_path;  // empty: not written
  std::string benchmark_layer;  // a generated benchmark layer, whose paper figures the JSON quotes

  // The FIFO limit the hardware runs under before any sweep.
  uint32_t effective_fifo_limit() const { return fifo_limit ? fifo_limit : config.fifo_depth; }
};

boost::program_options::options_description sim_option_descriptions();

// Checks every option and the output paths (an output that cannot be written, or that would
// overwrite an input, fails now rather than after the run).
SimOptions parse_sim_options(const boost::program_options::variables_map& vm);

}  // namespace eie::tb
