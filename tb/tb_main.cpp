// eie_sim: runs compressed networks on the Verilated EIE RTL and checks every output, on the cycle
// it appears, against the golden model. One binary per hardware build (NumPe, FifoDepth and
// memory sizes are compiled in); the active PE count and FIFO limit are set at run time.
//
// A simulation, in order: the options (sim_options), the stimulus (stimulus), the memory image
// loaded through the host port or the back door (host_driver, backdoor), then one run per input
// with the monitor feeding the scoreboard and the result sink taking the results, the PEs'
// counters checked against the golden work, and the report (report).
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "agents/host_driver.h"
#include "agents/monitor.h"
#include "agents/result_sink.h"
#include "checks/activity.h"
#include "checks/scoreboard.h"
#include "cli/options.h"
#include "eie/balance.h"
#include "eie/classify.h"
#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/inference.h"
#include "eie/memory_image.h"
#include "report.h"
#include "sim/backdoor.h"
#include "sim/sim_ctrl.h"
#include "sim_options.h"
#include "stimulus/stimulus.h"

namespace po = boost::program_options;

namespace eie::tb {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The parts of the testbench a run goes through, and what it runs.
struct Bench {
  SimCtrl& sim;
  HostDriver& driver;
  Monitor& monitor;
  ResultSink& sink;
  const ActivityProbe& probe;
  const Network& net;
  const MemoryImage& image;
  const GoldenModel& golden;
  uint32_t n;  // active PEs
};

// Loads the memory image (the back door returns its host time, which is not simulation) and,
// with --readback, reads it and the control registers back; --dirty-codebook0 then writes a
// non-zero entry 0 into every codebook, which the hardware must ignore.
double load(Bench& b, const SimOptions& opt) {
  const HwConfig& built = opt.config;
  b.driver.configure(built.active_pe, opt.fifo_limit);
  double backdoor_seconds = 0;
  if (opt.backdoor) {
    const auto t0 = std::chrono::steady_clock::now();
    backdoor_load(b.driver, b.image);
    backdoor_seconds = seconds_since(t0);
  } else {
    b.driver.load(b.image);
  }
  if (opt.readback) {
    b.driver.check_image(b.image);
    b.driver.expect(
        kTgtCtrl, 0, hw::kCtrlRun,
        uint64_t{built.max_layers} << 32 | uint64_t{built.fifo_depth} << 16 | built.num_pe,
        "build parameters (control register 0)");
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlActivePe, b.n, "active PEs (control register 2)");
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlFifoLimit, opt.effective_fifo_limit(),
                    "FIFO limit (control register 3)");
  }
  if (opt.dirty_codebook0) {
    for (uint32_t l = 0; l < b.image.layers.size(); ++l) {
      b.driver.write(kTgtCodebook, 0, hw::kCodebookSize * l,
                     static_cast<uint16_t>(0x5a5a ^ (l * 0x1111)));
    }
  }
  return backdoor_seconds;
}

// One inference: the input written, the run started and watched to its end, every output
// checked on its cycle, then its activity against the golden model's and, with --readback, its
// cycle register and results read back. Adds to the totals, with the predicted class scored
// against the label where the input has one.
void run_inference(Bench& b, const std::vector<int16_t>& input, std::optional<uint8_t> label,
                   uint32_t run, uint32_t fifo_limit, bool readback, SimTotals& totals) {
  std::vector<LayerWork> work;
  const auto expected = b.golden.run(input, &work);
  Scoreboard board(input, expected);
  RunStats stats;
  for (size_t l = 0; l < work.size(); ++l) {
    for (uint32_t k = 0; k < b.n; ++k) totals.golden_busy[k] += work[l].entries_per_pe[k];
    totals.layers[l].work_total += work[l].total_entries();
    totals.layers[l].work_busiest += work[l].max_entries();
    stats.work_total.push_back(work[l].total_entries());
    stats.work_busiest.push_back(work[l].max_entries());
  }
  b.driver.write_input(input, b.n);
  b.monitor.begin_run(board, stats, b.net.layers.size(), fifo_limit);
  // The input's last write acts two cycles after the port took it (docs/hardware.md, "Host
  // port"): the run's activity starts after it.
  b.sim.tick();
  b.sim.tick();
  b.monitor.mark();
  b.driver.start(static_cast<uint32_t>(b.net.layers.size()));
  while (!b.monitor.done()) {
    b.sink.next_cycle();
    b.sim.tick();
  }
  b.sink.stop();
  board.finish();
  account_run_activity(b.probe, b.image, b.monitor.marks(), input, expected, b.n, run, totals);
  if (label) {
    totals.rtl_correct += predicted_class(original_order(b.net, board.outputs())) == *label;
    totals.golden_correct += predicted_class(original_order(b.net, expected.back())) == *label;
  }
  stats.cycles = b.sim.dut().cycles_o;
  totals.checked += board.checked();
  if (readback) {
    b.driver.expect(kTgtCtrl, 0, hw::kCtrlCycles, stats.cycles, "run cycles (control register 1)");
    check_results(b.driver, b.net, expected.back(), b.n, b.image.config.act_depth);
  }
  b.monitor.end_run();
  totals.runs.push_back(stats);
}

