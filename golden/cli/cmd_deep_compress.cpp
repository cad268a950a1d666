// eie deep-compress: the whole Deep Compression pipeline on MNIST-format data (IDX files):
// train, prune with retraining, share weights, fine-tune centroids, convert to fixed point,
// Huffman-code, write the model file, and report every stage.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "eie/balance.h"
#include "eie/deep_compression.h"
#include "eie/error.h"
#include "eie/file_io.h"
#include "eie/fixed_point.h"
#include "eie/idx.h"
#include "eie/limits.h"
#include "eie/report.h"
#include "eie/torchscript.h"

namespace eie::cli {

int run_deep_compress(const std::vector<std::string>& args) {
  PipelineOptions d;
  po::options_description opts("options");
  opts.add_options()("data-dir", po::value<std::string>()->default_value("data/mnist"),
                     "folder with the four MNIST IDX files (scripts/fetch_mnist.sh makes it)")(
      "output,o", po::value<std::string>()->required(), "model file to write")(
      "json", po::value<std::string>(), "write the stage and compression report as JSON")(
      "sizes", po::value<std::string>()->default_value("784,300,100,10"), "layer widths")(
      "torchscript,t", po::value<std::string>(),
      "start from a PyTorch model saved with torch.jit.save (nn.Linear with nn.ReLU after each "
      "but the last) instead of a new network of --sizes; --epochs 0 prunes it as it is")(
      "density,d", po::value<std::string>(),
      "kept fraction per layer after pruning, e.g. 0.08,0.09,0.26 (the paper's); without it "
      "each layer's density is chosen by sensitivity, cross-validated on the training digits")(
      "budget", po::value<double>()->default_value(0.2, "0.2"),
      "without --density: accuracy points the compressed model may lose against the dense one "
      "on the held-out digits")(
      "folds", po::value<int64_t>()->default_value(d.search.folds),
      "without --density: cross-validation folds of the training digits (2..16); each trial "
      "trains once per fold")("epochs", po::value<int64_t>()->default_value(d.dense.epochs),
                              "dense training epochs")(
      "lr", po::value<double>()->default_value(d.dense.lr, fmt::format("{}", d.dense.lr)),
      "dense learning rate")("prune-steps", po::value<int64_t>()->default_value(d.prune_steps),
                             "pruning iterations")(
      "retrain-epochs", po::value<int64_t>()->default_value(d.retrain.epochs),
      "masked retraining epochs per pruning step")(
      "finetune-epochs", po::value<int64_t>()->default_value(d.finetune.epochs),
      "centroid fine-tuning epochs")(
      "finetune-lr",
      po::value<double>()->default_value(d.finetune.lr, fmt::format("{}", d.finetune.lr)),
      "centroid learning rate (a centroid's gradient sums its weights' gradients)")(
      "retrain-lr",
      po::value<double>()->default_value(d.retrain.lr, fmt::format("{}", d.retrain.lr)),
      "masked retraining learning rate")(
      "weight-decay",
      po::value<double>()->default_value(d.dense.weight_decay,
                                         fmt::format("{}", d.dense.weight_decay)),
      "L2 weight decay in dense training and retraining")(
      "clusters,k", po::value<int64_t>()->default_value(d.clusters),
      "shared weights per layer, 1..15")("init", po::value<std::string>()->default_value("linear"),
                                         "linear, density or random")(
      "act-frac", po::value<int64_t>()->default_value(-1),
      "activation fractional bits, 0..15 (-1: calibrate on the training set)")(
      "dropout", po::value<double>()->default_value(0.0), "dropout on hidden layers")(
      "no-huffman", "store fixed-width streams")("seed", po::value<int64_t>()->default_value(1),
                                                 "seed (initialisation, order, k-means)")(
      "balance-pe", po::value<int64_t>()->default_value(0),
      "permute each layer's rows to even out the work of this many PEs (0: off)")(
      "force", "write the outputs even where one is an input file")("quiet", "no per-epoch lines");
  po::variables_map vm;
  if (!parse_args(args, "eie deep-compress -o MODEL.eie [--data-dir DIR] [options]", opts, {},
                  vm)) {
    return kExitOk;
  }
  PipelineOptions o;
  std::vector<PathArg> inputs;
  const std::string torchscript =
      vm.count("torchscript") ? vm["torchscript"].as<std::string>() : "";
  if (!torchscript.empty()) {
    if (!vm["sizes"].defaulted()) {
      throw UsageError("give --sizes or --torchscript, not both: the model gives the widths");
    }
    inputs.push_back({"--torchscript", torchscript});
  } else {
    o.sizes = training_sizes(vm["sizes"].as<std::string>());
  }
  if (vm.count("density")) {
    o.density = parse_number_list(vm["density"].as<std::string>(), "--density");
  }
  o.search.budget = real_option(vm, "budget", 0, 100) / 100;
  o.search.folds = int_option_as<uint32_t>(vm, "folds", 2, 16);
  // One density per layer: the model's layer count is checked once it has been read.
  if (vm.count("density") && torchscript.empty() && o.density.size() != o.sizes.size() - 1) {
    throw UsageError(
        fmt::format("--density: {} values for {} layers", o.density.size(), o.sizes.size() - 1));
  }
  for (double v : o.density) {
    if (v <= 0 || v > 1) throw UsageError(fmt::format("--density {}: must lie in (0, 1]", v));
  }
  o.dense.epochs = int_option_as<int>(vm, "epochs", 0, kMaxEpochs);
  o.retrain.epochs = int_option_as<int>(vm, "retrain-epochs", 0, kMaxEpochs);
  o.finetune.epochs = int_option_as<int>(vm, "finetune-epochs", 0, kMaxEpochs);
  o.prune_steps = int_option_as<int>(vm, "prune-steps", 1, kMaxEpochs);
  o.dense.lr = static_cast<float>(real_option(vm, "lr", 0, kMaxLearningRate));
  o.retrain.lr = static_cast<float>(real_option(vm, "retrain-lr", 0, kMaxLearningRate));
  o.finetune.lr = static_cast<float>(real_option(vm, "finetune-lr", 0, kMaxLearningRate));
  o.dense.weight_decay = o.retrain.weight_decay =
      static_cast<float>(real_option(vm, "weight-decay", 0, 1));
  o.clusters = int_option_as<int>(vm, "clusters", 1, kCodebookSize - 1);
  o.init = kmeans_init_option(vm["init"].as<std::string>());
  o.act_frac = int_option_as<int>(vm, "act-frac", -1, kMaxFrac);
  o.dense.dropout = o.retrain.dropout = static_cast<float>(real_option(vm, "dropout", 0, 1, true));
  o.huffman = vm.count("no-huffman") == 0;
  o.seed = int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX);
  const auto balance_pe = int_option_as<unsigned>(vm, "balance-pe", 0, kMaxPe);

