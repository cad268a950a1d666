// eie_sim: runs compressed networks on the Verilated EIE RTL and checks every output, on the cycle
// it appears, against the golden model. One binary per hardware build (NumPe, FifoDepth and
// memory sizes are compiled in); the active PE count and FIFO limit are set at run time.
#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "backdoor.h"
#include "eie/balance.h"
#include "eie/classify.h"
#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/inference.h"
#include "eie/memory_image.h"
#include "eie/model_file.h"
#include "eie/npy.h"
#include "host_driver.h"
#include "scenarios.h"
#include "scoreboard.h"
#include "signals.h"
#include "sim_ctrl.h"

namespace po = boost::program_options;

namespace eie::tb {
namespace {

constexpr int kStateIdle = 0, kStateCompute = 3, kStateDrain = 4, kStateWriteback = 5,
              kStateOutput = 6;

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

std::vector<uint32_t> parse_sizes(const std::string& s) {
  std::vector<uint32_t> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = s.find(',', start);
    const std::string item = s.substr(start, comma == std::string::npos ? comma : comma - start);
    size_t used = 0;
    unsigned long v = 0;
    try {
      v = std::stoul(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || v == 0) fail("--sizes: '{}' is not a width", item);
    out.push_back(static_cast<uint32_t>(v));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

struct RunStats {
  uint32_t fifo_limit = 0;
  uint64_t cycles = 0;                             // the run's cycle counter (start to done)
  std::vector<uint64_t> work_total, work_busiest;  // per layer, from the golden model
  std::vector<uint64_t> layer_cycles;              // from Load to the end of Writeback
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
  const HwConfig built = built_config();
  HwConfig config = built;
  config.active_pe = vm["pe"].as<uint32_t>();
  const uint32_t fifo_limit = vm["fifo"].as<uint32_t>();
  require(fifo_limit <= built.fifo_depth, "--fifo {}: this build has FifoDepth {}", fifo_limit,
          built.fifo_depth);
  const uint64_t seed = vm["seed"].as<uint64_t>();
  uint32_t inferences = vm["inferences"].as<uint32_t>();
  // --fifo-sweep: the first input again at every listed FIFO limit (one load, many runs).
  std::vector<uint32_t> sweep;
  if (vm.count("fifo-sweep")) {
    for (uint32_t v : parse_sizes(vm["fifo-sweep"].as<std::string>())) {
      require(v <= built.fifo_depth, "--fifo-sweep {}: this build has FifoDepth {}", v,
              built.fifo_depth);
      sweep.push_back(v);
    }
    inferences = 1;
  }
  if (vm.count("mnist")) inferences = vm["limit"].as<uint32_t>();
  require(inferences >= 1, "--inferences must be at least 1");
  std::mt19937_64 rng(seed);

  // Stimulus: a model file with inputs, or a generated scenario.
  Scenario s;
  std::vector<uint8_t> labels;  // with --mnist: the class of each input
  if (vm.count("model")) {
    s.net = read_model(vm["model"].as<std::string>()).net;
    if (vm.count("mnist")) {
      const Mnist data = load_mnist(vm["mnist"].as<std::string>());
      require(data.test.images.size() == s.net.inputs(),
              "MNIST images have {} pixels, the model takes {} inputs", data.test.images.size(),
              s.net.inputs());
      const size_t count = std::min<size_t>(vm["limit"].as<uint32_t>(), data.test.labels.size());
      for (size_t i = 0; i < count; ++i) {
        s.inputs.push_back(quantize_pixels(data.test.images, i, s.net.act_frac));
        labels.push_back(data.test.labels[i]);
      }
    } else if (vm.count("input")) {
      const std::string path = vm["input"].as<std::string>();
      const NpyArray x = read_npy(path, NpyKind::kFloatOrInt16);
      require(x.shape.size() == 1 || x.shape.size() == 2,
              "{}: expected (inputs,) or (batch, inputs)", path);
      require(x.shape.back() == s.net.inputs(), "{}: {} values per input, the model takes {}", path,
              x.shape.back(), s.net.inputs());
      const size_t batch = x.shape.size() == 2 ? x.shape[0] : 1;
      for (size_t b = 0; b < batch && s.inputs.size() < inferences; ++b) {
        std::vector<double> row(x.values.begin() + static_cast<long>(b * s.net.inputs()),
                                x.values.begin() + static_cast<long>((b + 1) * s.net.inputs()));
        if (x.dtype == "<i2") {
          std::vector<int16_t> raw(row.begin(), row.end());
          s.inputs.push_back(raw);
        } else {
          s.inputs.push_back(quantize_activations(row, s.net.act_frac));
        }
      }
    }
    while (s.inputs.size() < inferences) {
      s.inputs.push_back(
          random_activations(s.net.inputs(), vm["act-density"].as<double>(), false, rng));
    }
  } else {
    ScenarioOptions o;
    o.name = vm["scenario"].as<std::string>();
    if (vm.count("sizes")) o.sizes = parse_sizes(vm["sizes"].as<std::string>());
    o.weight_density = vm["weight-density"].as<double>();
    o.act_density = vm["act-density"].as<double>();
    o.wide = vm.count("wide") > 0;
    o.relu_last = vm.count("relu-last") > 0;
    o.num_pe = config.pes();
    if (vm.count("layer")) o.layer = vm["layer"].as<std::string>();
    o.skewed = vm.count("skewed") > 0;
    s = make_scenario(o, inferences, rng);
  }

  require(!s.inputs.empty(), "no input to run");
  if (vm.count("balance")) s.net = balance_network(s.net, config.pes());
  if (!sweep.empty()) s.inputs.resize(sweep.size(), s.inputs.front());
  inferences = static_cast<uint32_t>(s.inputs.size());
  const MemoryImage image = build_memory_image(s.net, config);
  const uint32_t n = config.pes();
  const GoldenModel golden(s.net, n);
  const bool quiet = vm.count("quiet") > 0;
  if (!quiet) {
    fmt::print("eie_sim [{}]: {} layers, {} PEs active of {}, FIFO {} of {}, seed {}\n",
               EIE_VARIANT, s.net.layers.size(), n, built.num_pe,
               fifo_limit ? fifo_limit : built.fifo_depth, built.fifo_depth, seed);
  }

  SimCtrl sim(vm.count("trace") ? vm["trace"].as<std::string>() : "",
              vm["max-cycles"].as<uint64_t>(), vm["rand-reset"].as<uint32_t>());
  Veie_top& dut = sim.dut();
  HostDriver driver(sim, rng, vm["idle"].as<double>());
  std::bernoulli_distribution stall(vm["backpressure"].as<double>());

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
    while ((1u << b) < built.fifo_depth + 1) ++b;
    return b;
  }();
  sim.add_sampler([&] {
    // In reset the state is whatever power-up left (random under --rand-reset): nothing to check.
    if (!dut.rst_ni) return;
    for (uint32_t k = 0; k < built.num_pe; ++k) {
      const uint64_t level = bits(dut.fifo_level_o, k * level_bits, level_bits);
      if (level > (k < n ? limit : 0)) {
        throw SimError(fmt::format("cycle {}: PE {} FIFO holds {} entries, limit {}", sim.cycle(),
                                   k, level, k < n ? limit : 0));
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
    const int state = dut.state_o;
    if (state == kStateCompute || state == kStateDrain) {
      for (uint32_t k = 0; k < n; ++k) {
        cov_fifo_full[k] += bits(dut.fifo_level_o, k * level_bits, level_bits) >= limit;
        cov_busy[k] += bits(dut.pipe_valid_o, k * 6 + 4, 1);
      }
    }
    if (state != kStateIdle && state < kStateOutput) ++stats->layer_cycles.at(dut.layer_o);
    if (state == kStateOutput) ++stats->output_cycles;
    for (uint32_t k = 0; k < n; ++k) {
      if (bits(dut.wb_valid_o, k, 1)) {
        board->on_writeback(sim.cycle(), dut.layer_o, dut.wb_row_o * n + k,
                            static_cast<int16_t>(bits(dut.wb_data_o, k * 16, 16)));
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
    if (dut.done_o) done = true;
  });

  const auto wall_start = std::chrono::steady_clock::now();
  sim.reset();
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
        kTgtCtrl, 0, 0,
        uint64_t{built.max_layers} << 32 | uint64_t{built.fifo_depth} << 16 | built.num_pe,
        "build parameters (control register 0)");
    driver.expect(kTgtCtrl, 0, 2, n, "active PEs (control register 2)");
    driver.expect(kTgtCtrl, 0, 3, limit, "FIFO limit (control register 3)");
  }
  if (vm.count("dirty-codebook0")) {
    for (uint32_t l = 0; l < image.layers.size(); ++l) {
      driver.write(kTgtCodebook, 0, 16 * l, static_cast<uint16_t>(0x5a5a ^ (l * 0x1111)));
    }
  }
  const uint64_t load_cycles = sim.cycle();
  std::vector<RunStats> runs;
  uint64_t checked = 0, rtl_correct = 0, golden_correct = 0;
  std::vector<uint64_t> golden_busy(n, 0);  // entries each PE must process over all runs
  // Per layer, summed over runs: the work (entries incl. padding) in all PEs and in the busiest.
  std::vector<uint64_t> work_total(s.net.layers.size(), 0), work_busiest(s.net.layers.size(), 0);
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
    for (const LayerWork& w : work) {
      rs.work_total.push_back(w.total_entries());
      rs.work_busiest.push_back(w.max_entries());
    }
    if (!sweep.empty()) {
      limit = sweep[r];
      driver.write(kTgtCtrl, 0, 3, limit);
    }
    rs.fifo_limit = limit;
    driver.write_input(s.inputs[r], n);
    board = &sb;
    stats = &rs;
    done = false;
    driver.start(static_cast<uint32_t>(s.net.layers.size()));
    while (!done) {
      dut.out_ready_i = !stall(rng);
      sim.tick();
    }
    dut.out_ready_i = 0;
    sb.finish();
    if (!labels.empty()) {
      rtl_correct += predicted_class(original_order(s.net, sb.outputs())) == labels[r];
      golden_correct += predicted_class(original_order(s.net, expected.back())) == labels[r];
    }
    rs.cycles = dut.cycles_o;
    checked += sb.checked();
    if (readback) {
      driver.expect(kTgtCtrl, 0, 1, rs.cycles, "run cycles (control register 1)");
      check_results(driver, s.net, expected.back(), n, built.act_depth);
    }
    board = nullptr;
    runs.push_back(rs);
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  // Per-PE counters, accumulated over all runs.
  std::vector<std::array<uint64_t, 3>> pe_stats(n);
  for (uint32_t k = 0; k < n; ++k) {
    for (uint32_t c = 0; c < 3; ++c) pe_stats[k][c] = driver.read(kTgtStats, k, c);
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
      driver.write(kTgtStats, k, 0, 0);
      for (uint32_t c = 0; c < 3; ++c) driver.expect(kTgtStats, k, c, 0, "cleared counter");
    }
  }
  sim.close_trace();

  uint64_t run_cycles = 0;
  for (const RunStats& rs : runs) run_cycles += rs.cycles;
  if (vm.count("expect-cycles")) {
    const uint64_t want = vm["expect-cycles"].as<uint64_t>();
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
      fmt::print("  layer {} ({}x{}): {} cycles per inference\n", l + 1, s.net.layers[l].outputs(),
                 s.net.layers[l].inputs(), c / runs.size());
    }
    uint64_t busy = 0, busiest = 0;
    for (const auto& p : pe_stats) {
      busy += p[0];
      busiest = std::max(busiest, p[0]);
    }
    fmt::print("  PE busy cycles: total {}, busiest {}, mean {:.1f}; broadcasts {}\n", busy,
               busiest, static_cast<double>(busy) / n, broadcasts);
  }
  if (!labels.empty()) {
    const double per = static_cast<double>(run_cycles) / inferences;
    fmt::print(
        "MNIST test digits 1..{}: RTL accuracy {:.2f}% ({} correct), golden model {:.2f}% "
        "({} correct); {:.0f} cycles per inference = {:.0f} inferences/s at 800 MHz\n",
        inferences, 100.0 * rtl_correct / inferences, rtl_correct,
        100.0 * golden_correct / inferences, golden_correct, per, 800e6 / per);
    if (rtl_correct != golden_correct) throw SimError("RTL and golden accuracy differ");
  }
  fmt::print(
      "PASS [{}]: {} inference(s), {} outputs checked, {} run cycles ({} per inference), "
      "{} cycles simulated at {:.0f} cycles/s\n",
      EIE_VARIANT, inferences, checked, run_cycles, run_cycles / inferences, sim.cycle(), speed);
  if (vm.count("coverage-file") && !sim.write_coverage(vm["coverage-file"].as<std::string>())) {
    throw eie::Error(fmt::format("--coverage-file: {} is not a coverage build", EIE_VARIANT));
  }

  if (vm.count("json")) {
    nlohmann::json j;
    j["variant"] = EIE_VARIANT;
    j["config"] = {{"num_pe", built.num_pe},           {"active_pe", n},
                   {"fifo_depth", built.fifo_depth},   {"fifo_limit", fifo_limit},
                   {"spmat_depth", built.spmat_depth}, {"ptr_depth", built.ptr_depth},
                   {"act_depth", built.act_depth},     {"bias_depth", built.bias_depth}};
    j["seed"] = seed;
    j["inferences"] = inferences;
    j["outputs_checked"] = checked;
    j["load_cycles"] = load_cycles;
    j["run_cycles"] = run_cycles;
    j["simulated_cycles"] = sim.cycle();
    j["wall_seconds"] = wall;
    j["backdoor_seconds"] = backdoor_seconds;
    j["cycles_per_second"] = speed;
    if (!labels.empty()) {
      j["mnist"] = {
          {"digits", inferences},
          {"rtl_correct", rtl_correct},
          {"golden_correct", golden_correct},
          {"rtl_accuracy", static_cast<double>(rtl_correct) / inferences},
          {"cycles_per_inference", static_cast<double>(run_cycles) / inferences},
          {"inferences_per_second_800mhz", 800e6 * inferences / static_cast<double>(run_cycles)}};
    }
    j["work_total_entries"] = work_total;  // per layer, all runs
    j["work_busiest_pe_entries"] = work_busiest;
    j["runs"] = nlohmann::json::array();
    for (const RunStats& rs : runs) {
      j["runs"].push_back({{"fifo_limit", rs.fifo_limit},
                           {"cycles", rs.cycles},
                           {"layer_cycles", rs.layer_cycles},
                           {"output_cycles", rs.output_cycles},
                           {"work_total_entries", rs.work_total},
                           {"work_busiest_pe_entries", rs.work_busiest}});
    }
    j["coverage"] = {{"fifo_full_cycles_per_pe", cov_fifo_full}, {"busy_cycles_per_pe", cov_busy}};
    j["pe"] = nlohmann::json::array();
    for (const auto& p : pe_stats) {
      j["pe"].push_back({{"busy", p[0]}, {"idle", p[1]}, {"fifo_full", p[2]}});
    }
    const std::string text = j.dump(2) + "\n";
    write_file_atomic(vm["json"].as<std::string>(), std::vector<uint8_t>(text.begin(), text.end()));
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
      "limit", po::value<uint32_t>()->default_value(2000), "test digits to run with --mnist")(
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
      "seed", po::value<uint64_t>()->default_value(1),
      "random seed (stimulus, idle, back-pressure)")(
      "inferences,n", po::value<uint32_t>()->default_value(1), "input vectors to run")(
      "pe", po::value<uint32_t>()->default_value(0), "active PEs at run time (0 = all built)")(
      "fifo", po::value<uint32_t>()->default_value(0), "activation FIFO limit (0 = FifoDepth)")(
      "idle", po::value<double>()->default_value(0.1), "probability of an idle host cycle")(
      "backpressure", po::value<double>()->default_value(0.3),
      "probability the host refuses a result in a cycle")("trace", po::value<std::string>(),
                                                          "write an FST waveform to this file")(
      "max-cycles", po::value<uint64_t>()->default_value(50000000), "fail after this many cycles")(
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
      "rand-reset", po::value<uint32_t>()->default_value(0),
      "start every register and memory from random values drawn from this seed (0: off)")(
      "json", po::value<std::string>(), "write a JSON report")(
      "expect-cycles", po::value<uint64_t>(), "fail unless the first run takes exactly N cycles")(
      "quiet,q", "print only the verdict line");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "eie_sim: " << e.what() << "\n" << opts;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "usage: eie_sim [options]\n\n" << opts;
    return 0;
  }
  try {
    return eie::tb::run(vm);
  } catch (const eie::tb::SimError& e) {
    fmt::print(stderr, "FAIL [{}]: {}\n", EIE_VARIANT, e.what());
    return 1;
  } catch (const eie::Error& e) {
    fmt::print(stderr, "eie_sim: error: {}\n", e.what());
    return 1;
  }
}
