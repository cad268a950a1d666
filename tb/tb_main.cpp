// eie_sim: runs compressed networks on the Verilated EIE RTL and checks every output, on the cycle
// it appears, against the golden model. One binary per hardware build (NumPe, FifoDepth and
// memory sizes are compiled in); the active PE count and FIFO limit are set at run time.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "activity.h"
#include "backdoor.h"
#include "cli/options.h"
#include "eie/activity.h"
#include "eie/balance.h"
#include "eie/classify.h"
#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/idx.h"
#include "eie/inference.h"
#include "eie/memory_image.h"
#include "host_driver.h"
#include "scenarios.h"
#include "scoreboard.h"
#include "signals.h"
#include "sim_ctrl.h"
#include "stimulus.h"

namespace po = boost::program_options;

namespace eie::tb {
namespace {

// CCU states (state_o), pipeline bits (pipe_valid_o: PipeStages a PE) and the FIFO slots beyond
// the run-time limit (docs/hardware.md, section 6), from rtl/eie_pkg.sv.
using hw::kCcuCompute, hw::kCcuDrain, hw::kCcuIdle, hw::kCcuOutput;
using hw::kFifoSkid, hw::kPipeE, hw::kPipeStages;
// The paper's clock, at which the reports quote inferences per second.
constexpr double kPaperClockHz = 800e6;

HwConfig built_config() {
  HwConfig c;
  c.num_pe = EIE_NUM_PE;
  c.fifo_depth = EIE_FIFO_DEPTH;
  c.spmat_depth = EIE_SPMAT_DEPTH;
  c.ptr_depth = EIE_PTR_DEPTH;
  c.act_depth = EIE_ACT_DEPTH;
  c.bias_depth = EIE_BIAS_DEPTH;
  c.max_layers = EIE_MAX_LAYERS;
  return c;
}

constexpr int64_t kMaxInferences = 1000000;
const std::vector<std::string> kScenarios = {"random",  "empty-cols", "imbalance", "paper",
                                             "padding", "rounding",   "sat-order", "benchmark"};

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

// The last layer's results where a host finds them after a run: activation i in the destination
// bank (bank L % 2 after L layers) of PE i % n at local index i / n, and its accumulator, whose
// int16 saturation (and ReLU) is that activation.
void check_results(HostDriver& driver, const Network& net, const std::vector<int16_t>& y,
                   uint32_t n, uint32_t act_depth) {
  uint32_t act_addr_bits = 0;
  while ((1u << act_addr_bits) < act_depth) ++act_addr_bits;
  const uint32_t bank = static_cast<uint32_t>(net.layers.size() % 2);
  const bool relu = net.layers.back().relu;
  for (uint32_t i = 0; i < y.size(); ++i) {
    const ActLocation at = locate_activation(i, n);
    driver.expect(kTgtAct, at.pe, bank << act_addr_bits | at.local,
                  static_cast<uint64_t>(int64_t{y[i]}), "result activation");
    const auto acc = static_cast<int32_t>(driver.read(kTgtAcc, at.pe, at.local));
    int32_t sat = std::clamp(acc, -32768, 32767);
    if (relu && sat < 0) sat = 0;
    if (sat != y[i]) {
      throw SimError(fmt::format("result {}: accumulator {} read back saturates to {}, not {}", i,
                                 acc, sat, y[i]));
    }
  }
}

int run(const po::variables_map& vm) {
  using cli::int_option_as;
  using cli::real_option;
  const HwConfig built = built_config();
  HwConfig config = built;
  config.active_pe = int_option_as<uint32_t>(vm, "pe", 0, built.num_pe);
  const auto fifo_limit = int_option_as<uint32_t>(vm, "fifo", 0, built.fifo_depth);
  const auto seed = int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX);
  auto inferences = int_option_as<uint32_t>(vm, "inferences", 1, kMaxInferences);
  const auto limit_digits = int_option_as<uint32_t>(vm, "limit", 1, kMaxInferences);
  const double weight_density = real_option(vm, "weight-density", 0, 1);
  const double act_density = real_option(vm, "act-density", 0, 1);
  // A probability of 1 would idle the host or refuse every result forever.
  const double idle = real_option(vm, "idle", 0, 1, true);
  const double backpressure = real_option(vm, "backpressure", 0, 1, true);
  const auto max_cycles = int_option_as<uint64_t>(vm, "max-cycles", 1, INT64_MAX);
  const auto rand_reset = int_option_as<uint32_t>(vm, "rand-reset", 0, UINT32_MAX);
  const uint64_t want =
      vm.count("expect-cycles") ? int_option_as<uint64_t>(vm, "expect-cycles", 0, INT64_MAX) : 0;
  const std::string scenario = vm["scenario"].as<std::string>();
  if (std::find(kScenarios.begin(), kScenarios.end(), scenario) == kScenarios.end()) {
    throw cli::UsageError(
        fmt::format("--scenario '{}': not one of {}", scenario, fmt::join(kScenarios, ", ")));
  }
  if (vm.count("layer")) {
    try {
      find_benchmark_layer(vm["layer"].as<std::string>());
    } catch (const Error& e) {
      throw cli::UsageError(std::string("--layer: ") + e.what());
    }
  }
  std::vector<uint32_t> sizes;
  if (vm.count("sizes")) {
    for (unsigned w : cli::parse_size_list(vm["sizes"].as<std::string>(), "--sizes")) {
      sizes.push_back(w);
    }
  }
  if (!vm.count("model")) {
    const bool chain = scenario == "random" || scenario == "empty-cols" || scenario == "imbalance";
    if (chain && sizes.size() < 2) {
      throw cli::UsageError(fmt::format(
          "--scenario {} needs --sizes with at least two widths (input first)", scenario));
    }
    if (scenario == "benchmark" && !vm.count("layer")) {
      throw cli::UsageError("--scenario benchmark needs --layer (Alex-6/7/8, VGG-6/7/8, NT-...)");
    }
  }
  if (vm.count("coverage-file") && !SimCtrl::coverage_build()) {
    throw cli::UsageError(
        fmt::format("--coverage-file: {} is not a coverage build (eie_sim_cov is)", EIE_VARIANT));
  }
  // --fifo-sweep: the first input again at every listed FIFO limit (one load, many runs).
  std::vector<uint32_t> sweep;
  if (vm.count("fifo-sweep")) {
    for (unsigned v : cli::parse_size_list(vm["fifo-sweep"].as<std::string>(), "--fifo-sweep",
                                           built.fifo_depth)) {
      sweep.push_back(v);
    }
    inferences = 1;
  }
  if (vm.count("mnist")) inferences = limit_digits;