  const std::string out = vm["output"].as<std::string>();
  const std::string json = vm.count("json") ? vm["json"].as<std::string>() : "";
  for (const std::string& f : mnist_files(vm["data-dir"].as<std::string>())) {
    inputs.push_back({"--data-dir", f});
  }
  check_outputs({{"--output", out}, {vm.count("json") ? "--json" : "", json}}, inputs,
                vm.count("force") > 0);
  std::FILE* info = info_stream({out, json});
  if (!torchscript.empty()) {
    o.initial = read_torchscript(torchscript);
    for (const FloatLayer& l : o.initial) {
      require(l.kind == LayerKind::kFullyConnected,
              "{}: '{}' is a {} layer; deep-compress trains fully connected networks (compress a "
              "trained convolutional network with eie compress --torchscript)",
              torchscript, l.name, kind_name(l.kind));
    }
    require(o.density.empty() || o.density.size() == o.initial.size(),
            "--density: {} values for the {} layers of {}", o.density.size(), o.initial.size(),
            torchscript);
  }

  const std::string dir = vm["data-dir"].as<std::string>();
  const Mnist data = load_mnist(dir);
  fmt::print(info, "data: {} train / {} test images from {}\n", data.train.labels.size(),
             data.test.labels.size(), dir);
  const bool quiet = vm.count("quiet") > 0;
  PipelineResult r = deep_compress(data, o, [&](const std::string& line) {
    if (!quiet || line.rfind("  ", 0) != 0) fmt::print(info, "{}\n", line);
    std::fflush(info);
  });
  if (balance_pe > 0) {
    r.model = make_model_file(balance_network(r.model.net, balance_pe), o.huffman);
    const double acc = golden_accuracy(r.model.net, data.test);
    fmt::print(info, "rows balanced for {} PEs: fixed-point accuracy {:.2f}%\n", balance_pe,
               100 * acc);
    r.stages.back().fixed_accuracy = acc;
  }
  write_model(out, r.model);
  const CompressionReport report = make_report(r.model);
  fmt::print(info, "\n{}\n{}", describe_stages(r), format_report_text(report));
  const double fixed = r.stages.back().fixed_accuracy;
  fmt::print(info,
             "\nwrote {}: {} bytes, {:.1f}x smaller than float32; fixed-point accuracy {:.2f}% "
             "vs dense float {:.2f}% ({:+.2f} points)\n",
             out, report.file_bytes, report.ratio(), 100 * fixed, 100 * r.dense_float_accuracy,
             100 * (fixed - r.dense_float_accuracy));
  if (vm.count("json")) {
    const std::string text = "{\"pipeline\": " + stages_json(r) +
                             ", \"compression\": " + format_report_json(report) + "}\n";
    write_output(json, std::vector<uint8_t>(text.begin(), text.end()));
  }
  return kExitOk;
}

}  // namespace eie::cli
