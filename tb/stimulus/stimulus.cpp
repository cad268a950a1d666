#include "stimulus/stimulus.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "cli/options.h"
#include "eie/benchmark_layers.h"
#include "eie/classify.h"
#include "eie/error.h"
#include "eie/idx.h"
#include "eie/inference.h"
#include "eie/limits.h"
#include "eie/model_file.h"
#include "eie/npy.h"

namespace eie::tb {

namespace {

// Stimulus held in memory (every input vector of the run, 16 bits a value): 256 MiB.
constexpr uint64_t kMaxStimulusBytes = uint64_t{1} << 28;

// The layer shapes a generated scenario asks for (--sizes), checked against the build before
// anything is drawn: a 100000-wide layer would otherwise be generated in full (gigabytes) before
// the loader refuses it. Weights are checked by their expected count against the sparse-matrix
// memory. Options the build cannot take are usage errors, as --pe and --fifo past it are.
void check_scenario_fits(const std::vector<uint32_t>& sizes, double weight_density,
                         const HwConfig& config) {
  Network shape;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    const uint32_t n = config.pes();
    for (const uint32_t width : {sizes[l], sizes[l + 1]}) {
      if ((width + n - 1) / n > config.act_depth) {
        throw cli::UsageError(fmt::format(
            "--sizes: layer {} ({}x{}): {} values need {} activation registers per PE on {} PEs; "
            "the hardware has {} (ActDepth)",
            l + 1, sizes[l + 1], sizes[l], width, (width + n - 1) / n, n, config.act_depth));
      }
    }
    const double words = static_cast<double>(sizes[l]) * sizes[l + 1] * weight_density / n / 8;
    if (words > 2.0 * config.spmat_depth) {
      throw cli::UsageError(fmt::format(
          "--sizes: layer {} ({}x{}) at --weight-density {} needs about {:.0f} sparse-matrix "
          "words per PE; the hardware has {} (SpmatDepth)",
          l + 1, sizes[l + 1], sizes[l], weight_density, words, config.spmat_depth));
    }
    Layer layer;
    layer.weights.rows = sizes[l + 1];
    layer.weights.cols = sizes[l];
    layer.weights.col_ptr.assign(size_t{sizes[l]} + 1, 0);
    shape.layers.push_back(layer);
  }
  try {
    build_memory_image(shape, config);  // layer table, pointers and biases of the empty shape
  } catch (const Error& e) {
    throw cli::UsageError(std::string("--sizes: ") + e.what());
  }
}
// Every stored input vector must fit kMaxStimulusBytes.
void check_stimulus(uint64_t inferences, uint64_t width) {
  if (inferences * width * 2 > kMaxStimulusBytes) {
    throw cli::UsageError(fmt::format(
        "--inferences {}: {} input vectors of {} values need {} MiB of stimulus; the limit is {} "
        "MiB (split the run over several --seed values)",
        inferences, inferences, width, inferences * width * 2 >> 20, kMaxStimulusBytes >> 20));
  }
}

// The test digits --first and --limit select, quantized for the model in `out`.
void add_mnist_digits(const std::string& dir, const StimulusRequest& request, Stimulus& out) {
  const Mnist data = load_mnist(dir);
  require(data.test.images.size() == out.scenario.net.inputs(),
          "MNIST images have {} pixels, the model takes {} inputs", data.test.images.size(),
          out.scenario.net.inputs());
  const size_t first = request.first_digit;
  require(first < data.test.labels.size(), "--first {}: the test split has {} digits", first,
          data.test.labels.size());
  const size_t end =
      std::min<size_t>(first + size_t{request.limit_digits}, data.test.labels.size());
  for (size_t i = first; i < end; ++i) {
    out.scenario.inputs.push_back(quantize_pixels(data.test.images, i, out.scenario.net.act_frac));
    out.labels.push_back(data.test.labels[i]);
  }
}

}  // namespace

Stimulus load_stimulus(const boost::program_options::variables_map& vm,
                       const StimulusRequest& request, const HwConfig& config,
                       std::mt19937_64& rng) {
  const std::string& scenario = request.scenario;
  const std::vector<uint32_t>& sizes = request.sizes;
  const double weight_density = request.weight_density;
  const double act_density = request.act_density;
  const uint32_t inferences = request.inferences;
  Stimulus out;
  if (vm.count("model")) {
    cli::set_stage("reading the model");
    out.scenario.net = read_model(vm["model"].as<std::string>()).net;
    check_shape_budget(out.scenario.net, config.pes(), vm["model"].as<std::string>());
    if (!vm.count("mnist")) check_stimulus(inferences, out.scenario.net.inputs());
    if (vm.count("mnist")) {
      add_mnist_digits(vm["mnist"].as<std::string>(), request, out);
    } else if (vm.count("input")) {
      const std::string path = vm["input"].as<std::string>();
      const NpyArray x = read_npy(path, NpyKind::kFloatOrInt16);
      require(x.shape.size() == 1 || x.shape.size() == 2,
              "{}: expected (inputs,) or (batch, inputs)", path);
      require(x.shape.back() == out.scenario.net.inputs(),
              "{}: {} values per input, the model takes {}", path, x.shape.back(),
              out.scenario.net.inputs());
      const size_t batch = x.shape.size() == 2 ? x.shape[0] : 1;
      for (size_t b = 0; b < batch && out.scenario.inputs.size() < inferences; ++b) {
        std::vector<double> row(
            x.values.begin() + static_cast<long>(b * out.scenario.net.inputs()),
            x.values.begin() + static_cast<long>((b + 1) * out.scenario.net.inputs()));
        if (x.dtype == "<i2") {
          std::vector<int16_t> raw(row.begin(), row.end());
          out.scenario.inputs.push_back(raw);
        } else {
          try {
            out.scenario.inputs.push_back(quantize_activations(row, out.scenario.net.act_frac));
          } catch (const Error& e) {
            fail("{}: input {} of the batch: {}", path, b, e.what());
          }
        }
      }
    }
    while (out.scenario.inputs.size() < inferences) {
      out.scenario.inputs.push_back(
          random_activations(out.scenario.net.inputs(), act_density, false, rng));
    }
  } else {
    cli::set_stage("generating the scenario");
    ScenarioOptions o;
    o.name = scenario;
    o.sizes = sizes;
    if (!sizes.empty()) {
      check_scenario_fits(sizes, weight_density, config);
      check_stimulus(inferences, sizes.front());
    }
    if (o.name == "benchmark" && vm.count("layer")) {
      check_stimulus(inferences, find_benchmark_layer(vm["layer"].as<std::string>()).inputs);
    }
    o.weight_density = weight_density;
    o.act_density = act_density;
    o.wide = vm.count("wide") > 0;
    o.relu_last = vm.count("relu-last") > 0;
    o.num_pe = config.pes();
    if (vm.count("layer")) o.layer = vm["layer"].as<std::string>();
    o.skewed = vm.count("skewed") > 0;
    out.scenario = make_scenario(o, inferences, rng);
  }

  return out;
}

}  // namespace eie::tb