  // Outputs are checked before any work: a trace or report that cannot be written, or one that
  // would overwrite an input, fails now rather than after the run.
  std::vector<cli::PathArg> inputs;
  for (const char* name : {"model", "input"}) {
    if (vm.count(name)) inputs.push_back({fmt::format("--{}", name), vm[name].as<std::string>()});
  }
  if (vm.count("mnist")) {
    for (const std::string& f : mnist_files(vm["mnist"].as<std::string>())) {
      inputs.push_back({"--mnist", f});
    }
  }
  std::vector<cli::PathArg> outputs;
  for (const char* name : {"json", "trace", "coverage-file"}) {
    if (vm.count(name)) {
      // Verilator writes the trace and the coverage file in place: they need regular files.
      outputs.push_back(
          {fmt::format("--{}", name), vm[name].as<std::string>(), std::string(name) != "json"});
    }
  }
  cli::check_outputs(outputs, inputs, vm.count("force") > 0);
  const std::string json_path = vm.count("json") ? vm["json"].as<std::string>() : "";
  std::FILE* info = cli::info_stream({json_path});
  std::mt19937_64 rng(seed);

  // Stimulus: a model file with inputs, or a generated scenario (tb/stimulus.h).
  Stimulus stimulus = load_stimulus(
      vm, {scenario, sizes, weight_density, act_density, inferences, limit_digits}, config, rng);
  Scenario& s = stimulus.scenario;
  const std::vector<uint8_t>& labels = stimulus.labels;  // with --mnist: each input's class
  require(!s.inputs.empty(), "no input to run");
  if (vm.count("balance")) s.net = balance_network(s.net, config.pes());
  if (!sweep.empty()) s.inputs.resize(sweep.size(), s.inputs.front());
  inferences = static_cast<uint32_t>(s.inputs.size());
  cli::set_stage("building the memory image");
  const MemoryImage image = build_memory_image(s.net, config);
  const uint32_t n = config.pes();
  const GoldenModel golden(s.net, n);
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet) {
    fmt::print(info, "eie_sim [{}]: {} layers, {} PEs active of {}, FIFO {} of {}, seed {}\n",
               EIE_VARIANT, s.net.layers.size(), n, built.num_pe,
               fifo_limit ? fifo_limit : built.fifo_depth, built.fifo_depth, seed);
  }

