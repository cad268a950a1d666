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

#include "cli/options.h"
#include "eie/balance.h"
#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/inference.h"
#include "eie/memory_image.h"
#include "report.h"
#include "runner.h"
#include "segment_runner.h"
#include "sim/sim_ctrl.h"
#include "sim_options.h"
#include "stimulus/stimulus.h"

namespace po = boost::program_options;

namespace eie::tb {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// --expect-activity: every named counter counted something over the simulation.
void check_expected_activity(const std::vector<ActivityExpectation>& expected,
                             const SimTotals& totals) {
  for (const ActivityExpectation& e : expected) {
    const Activity& a = e.layer ? totals.layers[e.layer - 1].measured : totals.output_activity;
    uint64_t count = 0;
    if (e.unit == ActivityExpectation::Unit::kCcu) {
      count = a.ccu[e.event];
    } else if (e.unit == ActivityExpectation::Unit::kHold) {
      count = a.hold[e.event];
    } else {
      for (const auto& pe : a.pe) count += pe[e.event];
    }
    if (count == 0) {
      throw SimError(fmt::format("--expect-activity {}: the counter stayed at 0", e.text));
    }
  }
}

// --expect-activity names layers the network has.
void check_activity_layers(const std::vector<ActivityExpectation>& expected, const Network& net) {
  for (const ActivityExpectation& e : expected) {
    if (e.layer > net.layers.size()) {
      throw cli::UsageError(fmt::format("--expect-activity {}: the network has {} layer(s)", e.text,
                                        net.layers.size()));
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
  if (needs_segments(s.net)) {  // its segments on the array; pooling, LSTM updates on the host
    for (std::vector<int16_t>& x : s.inputs) x = network_order(s.net, x);  // as the host sends it
    run_segmented(opt, stimulus, info, rng);
    return 0;
  }
  check_activity_layers(opt.expect_activity, s.net);
  if (opt.balance) s.net = balance_network(s.net, built.pes(), {opt.order_inputs});
  for (std::vector<int16_t>& x : s.inputs) x = network_order(s.net, x);  // as the host sends it
  if (!opt.fifo_sweep.empty()) s.inputs.resize(opt.fifo_sweep.size(), s.inputs.front());
  const auto inferences = static_cast<uint32_t>(s.inputs.size());
  cli::set_stage("building the memory image");
  const MemoryImage image = build_memory_image(s.net, built);
  const uint32_t n = built.pes();
  const GoldenModel golden(s.net, n);
  if (!opt.quiet) {
    fmt::print(info,
               "eie_sim [{}]: {} layers, {} PEs active of {}, FIFO {} of {}, hold slots {} of {}, "
               "seed {}\n",
               EIE_VARIANT, s.net.layers.size(), n, built.num_pe, opt.effective_fifo_limit(),
               built.fifo_depth, opt.hold_limit, built.hold_slots, opt.seed);
  }

  cli::set_stage("simulating");
  Bench bench(opt, s.net, image, golden, rng);
  const auto wall_start = std::chrono::steady_clock::now();
  SimFacts facts;
  facts.variant = EIE_VARIANT;
  facts.config = built;
  facts.fifo_limit = opt.fifo_limit;
  facts.hold_limit = opt.hold_limit;
  facts.seed = opt.seed;
  facts.benchmark_layer = opt.benchmark_layer;
  facts.inferences = inferences;
  facts.mnist = !stimulus.labels.empty();
  facts.backdoor_seconds = load(bench, opt);
  facts.load_cycles = bench.sim.cycle();

  SimTotals totals(s.net.layers.size(), n);
  uint32_t limit = opt.effective_fifo_limit();
  for (uint32_t r = 0; r < inferences; ++r) {
    if (!opt.fifo_sweep.empty()) {
      limit = opt.fifo_sweep[r];
      bench.driver.write(kTgtCtrl, 0, hw::kCtrlFifoLimit, limit);
    }
    std::optional<uint8_t> label;
    if (facts.mnist) label = stimulus.labels[r];
    run_inference(bench, s.inputs[r], label, r + 1, limit, opt.readback, totals);
  }
  facts.wall_seconds = seconds_since(wall_start);
  check_pe_counters(bench.driver, n, opt.readback, totals);
  bench.sim.close_trace();
  facts.simulated_cycles = bench.sim.cycle();

  if (opt.expect_cycles && totals.runs.front().cycles != *opt.expect_cycles) {
    throw SimError(fmt::format("the first run took {} cycles, --expect-cycles {}",
                               totals.runs.front().cycles, *opt.expect_cycles));
  }
  check_expected_activity(opt.expect_activity, totals);
  print_summary(info, facts, s.net, totals, bench.monitor, opt.quiet);
  if (facts.mnist && totals.rtl_correct != totals.golden_correct) {
    throw SimError("RTL and golden accuracy differ");
  }
  print_pass(info, facts, totals);
  if (!opt.coverage_path.empty()) bench.sim.write_coverage(opt.coverage_path);
  if (!opt.json_path.empty()) {
    const std::string text = json_report(facts, totals, bench.monitor, bench.probe).dump(2) + "\n";
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
