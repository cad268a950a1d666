// eie deep-compress: the whole Deep Compression pipeline on MNIST-format data (IDX files):
// train, prune with retraining, share weights, fine-tune centroids, convert to fixed point,
// Huffman-code, write the model file, and report every stage.
#include <fmt/format.h>

#include <iostream>

#include "cli.h"
#include "eie/augment.h"
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
      "sizes", po::value<std::string>()->default_value("784,300,100,10"),
      "layer widths of a fully connected network")(
      "arch", po::value<std::string>(),
      "a named network instead of --sizes: lenet5 (Caffe's LeNet-5: conv 20 5x5, max pool 2, "
      "conv 50 5x5, max pool 2, 500, 10) or lstm (a digit as 28 steps of 28 pixels, an LSTM of "
      "--hidden units, then 10)")("hidden", po::value<int64_t>()->default_value(128),
                                  "with --arch lstm: hidden units, 1..1024")(
      "torchscript,t", po::value<std::string>(),
      "start from a PyTorch model saved with torch.jit.save (nn.Linear, nn.Conv2d, nn.MaxPool2d, "
      "with nn.ReLU after each weighted layer but the last) instead of a new network; --epochs 0 "
      "prunes it as it is")(
      "input-shape", po::value<std::string>(),
      "with --torchscript: a digit's channels,height,width (1,28,28), which a model that starts "
      "with nn.Conv2d needs")(
      "density,d", po::value<std::string>(),
      "kept fraction per weighted layer after pruning, e.g. 0.08,0.09,0.26 (the paper's); "
      "without it "
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
      "clusters,k", po::value<std::string>()->default_value("15"),
      "shared weights, 1..15: one count, or one per weighted layer (e.g. 15,15,7,7)")(
      "init", po::value<std::string>()->default_value("linear"), "linear, density or random")(
      "act-frac", po::value<int64_t>()->default_value(-1),
      "activation fractional bits, 0..15 (-1: calibrate on the training set)")(
      "dropout", po::value<double>()->default_value(0.0), "dropout on hidden layers")(
      "distill",
      po::value<double>()->default_value(d.retrain.distill, fmt::format("{}", d.retrain.distill)),
      "weight of the dense network's softened outputs in retraining and fine-tuning "
      "(knowledge distillation), 0..1; 0: the labels only")(
      "temperature",
      po::value<double>()->default_value(d.retrain.temperature,
                                         fmt::format("{}", d.retrain.temperature)),
      "distillation temperature, > 0")(
      "shift", po::value<int64_t>()->default_value(d.dense.shift),
      "shift augmentation in every training stage: each epoch shows every digit as it is or "
      "moved by up to this many pixels up, down, left or right, drawn at random, 0..4 (0: off)")(
      "no-huffman", "store fixed-width streams")("seed", po::value<int64_t>()->default_value(1),
                                                 "seed (initialisation, order, k-means)")(
      "force", "write the outputs even where one is an input file")("quiet", "no per-epoch lines");
  add_balance_options(opts);
  po::variables_map vm;
  if (!parse_args(args, "eie deep-compress -o MODEL.eie [--data-dir DIR] [options]", opts, {},
                  vm)) {
    return kExitOk;
  }
  PipelineOptions o;
  std::vector<PathArg> inputs;
  const std::string torchscript =
      vm.count("torchscript") ? vm["torchscript"].as<std::string>() : "";
  if (static_cast<int>(!vm["sizes"].defaulted()) + static_cast<int>(vm.count("arch")) +
          static_cast<int>(!torchscript.empty()) >
      1) {
    throw UsageError("give one of --sizes, --arch and --torchscript: each gives the network");
  }
  if (!vm["hidden"].defaulted() && (!vm.count("arch") || vm["arch"].as<std::string>() != "lstm")) {
    throw UsageError("--hidden applies to --arch lstm only");
  }
  if (vm.count("input-shape") && torchscript.empty()) {
    throw UsageError("--input-shape applies to --torchscript only");
  }
  if (!torchscript.empty()) {
    inputs.push_back({"--torchscript", torchscript});
  } else if (vm.count("arch")) {
    const std::string arch = vm["arch"].as<std::string>();
    if (arch == "lenet5") {
      o.shape = lenet5_shape();
    } else if (arch == "lstm") {
      o.shape = lstm_shape(int_option_as<uint32_t>(vm, "hidden", 1, 1024));
    } else {
      throw UsageError(fmt::format("--arch {}: the named networks are lenet5 and lstm", arch));
    }
  } else {
    o.sizes = training_sizes(vm["sizes"].as<std::string>());
  }
  size_t weighted_layers = o.sizes.size() - 1;
  if (!o.shape.empty()) {
    weighted_layers = 0;
    for (const FloatLayer& s : o.shape) weighted_layers += s.has_weights();
  }
  if (vm.count("density")) {
    o.density = parse_number_list(vm["density"].as<std::string>(), "--density");
  }
  o.search.budget = real_option(vm, "budget", 0, 100) / 100;
  o.search.folds = int_option_as<uint32_t>(vm, "folds", 2, 16);
  // One density per layer: the model's layer count is checked once it has been read.
  if (vm.count("density") && torchscript.empty() && o.density.size() != weighted_layers) {
    throw UsageError(
        fmt::format("--density: {} values for {} layers", o.density.size(), weighted_layers));
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
  o.clusters.clear();
  for (unsigned k :
       parse_size_list(vm["clusters"].as<std::string>(), "--clusters", kCodebookSize - 1)) {
    o.clusters.push_back(static_cast<int>(k));
  }
  if (torchscript.empty() && o.clusters.size() != 1 && o.clusters.size() != weighted_layers) {
    throw UsageError(fmt::format("--clusters: {} counts for {} layers (give one, or one per layer)",
                                 o.clusters.size(), weighted_layers));
  }
  o.init = kmeans_init_option(vm["init"].as<std::string>());
  o.act_frac = int_option_as<int>(vm, "act-frac", -1, kMaxFrac);
  o.dense.dropout = o.retrain.dropout =
      static_cast<float>(real_option(vm, "dropout", 0, 1, Bounds::kUpperOpen));
  o.retrain.distill = o.finetune.distill = static_cast<float>(real_option(vm, "distill", 0, 1));
  o.retrain.temperature = o.finetune.temperature =
      static_cast<float>(real_option(vm, "temperature", 0, 100, Bounds::kLowerOpen));
  o.huffman = vm.count("no-huffman") == 0;
  o.dense.shift = o.retrain.shift = o.finetune.shift =
      int_option_as<int>(vm, "shift", 0, kMaxShift);
  o.seed = int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX);
  const BalanceChoice balance = balance_choice(vm);

  const std::string out = vm["output"].as<std::string>();
  const std::string json = vm.count("json") ? vm["json"].as<std::string>() : "";
  for (const std::string& f : mnist_files(vm["data-dir"].as<std::string>())) {
    inputs.push_back({"--data-dir", f});
  }
  check_outputs({{"--output", out}, {vm.count("json") ? "--json" : "", json}}, inputs,
                vm.count("force") > 0);
  std::FILE* info = info_stream({out, json});
  if (!torchscript.empty()) {
    std::optional<TensorShape> input;
    if (vm.count("input-shape")) {
      const std::vector<unsigned> s =
          parse_size_list(vm["input-shape"].as<std::string>(), "--input-shape", 1u << 24);
      if (s.size() != 3) throw UsageError("--input-shape: give channels,height,width (1,28,28)");
      input = TensorShape{s[0], s[1], s[2]};
    }
    o.initial = read_torchscript(torchscript, input);
    size_t weighted = 0;
    for (const FloatLayer& l : o.initial) weighted += l.has_weights();
    require(o.density.empty() || o.density.size() == weighted,
            "--density: {} values for the {} weighted layers of {}", o.density.size(), weighted,
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
  if (balance.num_pe > 0) {
    r.model =
        make_model_file(balance_network(r.model.net, balance.num_pe, balance.options), o.huffman);
    const double acc = golden_accuracy(r.model.net, data.test);
    fmt::print(info, "rows balanced{} for {} PEs: fixed-point accuracy {:.2f}%\n",
               balance.options.order_inputs ? " and inputs ordered" : "", balance.num_pe,
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