  cli::set_stage("simulating");
  SimCtrl sim(vm.count("trace") ? vm["trace"].as<std::string>() : "", max_cycles, rand_reset);
  Veie_top& dut = sim.dut();
  HostDriver driver(sim, rng, idle);
  std::bernoulli_distribution stall(backpressure);

  // Monitor: sampled before every rising edge.
  Scoreboard* board = nullptr;
  RunStats* stats = nullptr;
  bool done = false;
  uint64_t broadcasts = 0;
  uint32_t limit = fifo_limit ? fifo_limit : built.fifo_depth;  // changes with --fifo-sweep
  // Functional coverage the testbench counts per PE (the RTL's cover points count per module):
  // compute cycles with the PE's queue at its limit, and with an entry in its pipeline.
  std::vector<uint64_t> cov_fifo_full(built.num_pe, 0), cov_busy(built.num_pe, 0);
  const unsigned level_bits = [&] {
    unsigned b = 0;
    while ((1u << b) < built.fifo_depth + kFifoSkid + 1) ++b;
    return b;
  }();
  // Activity snapshots of the current run (tb/activity.h): as the run starts, as each later layer
  // starts (the switch from Drain to Compute), as the result stream starts (Output), and when the
  // run is done.
  std::unique_ptr<ActivityProbe> probe;
  std::vector<Activity> marks;
  std::vector<bool> seen_bcast;  // per layer of the current run: a broadcast went out
  uint32_t prev_state = kCcuIdle;
  sim.add_sampler([&] {
    // In reset the state is whatever power-up left (random under --rand-reset): nothing to check.
    if (!dut.rst_ni) return;
    const uint32_t now = dut.state_o;
    if (board != nullptr && now != prev_state &&
        (now == kCcuOutput || (now == kCcuCompute && prev_state == kCcuDrain))) {
      marks.push_back(probe->read());
    }
    prev_state = now;
    for (uint32_t k = 0; k < built.num_pe; ++k) {
      const uint64_t level = bits(dut.fifo_level_o, k * level_bits, level_bits);
      if (level > (k < n ? limit + kFifoSkid : 0)) {
        throw SimError(fmt::format("cycle {}: PE {} FIFO holds {} entries, limit {} + {} of skid",
                                   sim.cycle(), k, level, k < n ? limit : 0, kFifoSkid));
      }
      if (k >= n && bits(dut.wb_valid_o, k, 1)) {
        throw SimError(fmt::format("cycle {}: inactive PE {} wrote back", sim.cycle(), k));
      }
    }
    if (board == nullptr) {
      if (dut.out_valid_o || dut.bcast_valid_o || bits(dut.wb_valid_o, 0, 1)) {
        throw SimError(fmt::format("cycle {}: output or broadcast outside a run", sim.cycle()));
      }
      return;
    }
    const uint32_t state = dut.state_o;
    if (state == kCcuCompute || state == kCcuDrain) {
      for (uint32_t k = 0; k < n; ++k) {
        cov_fifo_full[k] += bits(dut.fifo_level_o, k * level_bits, level_bits) >= limit;
        cov_busy[k] += bits(dut.pipe_valid_o, k * kPipeStages + kPipeE, 1);
      }
    }
    if (state != kCcuIdle && state < kCcuOutput) {
      const size_t l = dut.layer_o;
      ++stats->layer_cycles.at(l);
      if (dut.bcast_valid_o) {
        stats->layer_tail.at(l) = 0;
        seen_bcast.at(l) = true;
      } else if (seen_bcast.at(l)) {
        ++stats->layer_tail.at(l);
      } else {
        ++stats->layer_lead.at(l);
      }
    }
    if (state == kCcuOutput) ++stats->output_cycles;
    for (uint32_t k = 0; k < n; ++k) {
      if (bits(dut.wb_valid_o, k, 1)) {
        board->on_writeback(
            sim.cycle(), dut.wb_layer_o, dut.wb_row_o * n + k,
            static_cast<int16_t>(bits(dut.wb_data_o, k * hw::kActWidth, hw::kActWidth)));
      }
    }
    if (dut.bcast_valid_o) {
      board->on_broadcast(sim.cycle(), dut.layer_o, dut.bcast_col_o,
                          static_cast<int16_t>(dut.bcast_act_o));
    }
    if (dut.out_valid_o && dut.out_ready_i) {
      board->on_output(sim.cycle(), dut.out_index_o, static_cast<int16_t>(dut.out_data_o));
    }
    broadcasts += dut.bcast_valid_o;
    if (dut.done_o) {
      done = true;
      marks.push_back(probe->read());
    }
  });

