#include "sim_options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "checks/activity.h"
#include "cli/options.h"
#include "eie/benchmark_layers.h"
#include "eie/error.h"
#include "eie/idx.h"
#include "sim/sim_ctrl.h"

namespace po = boost::program_options;

namespace eie::tb {
namespace {

constexpr int64_t kMaxInferences = 1000000;
const std::vector<std::string> kScenarios = {"random",  "empty-cols", "imbalance", "paper",
                                             "padding", "rounding",   "sat-order", "benchmark"};

std::string optional_path(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : "";
}

// The scenario, its benchmark layer and its layer widths, checked against each other.
void parse_scenario(const po::variables_map& vm, SimOptions& o) {
  const std::string scenario = vm["scenario"].as<std::string>();
  if (std::find(kScenarios.begin(), kScenarios.end(), scenario) == kScenarios.end()) {
    throw cli::UsageError(
        fmt::format("--scenario '{}': not one of {}", scenario, fmt::join(kScenarios, ", ")));
  }
  o.stimulus.scenario = scenario;
  if (vm.count("layer")) {
    try {
      find_benchmark_layer(vm["layer"].as<std::string>());
    } catch (const Error& e) {
      throw cli::UsageError(std::string("--layer: ") + e.what());
    }
  }
  if (vm.count("sizes")) {
    for (unsigned w : cli::parse_size_list(vm["sizes"].as<std::string>(), "--sizes")) {
      o.stimulus.sizes.push_back(w);
    }
  }
  if (vm.count("model")) return;
  const bool chain = scenario == "random" || scenario == "empty-cols" || scenario == "imbalance";
  if (chain && o.stimulus.sizes.size() < 2) {
    throw cli::UsageError(fmt::format(
        "--scenario {} needs --sizes with at least two widths (input first)", scenario));
  }
  if (scenario == "benchmark") {
    if (!vm.count("layer")) {
      throw cli::UsageError("--scenario benchmark needs --layer (Alex-6/7/8, VGG-6/7/8, NT-...)");
    }
    o.benchmark_layer = vm["layer"].as<std::string>();
  }
}

// "layer2.ccu.fetch_forwards" -> layer 2, the CCU's counter fetch_forwards.
ActivityExpectation parse_activity_expectation(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return cli::UsageError(fmt::format("--expect-activity {}: {}", text, why));
  };
  const std::vector<std::string> parts = cli::split_list(text, "--expect-activity", '.');
  if (parts.size() != 3) throw bad("must be WINDOW.UNIT.EVENT (layer2.ccu.fetch_forwards)");
  ActivityExpectation e;
  e.text = text;
  const std::string& window = parts[0];
  if (window != "output") {
    const std::string digits = window.substr(std::min<size_t>(window.size(), 5));
    if (window.rfind("layer", 0) != 0 || digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoul(digits) == 0) {
      throw bad("the window must be layer1, layer2, ... or output");
    }
    e.layer = static_cast<uint32_t>(std::stoul(digits));
  }
  if (parts[1] != "pe" && parts[1] != "ccu" && parts[1] != "hold") {
    throw bad("the unit must be pe, ccu or hold");
  }
  if (parts[1] == "hold" && EIE_HOLD_SLOTS == 0) {
    throw bad(fmt::format("{} has no hold slots", EIE_VARIANT));
  }
  using Unit = ActivityExpectation::Unit;
  e.unit = parts[1] == "ccu" ? Unit::kCcu : parts[1] == "hold" ? Unit::kHold : Unit::kPe;
  const auto find = [&](const auto& names) {
    const auto it = std::find(names.begin(), names.end(), parts[2]);
    if (it == names.end()) {
      throw bad(fmt::format("not a {} counter ({})", parts[1], fmt::join(names, ", ")));
    }
    return static_cast<size_t>(it - names.begin());
  };
  e.event = e.unit == Unit::kCcu    ? find(kCcuEvents)
            : e.unit == Unit::kHold ? find(kHoldEvents)
                                    : find(kPeEvents);
  return e;
}

// Inputs and outputs by name; an output must not overwrite an input unless --force.
void check_paths(const po::variables_map& vm) {
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
}

}  // namespace

HwConfig built_config() {
  HwConfig c;
  c.num_pe = EIE_NUM_PE;
  c.fifo_depth = EIE_FIFO_DEPTH;
  c.hold_slots = EIE_HOLD_SLOTS;
  c.spmat_depth = EIE_SPMAT_DEPTH;
  c.ptr_depth = EIE_PTR_DEPTH;
  c.act_depth = EIE_ACT_DEPTH;
  c.bias_depth = EIE_BIAS_DEPTH;
  c.max_layers = EIE_MAX_LAYERS;
  return c;
}