// The PEs' counters after the last run: one entry per busy cycle, never a stall, so each PE's
// busy count is exactly its golden work. With --readback, a write clears them.
void check_pe_counters(HostDriver& driver, uint32_t n, bool readback, SimTotals& totals) {
  totals.pe.assign(n, PeCounters{});
  for (uint32_t k = 0; k < n; ++k) {
    for (size_t c = 0; c < kPeCounterAddrs.size(); ++c) {
      totals.pe[k][c] = driver.read(kTgtStats, k, kPeCounterAddrs[c]);
    }
    if (totals.pe[k][0] != totals.golden_busy[k]) {
      throw SimError(
          fmt::format("PE {} busy for {} cycles but the golden model gives it {} entries", k,
                      totals.pe[k][0], totals.golden_busy[k]));
    }
  }
  if (readback) {
    for (uint32_t k = 0; k < n; ++k) {
      driver.write(kTgtStats, k, hw::kStatBusy, 0);
      for (const uint32_t c : kPeCounterAddrs) driver.expect(kTgtStats, k, c, 0, "cleared counter");
    }
  }
}

int run(const po::variables_map& vm) {
  const SimOptions opt = parse_sim_options(vm);
  const HwConfig& built = opt.config;
  std::FILE* info = cli::info_stream({opt.json_path});
  std::mt19937_64 rng(opt.seed);

  // Stimulus: a model file with inputs, or a generated scenario (tb/stimulus/stimulus.h).
  Stimulus stimulus = load_stimulus(vm, opt.stimulus, built, rng);
  Scenario& s = stimulus.scenario;
  require(!s.inputs.empty(), "no input to run");
  if (opt.balance) s.net = balance_network(s.net, built.pes());
  if (!opt.fifo_sweep.empty()) s.inputs.resize(opt.fifo_sweep.size(), s.inputs.front());
  const auto inferences = static_cast<uint32_t>(s.inputs.size());
  cli::set_stage("building the memory image");
  const MemoryImage image = build_memory_image(s.net, built);
  const uint32_t n = built.pes();
  const GoldenModel golden(s.net, n);
  if (!opt.quiet) {
    fmt::print(info, "eie_sim [{}]: {} layers, {} PEs active of {}, FIFO {} of {}, seed {}\n",
               EIE_VARIANT, s.net.layers.size(), n, built.num_pe, opt.effective_fifo_limit(),
               built.fifo_depth, opt.seed);
  }

  cli::set_stage("simulating");
  SimCtrl sim(opt.trace_path, opt.max_cycles, opt.rand_reset);
  HostDriver driver(sim, rng, opt.idle);
  ResultSink sink(sim.dut(), rng, opt.backpressure);
  Monitor monitor(sim, built.num_pe, built.fifo_depth, n, opt.effective_fifo_limit());
  const auto wall_start = std::chrono::steady_clock::now();
  sim.reset();
  const ActivityProbe probe(built.num_pe);
  monitor.set_probe(probe);
  Bench bench{sim, driver, monitor, sink, probe, s.net, image, golden, n};
  SimFacts facts;
  facts.variant = EIE_VARIANT;
  facts.config = built;
  facts.fifo_limit = opt.fifo_limit;
  facts.seed = opt.seed;
  facts.benchmark_layer = opt.benchmark_layer;
  facts.inferences = inferences;
  facts.mnist = !stimulus.labels.empty();
  facts.backdoor_seconds = load(bench, opt);
  facts.load_cycles = sim.cycle();

  SimTotals totals(s.net.layers.size(), n);
  uint32_t limit = opt.effective_fifo_limit();
  for (uint32_t r = 0; r < inferences; ++r) {
    if (!opt.fifo_sweep.empty()) {
      limit = opt.fifo_sweep[r];
      driver.write(kTgtCtrl, 0, hw::kCtrlFifoLimit, limit);
    }
    std::optional<uint8_t> label;
    if (facts.mnist) label = stimulus.labels[r];
    run_inference(bench, s.inputs[r], label, r + 1, limit, opt.readback, totals);
  }
  facts.wall_seconds = seconds_since(wall_start);
  check_pe_counters(driver, n, opt.readback, totals);
  sim.close_trace();
  facts.simulated_cycles = sim.cycle();

  if (opt.expect_cycles && totals.runs.front().cycles != *opt.expect_cycles) {
    throw SimError(fmt::format("the first run took {} cycles, --expect-cycles {}",
                               totals.runs.front().cycles, *opt.expect_cycles));
  }
  print_summary(info, facts, s.net, totals, monitor, opt.quiet);
  if (facts.mnist && totals.rtl_correct != totals.golden_correct) {
    throw SimError("RTL and golden accuracy differ");
  }
  print_pass(info, facts, totals);
  if (!opt.coverage_path.empty()) sim.write_coverage(opt.coverage_path);
  if (!opt.json_path.empty()) {
    const std::string text = json_report(facts, totals, monitor, probe).dump(2) + "\n";
    write_output(opt.json_path, std::vector<uint8_t>(text.begin(), text.end()));
  }
  return 0;
}

}  // namespace
}  // namespace eie::tb

int main(int argc, char** argv) {
  const po::options_description opts = eie::tb::sim_option_descriptions();
  // Every failure ends in a message and an exit code (eie::cli::guarded_main): 2 for a
  // command-line mistake, 1 for bad input, a failed check (FAIL) or a resource limit.
  return eie::cli::guarded_main(
      "eie_sim",
      [&] {
        po::variables_map vm;
        try {
          po::store(po::parse_command_line(argc, argv, opts), vm);
          po::notify(vm);
        } catch (const po::error& e) {
          throw eie::cli::UsageError(e.what());
        }
        if (vm.count("help")) {
          std::cout << "usage: eie_sim [options]\n\n" << opts;
          return 0;
        }
        try {
          return eie::tb::run(vm);
        } catch (const eie::tb::SimError& e) {
          std::fflush(stdout);
          fmt::print(stderr, "FAIL [{}]: {}\n", EIE_VARIANT, e.what());
          return 1;
        }
      },
      "(eie_sim --help lists the options)\n");
}