  const auto wall_start = std::chrono::steady_clock::now();
  sim.reset();
  probe = std::make_unique<ActivityProbe>(built.num_pe);
  driver.configure(config.active_pe, fifo_limit);
  double backdoor_seconds = 0;  // host time of the back-door load, outside the simulation speed
  if (vm.count("backdoor")) {
    const auto t0 = std::chrono::steady_clock::now();
    backdoor_load(driver, image);
    backdoor_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } else {
    driver.load(image);
  }
  const bool readback = vm.count("readback") > 0;
  if (readback) {
    driver.check_image(image);
    driver.expect(
        kTgtCtrl, 0, hw::kCtrlRun,
        uint64_t{built.max_layers} << 32 | uint64_t{built.fifo_depth} << 16 | built.num_pe,
        "build parameters (control register 0)");
    driver.expect(kTgtCtrl, 0, hw::kCtrlActivePe, n, "active PEs (control register 2)");
    driver.expect(kTgtCtrl, 0, hw::kCtrlFifoLimit, limit, "FIFO limit (control register 3)");
  }
  if (vm.count("dirty-codebook0")) {
    for (uint32_t l = 0; l < image.layers.size(); ++l) {
      driver.write(kTgtCodebook, 0, hw::kCodebookSize * l,
                   static_cast<uint16_t>(0x5a5a ^ (l * 0x1111)));
    }
  }
  const uint64_t load_cycles = sim.cycle();
  std::vector<RunStats> runs;
  uint64_t checked = 0, rtl_correct = 0, golden_correct = 0;
  std::vector<uint64_t> golden_busy(n, 0);  // entries each PE must process over all runs
  // Per layer, summed over runs: the work (entries incl. padding) in all PEs and in the busiest.
  std::vector<uint64_t> work_total(s.net.layers.size(), 0), work_busiest(s.net.layers.size(), 0);
  // Per layer and for the result stream, summed over runs; checked against the golden model.
  std::vector<Activity> layer_activity(s.net.layers.size());
  Activity output_activity;
  // The golden model's prediction of the same (equal wherever the RTL counts it), with the
  // sparse-matrix reads other SRAM word widths would need (the paper's width study).
  const std::vector<uint32_t> word_widths = {32, 64, 128, 256, 512};
  std::vector<PeLayerActivity> predicted(s.net.layers.size());
  std::vector<uint64_t> floors(s.net.layers.size(), 0);  // broadcast floor, all runs
  std::vector<std::vector<uint64_t>> words_by_width(s.net.layers.size(),
                                                    std::vector<uint64_t>(word_widths.size()));
  for (uint32_t r = 0; r < inferences; ++r) {
    std::vector<LayerWork> work;
    const auto expected = golden.run(s.inputs[r], &work);
    for (size_t l = 0; l < work.size(); ++l) {
      for (uint32_t k = 0; k < n; ++k) golden_busy[k] += work[l].entries_per_pe[k];
      work_total[l] += work[l].total_entries();
      work_busiest[l] += work[l].max_entries();
    }
    Scoreboard sb(s.inputs[r], expected);
    RunStats rs;
    rs.layer_cycles.assign(s.net.layers.size(), 0);
    rs.layer_lead.assign(s.net.layers.size(), 0);
    rs.layer_tail.assign(s.net.layers.size(), 0);
    seen_bcast.assign(s.net.layers.size(), false);
    for (const LayerWork& w : work) {
      rs.work_total.push_back(w.total_entries());
      rs.work_busiest.push_back(w.max_entries());
    }
    if (!sweep.empty()) {
      limit = sweep[r];
      driver.write(kTgtCtrl, 0, hw::kCtrlFifoLimit, limit);
    }
    rs.fifo_limit = limit;
    driver.write_input(s.inputs[r], n);
    board = &sb;
    stats = &rs;
    done = false;
    marks.clear();
    // The input's last write acts two cycles after the port took it (docs/hardware.md, "Host
    // port"): the run's activity starts after it.
    sim.tick();
    sim.tick();
    marks.push_back(probe->read());
    driver.start(static_cast<uint32_t>(s.net.layers.size()));
    while (!done) {
      dut.out_ready_i = !stall(rng);
      sim.tick();
    }
    dut.out_ready_i = 0;
    sb.finish();
    const size_t layers = s.net.layers.size();
    if (marks.size() != layers + 2) {
      throw SimError(fmt::format("run {}: {} activity marks for {} layers (a layer never started?)",
                                 r + 1, marks.size(), layers));
    }
    std::vector<std::vector<PeLayerActivity>> acts(layers);
    for (size_t l = 0; l < layers; ++l) {
      acts[l] = predict_layer_activity(image, l, l == 0 ? s.inputs[r] : expected[l - 1]);
    }
    for (size_t l = 0; l <= layers; ++l) {  // the layers' windows, then the result stream's
      ActivityWindow window;
      window.label = l < layers ? fmt::format("run {}, layer {}", r + 1, l + 1)
                                : fmt::format("run {}, result stream", r + 1);
      if (l < layers) {
        window.compute = &acts[l];
        window.compute_layer = &image.layers[l];
        // Layer 1's descriptor and codebook as the run starts; the next layer's in the drain.
        window.desc_reads = (l == 0 ? 2 : 0) + (l + 1 < layers ? 2 : 0);
        window.codebook_reads = (l == 0 ? 1 : 0) + (l + 1 < layers ? 1 : 0);
      } else {
        window.groups = (uint64_t{image.layers.back().rows} + n - 1) / n;
        window.results = image.layers.back().rows;
      }
      if (l > 0) {
        window.writeback = &acts[l - 1];
        window.writeback_layer = &image.layers[l - 1];
      }
      const Activity delta = marks[l + 1] - marks[l];
      probe->check_window(delta, window, n);
      if (l == layers) {
        output_activity += delta;
        continue;
      }
      const std::vector<int16_t>& x = l == 0 ? s.inputs[r] : expected[l - 1];
      floors[l] += broadcast_floor(x, n);
      layer_activity[l] += delta;
      for (const PeLayerActivity& a : acts[l]) {
        predicted[l].broadcasts += a.broadcasts;
        predicted[l].columns += a.columns;
        predicted[l].entries += a.entries;
        predicted[l].spmat_words += a.spmat_words;
        predicted[l].rows += a.rows;
        predicted[l].touched_rows += a.touched_rows;
        predicted[l].groups += a.groups;
      }
      for (size_t w = 0; w < word_widths.size(); ++w) {
        for (const uint64_t words : spmat_word_reads(image, l, x, word_widths[w])) {
          words_by_width[l][w] += words;
        }
      }
    }
    if (!labels.empty()) {
      rtl_correct += predicted_class(original_order(s.net, sb.outputs())) == labels[r];
      golden_correct += predicted_class(original_order(s.net, expected.back())) == labels[r];
    }
    rs.cycles = dut.cycles_o;
    checked += sb.checked();
    if (readback) {
      driver.expect(kTgtCtrl, 0, hw::kCtrlCycles, rs.cycles, "run cycles (control register 1)");
      check_results(driver, s.net, expected.back(), n, built.act_depth);
    }
    board = nullptr;
    runs.push_back(rs);
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  // Per-PE counters, accumulated over all runs.
  constexpr std::array<uint32_t, 3> kStats = {hw::kStatBusy, hw::kStatIdle, hw::kStatFifoFull};
  std::vector<std::array<uint64_t, kStats.size()>> pe_stats(n);
  for (uint32_t k = 0; k < n; ++k) {
    for (size_t c = 0; c < kStats.size(); ++c)
      pe_stats[k][c] = driver.read(kTgtStats, k, kStats[c]);
    // One entry per busy cycle, never a stall: the busy count is exactly the golden work.
    if (pe_stats[k][0] != golden_busy[k]) {
      throw SimError(
          fmt::format("PE {} busy for {} cycles but the golden model gives it {} "
                      "entries",
                      k, pe_stats[k][0], golden_busy[k]));
    }
  }
  if (readback) {  // any write to the counters clears them
    for (uint32_t k = 0; k < n; ++k) {
      driver.write(kTgtStats, k, hw::kStatBusy, 0);
      for (const uint32_t c : kStats) driver.expect(kTgtStats, k, c, 0, "cleared counter");
    }
  }
  sim.close_trace();

  uint64_t run_cycles = 0;
  for (const RunStats& rs : runs) run_cycles += rs.cycles;
  if (vm.count("expect-cycles")) {
    if (runs.front().cycles != want) {
      throw SimError(fmt::format("the first run took {} cycles, --expect-cycles {}",
                                 runs.front().cycles, want));
    }
  }
  const double speed = static_cast<double>(sim.cycle()) / (wall - backdoor_seconds);
  if (!quiet) {
    for (size_t l = 0; l < s.net.layers.size(); ++l) {
      uint64_t c = 0;
      for (const RunStats& rs : runs) c += rs.layer_cycles[l];
      fmt::print(info, "  layer {} ({}x{}): {} cycles per inference\n", l + 1,
                 s.net.layers[l].outputs(), s.net.layers[l].inputs(), c / runs.size());
    }
    uint64_t busy = 0, busiest = 0;
    for (const auto& p : pe_stats) {
      busy += p[0];
      busiest = std::max(busiest, p[0]);
    }
    fmt::print(info, "  PE busy cycles: total {}, busiest {}, mean {:.1f}; broadcasts {}\n", busy,
               busiest, static_cast<double>(busy) / n, broadcasts);
  }
  if (!labels.empty()) {
    const double per = static_cast<double>(run_cycles) / inferences;
    fmt::print(info,
               "MNIST test digits 1..{}: RTL accuracy {:.2f}% ({} correct), golden model {:.2f}% "
               "({} correct); {:.0f} cycles per inference = {:.0f} inferences/s at 800 MHz\n",
               inferences, 100.0 * rtl_correct / inferences, rtl_correct,
               100.0 * golden_correct / inferences, golden_correct, per, kPaperClockHz / per);
    if (rtl_correct != golden_correct) throw SimError("RTL and golden accuracy differ");
  }
  fmt::print(info,
             "PASS [{}]: {} inference(s), {} outputs checked, {} run cycles ({} per inference), "
             "{} cycles simulated at {:.0f} cycles/s\n",
             EIE_VARIANT, inferences, checked, run_cycles, run_cycles / inferences, sim.cycle(),
             speed);
  if (vm.count("coverage-file")) sim.write_coverage(vm["coverage-file"].as<std::string>());

  if (vm.count("json")) {
    nlohmann::json j;
    j["variant"] = EIE_VARIANT;
    j["config"] = {{"num_pe", built.num_pe},           {"active_pe", n},
                   {"fifo_depth", built.fifo_depth},   {"fifo_limit", fifo_limit},
                   {"spmat_depth", built.spmat_depth}, {"ptr_depth", built.ptr_depth},
                   {"act_depth", built.act_depth},     {"bias_depth", built.bias_depth}};
    j["seed"] = seed;
    if (!vm.count("model") && scenario == "benchmark") {  // the paper's figures for the layer
      const BenchmarkLayer& b = find_benchmark_layer(vm["layer"].as<std::string>());
      j["benchmark"] = {{"layer", b.name},
                        {"paper_theoretical_us", b.paper_theoretical_us},
                        {"paper_actual_us", b.paper_actual_us}};
    }
    j["inferences"] = inferences;
    j["outputs_checked"] = checked;
    j["load_cycles"] = load_cycles;
    j["run_cycles"] = run_cycles;
    j["simulated_cycles"] = sim.cycle();
    j["wall_seconds"] = wall;
    j["backdoor_seconds"] = backdoor_seconds;
    j["cycles_per_second"] = speed;
    if (!labels.empty()) {
      j["mnist"] = {{"digits", inferences},
                    {"rtl_correct", rtl_correct},
                    {"golden_correct", golden_correct},
                    {"rtl_accuracy", static_cast<double>(rtl_correct) / inferences},
                    {"cycles_per_inference", static_cast<double>(run_cycles) / inferences},
                    {"inferences_per_second_800mhz",
                     kPaperClockHz * inferences / static_cast<double>(run_cycles)}};
    }
    j["work_total_entries"] = work_total;  // per layer, all runs
    j["work_busiest_pe_entries"] = work_busiest;
    j["runs"] = nlohmann::json::array();
    for (const RunStats& rs : runs) {
      j["runs"].push_back({{"fifo_limit", rs.fifo_limit},
                           {"cycles", rs.cycles},
                           {"layer_cycles", rs.layer_cycles},
                           {"layer_lead_cycles", rs.layer_lead},
                           {"layer_drain_cycles", rs.layer_tail},
                           {"output_cycles", rs.output_cycles},
                           {"work_total_entries", rs.work_total},
                           {"work_busiest_pe_entries", rs.work_busiest}});
    }
    j["coverage"] = {{"fifo_full_cycles_per_pe", cov_fifo_full}, {"busy_cycles_per_pe", cov_busy}};
    // Actions for the energy model (docs/energy.md), all runs together; every layer's were
    // checked against the golden model.
    j["activity"]["counters"] = ActivityProbe::available() ? "rtl" : "memories only";
    j["activity"]["layers"] = nlohmann::json::array();
    for (size_t l = 0; l < layer_activity.size(); ++l) {
      nlohmann::json layer = probe->summary(layer_activity[l]);
      const PeLayerActivity& p = predicted[l];
      layer["predicted"] = {{"broadcasts", p.broadcasts},
                            {"columns", p.columns},
                            {"entries", p.entries},
                            {"spmat_words", p.spmat_words},
                            {"rows", p.rows},
                            {"groups", p.groups},
                            {"touched_rows", p.touched_rows},
                            {"broadcast_floor", floors[l]}};
      for (size_t w = 0; w < word_widths.size(); ++w) {
        layer["predicted"]["spmat_words_by_width"][std::to_string(word_widths[w])] =
            words_by_width[l][w];
      }
      j["activity"]["layers"].push_back(layer);
    }
    j["activity"]["output"] = probe->summary(output_activity);
    j["pe"] = nlohmann::json::array();
    for (const auto& p : pe_stats) {
      j["pe"].push_back({{"busy", p[0]}, {"idle", p[1]}, {"fifo_full", p[2]}});
    }
    const std::string text = j.dump(2) + "\n";
    write_output(json_path, std::vector<uint8_t>(text.begin(), text.end()));
  }
  return 0;
}

}  // namespace
}  // namespace eie::tb