SimOptions parse_sim_options(const po::variables_map& vm) {
  using cli::int_option_as;
  using cli::real_option;
  SimOptions o;
  o.config = built_config();
  o.config.active_pe = int_option_as<uint32_t>(vm, "pe", 0, o.config.num_pe);
  o.fifo_limit = int_option_as<uint32_t>(vm, "fifo", 0, o.config.fifo_depth);
  o.hold_limit = vm["hold"].defaulted()
                     ? o.config.hold_slots
                     : int_option_as<uint32_t>(vm, "hold", 0, o.config.hold_slots);
  o.seed = int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX);
  o.stimulus.inferences = int_option_as<uint32_t>(vm, "inferences", 1, kMaxInferences);
  o.stimulus.limit_digits = int_option_as<uint32_t>(vm, "limit", 1, kMaxInferences);
  o.stimulus.first_digit = int_option_as<uint32_t>(vm, "first", 0, kMaxInferences);
  o.stimulus.weight_density = real_option(vm, "weight-density", 0, 1);
  o.stimulus.act_density = real_option(vm, "act-density", 0, 1);
  // A probability of 1 would idle the host or refuse every result forever.
  o.idle = real_option(vm, "idle", 0, 1, cli::Bounds::kUpperOpen);
  o.backpressure = real_option(vm, "backpressure", 0, 1, cli::Bounds::kUpperOpen);
  o.max_cycles = int_option_as<uint64_t>(vm, "max-cycles", 1, INT64_MAX);
  o.rand_reset = int_option_as<uint32_t>(vm, "rand-reset", 0, UINT32_MAX);
  if (vm.count("expect-cycles")) {
    o.expect_cycles = int_option_as<uint64_t>(vm, "expect-cycles", 0, INT64_MAX);
  }
  if (vm.count("expect-activity")) {
    if (!ActivityProbe::available()) {
      throw cli::UsageError(
          fmt::format("--expect-activity: {} has no activity counters", EIE_VARIANT));
    }
    for (const std::string& text : vm["expect-activity"].as<std::vector<std::string>>()) {
      o.expect_activity.push_back(parse_activity_expectation(text));
    }
  }
  parse_scenario(vm, o);
  if (vm.count("coverage-file") && !SimCtrl::coverage_build()) {
    throw cli::UsageError(
        fmt::format("--coverage-file: {} is not a coverage build (eie_sim_cov is)", EIE_VARIANT));
  }
  if (vm.count("fifo-sweep")) {
    for (unsigned v : cli::parse_size_list(vm["fifo-sweep"].as<std::string>(), "--fifo-sweep",
                                           o.config.fifo_depth)) {
      o.fifo_sweep.push_back(v);
    }
    o.stimulus.inferences = 1;
  }
  if (vm.count("mnist")) o.stimulus.inferences = o.stimulus.limit_digits;
  if (!vm["first"].defaulted() && !vm.count("mnist")) {
    throw cli::UsageError("--first applies to --mnist digits only");
  }
  check_paths(vm);
  o.balance = vm.count("balance") > 0;
  o.order_inputs = vm.count("order-inputs") > 0;
  if (o.order_inputs && !o.balance) throw cli::UsageError("--order-inputs needs --balance");
  o.backdoor = vm.count("backdoor") > 0;
  o.readback = vm.count("readback") > 0;
  o.dirty_codebook0 = vm.count("dirty-codebook0") > 0;
  o.quiet = vm.count("quiet") > 0;
  o.trace_path = optional_path(vm, "trace");
  o.json_path = optional_path(vm, "json");
  o.coverage_path = optional_path(vm, "coverage-file");
  return o;
}

po::options_description sim_option_descriptions() {
  po::options_description opts("eie_sim options");
  opts.add_options()("help,h", "show this help")(
      "model,m", po::value<std::string>(), "model file to run (default: a generated scenario)")(
      "input,i", po::value<std::string>(),
      "inputs for --model as .npy, (inputs,) or (batch, inputs)")(
      "mnist", po::value<std::string>(),
      "inputs for --model: the test split of this MNIST IDX folder, with accuracy")(
      "limit", po::value<int64_t>()->default_value(2000), "test digits to run with --mnist")(
      "first", po::value<int64_t>()->default_value(0),
      "with --mnist: the first test digit to run (0-based), to split a long run into shards")(
      "fifo-sweep", po::value<std::string>(),
      "run the first input once per FIFO limit in this list, e.g. 1,2,4,8")(
      "scenario", po::value<std::string>()->default_value("random"),
      "generated stimulus: random, empty-cols, imbalance, paper, padding, rounding, sat-order, "
      "benchmark")("layer", po::value<std::string>(),
                   "benchmark layer: Alex-6/7/8, VGG-6/7/8, NT-We/Wd/LSTM")(
      "skewed", "benchmark: log-normal row densities instead of uniform")(
      "balance", "permute rows to even out the PEs' work before loading (row balancing)")(
      "order-inputs",
      "with --balance, also order the first layer's inputs to spread each PE's work along the "
      "broadcasts (input ordering; the inputs are sent in that order)")(
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
      "hold", po::value<int64_t>()->default_value(-1),
      "broadcast hold slots in use, 0..HoldSlots (default: all)")(
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
      "expect-activity", po::value<std::vector<std::string>>(),
      "fail unless this activity counter counts something over the simulation: "
      "WINDOW.UNIT.EVENT, WINDOW layer1, layer2, ... or output, UNIT pe, ccu or hold, EVENT a name "
      "of "
      "the JSON report's activity (repeatable; e.g. layer2.ccu.fetch_forwards)")(
      "quiet,q", "print only the verdict line");
  return opts;
}

}  // namespace eie::tb
