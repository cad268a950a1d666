// One simulation's steps with every check, shared by eie_sim (tb_main.cpp) and the RTL fuzzer
// (fuzz_rtl.cpp): the memory image loaded, each inference run and checked on its cycles and in
// its activity, and the PEs' counters checked at the end. A failed check throws SimError.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "agents/host_driver.h"
#include "agents/monitor.h"
#include "agents/result_sink.h"
#include "checks/activity.h"
#include "eie/inference.h"
#include "eie/memory_image.h"
#include "eie/network.h"
#include "report.h"
#include "sim/sim_ctrl.h"
#include "sim_options.h"

namespace eie::tb {

// The testbench's parts wired for one simulation of `net` (its memory image, its golden model)
// under opt's run-time settings, the model reset. Its parts refer to each other: not copied.
class Bench {
 public:
  Bench(const SimOptions& opt, const Network& net, const MemoryImage& image,
        const GoldenModel& golden, std::mt19937_64& rng);
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  SimCtrl sim;
  HostDriver driver;
  ResultSink sink;
  Monitor monitor;
  const ActivityProbe probe;  // made after the reset: the counters register as the model runs
  const Network& net;
  const MemoryImage& image;
  const GoldenModel& golden;
  const uint32_t n;  // active PEs
};

// Loads the memory image (the back door returns its host time, which is not simulation) and,
// with --readback, reads it and the control registers back; --dirty-codebook0 then writes a
// non-zero entry 0 into every codebook, which the hardware must ignore.
double load(Bench& b, const SimOptions& opt);

// One inference: the input written, the run started and watched to its end, every output
// checked on its cycle, then its activity against the golden model's and, with --readback, its
// cycle register and results read back. Adds to the totals, with the predicted class scored
// against the label where the input has one.
void run_inference(Bench& b, const std::vector<int16_t>& input, std::optional<uint8_t> label,
                   uint32_t run, uint32_t fifo_limit, bool readback, SimTotals& totals);

// The PEs' counters after the last run: one entry per busy cycle, never a stall, so each PE's
// busy count is exactly its golden work. With --readback, a write clears them.
void check_pe_counters(HostDriver& driver, uint32_t n, bool readback, SimTotals& totals);

}  // namespace eie::tb