int main(int argc, char** argv) {
  po::options_description opts("eie_sim options");
  opts.add_options()("help,h", "show this help")(
      "model,m", po::value<std::string>(), "model file to run (default: a generated scenario)")(
      "input,i", po::value<std::string>(),
      "inputs for --model as .npy, (inputs,) or (batch, inputs)")(
      "mnist", po::value<std::string>(),
      "inputs for --model: the test split of this MNIST IDX folder, with accuracy")(
      "limit", po::value<int64_t>()->default_value(2000), "test digits to run with --mnist")(
      "fifo-sweep", po::value<std::string>(),
      "run the first input once per FIFO limit in this list, e.g. 1,2,4,8")(
      "scenario", po::value<std::string>()->default_value("random"),
      "generated stimulus: random, empty-cols, imbalance, paper, padding, rounding, sat-order, "
      "benchmark")("layer", po::value<std::string>(),
                   "benchmark layer: Alex-6/7/8, VGG-6/7/8, NT-We/Wd/LSTM")(
      "skewed", "benchmark: log-normal row densities instead of uniform")(
      "balance", "permute rows to even out the PEs' work before loading (row balancing)")(
      "sizes", po::value<std::string>(), "layer widths for random scenarios, input first")(
      "weight-density", po::value<double>()->default_value(0.1), "weight density of scenarios")(
      "act-density", po::value<double>()->default_value(0.5), "non-zero share of random inputs")(
      "wide", "full-range weights, biases and inputs (saturation everywhere)")(
      "relu-last", "ReLU on the last generated layer too")(
      "seed", po::value<int64_t>()->default_value(1),
      "random seed (stimulus, idle, back-pressure)")(
      "inferences,n", po::value<int64_t>()->default_value(1), "input vectors to run")(
      "pe", po::value<int64_t>()->default_value(0), "active PEs at run time (0 = all built)")(
      "fifo", po::value<int64_t>()->default_value(0), "activation FIFO limit (0 = FifoDepth)")(
      "idle", po::value<double>()->default_value(0.1), "probability of an idle host cycle")(
      "backpressure", po::value<double>()->default_value(0.3),
      "probability the host refuses a result in a cycle")("trace", po::value<std::string>(),
                                                          "write an FST waveform to this file")(
      "max-cycles", po::value<int64_t>()->default_value(50000000), "fail after this many cycles")(
      "coverage-file", po::value<std::string>(),
      "coverage builds: write the line, toggle and cover-point counts of a passing run here")(
      "backdoor",
      "preload the per-PE memories through the back door (zero simulated time) instead of the "
      "host port; for large layers on many PEs")(
      "readback",
      "also read every loaded memory, the control registers, each run's results "
      "(activations and accumulators) and the cleared counters back through the host port")(
      "dirty-codebook0",
      "after loading, write a non-zero value into every layer's codebook entry 0: the format "
      "fixes it at 0 and the hardware must ignore it (index 0 is exact zero)")(
      "rand-reset", po::value<int64_t>()->default_value(0),
      "start every register and memory from random values drawn from this seed (0: off)")(
      "json", po::value<std::string>(), "write a JSON report (- : standard output)")(
      "force", "write --json, --trace or --coverage-file even where it is an input file")(
      "expect-cycles", po::value<int64_t>(), "fail unless the first run takes exactly N cycles")(
      "quiet,q", "print only the verdict line");
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
