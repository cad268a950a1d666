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
#include "eie/report.h"

namespace eie::cli {

int run_deep_compress(const std::vector<std::string>& args) {
  PipelineOptions d;
  po::options_description opts("options");
  opts.add_options()("data-dir", po::value<std::string>()->default_value("data/mnist"),
                     "folder with the four MNIST IDX files (scripts/fetch_mnist.sh makes it)")(
      "output,o", po::value<std::string>()->required(), "model file to write")(
      "json", po::value<std::string>(), "write the stage and compression report as JSON")(
      "sizes", po::value<std::string>()->default_value("784,300,100,10"), "layer widths")(
      "density,d", po::value<std::string>()->default_value("0.08,0.09,0.26"),
      "kept fraction per layer after pruning")(
      "epochs", po::value<int>()->default_value(d.dense.epochs), "dense training epochs")(
      "lr", po::value<float>()->default_value(d.dense.lr), "dense learning rate")(
      "prune-steps", po::value<int>()->default_value(d.prune_steps), "pruning iterations")(
      "retrain-epochs", po::value<int>()->default_value(d.retrain.epochs),
      "masked retraining epochs per pruning step")(
      "finetune-epochs", po::value<int>()->default_value(d.finetune.epochs),
      "centroid fine-tuning epochs")(
      "finetune-lr", po::value<float>()->default_value(d.finetune.lr),
      "centroid learning rate (a centroid's gradient sums its weights' gradients)")(
      "retrain-lr", po::value<float>()->default_value(d.retrain.lr),
      "masked retraining learning rate")("weight-decay",
                                         po::value<float>()->default_value(d.dense.weight_decay),
                                         "L2 weight decay in dense training and retraining")(
      "clusters,k", po::value<int>()->default_value(d.clusters), "shared weights per layer, 1..15")(
      "init", po::value<std::string>()->default_value("linear"), "linear, density or random")(
      "act-frac", po::value<int>()->default_value(-1),
      "activation fractional bits, 0..15 (-1: calibrate on the training set)")(
      "dropout", po::value<float>()->default_value(0.0f), "dropout on hidden layers")(
      "no-huffman", "store fixed-width streams")("seed", po::value<uint64_t>()->default_value(1),
                                                 "seed (initialisation, order, k-means)")(
      "balance-pe", po::value<unsigned>()->default_value(0),
      "permute each layer's rows to even out the work of this many PEs (0: off)")(
      "quiet", "no per-epoch lines");
  po::variables_map vm;
  if (!parse_args(args, "eie deep-compress -o MODEL.eie [--data-dir DIR] [options]", opts, {},
                  vm)) {
    return kExitOk;
  }
  PipelineOptions o;
  o.sizes.clear();
  for (unsigned s : parse_size_list(vm["sizes"].as<std::string>(), "--sizes")) {
    o.sizes.push_back(static_cast<int>(s));
  }
  o.density = parse_number_list(vm["density"].as<std::string>(), "--density");
  if (o.density.size() != o.sizes.size() - 1) {
    throw UsageError(
        fmt::format("--density: {} values for {} layers", o.density.size(), o.sizes.size() - 1));
  }
  o.dense.epochs = vm["epochs"].as<int>();
  o.dense.lr = vm["lr"].as<float>();
  o.retrain.lr = vm["retrain-lr"].as<float>();
  o.finetune.lr = vm["finetune-lr"].as<float>();
  o.dense.weight_decay = o.retrain.weight_decay = vm["weight-decay"].as<float>();
  o.prune_steps = vm["prune-steps"].as<int>();
  o.retrain.epochs = vm["retrain-epochs"].as<int>();
  o.finetune.epochs = vm["finetune-epochs"].as<int>();
  o.clusters = vm["clusters"].as<int>();
  if (o.clusters < 1 || o.clusters > 15) throw UsageError("--clusters must lie in 1..15");
  o.init = parse_kmeans_init(vm["init"].as<std::string>());
  o.act_frac = vm["act-frac"].as<int>();
  if (o.act_frac < -1 || o.act_frac > 15) throw UsageError("--act-frac must lie in -1..15");
  o.dense.dropout = o.retrain.dropout = vm["dropout"].as<float>();
  o.huffman = vm.count("no-huffman") == 0;
  o.seed = vm["seed"].as<uint64_t>();
  if (o.dense.epochs < 0 || o.retrain.epochs < 0 || o.finetune.epochs < 0 || o.prune_steps < 1) {
    throw UsageError("epoch counts must be >= 0 and --prune-steps >= 1");
  }

  const std::string dir = vm["data-dir"].as<std::string>();
  const Mnist data = load_mnist(dir);
  fmt::print("data: {} train / {} test images from {}\n", data.train.labels.size(),
             data.test.labels.size(), dir);
  const bool quiet = vm.count("quiet") > 0;
  PipelineResult r = deep_compress(data, o, [&](const std::string& line) {
    if (!quiet || line.rfind("  ", 0) != 0) fmt::print("{}\n", line);
    std::fflush(stdout);
  });
  if (const unsigned n = vm["balance-pe"].as<unsigned>(); n > 0) {
    r.model = make_model_file(balance_network(r.model.net, n), o.huffman);
    const double acc = golden_accuracy(r.model.net, data.test);
    fmt::print("rows balanced for {} PEs: fixed-point accuracy {:.2f}%\n", n, 100 * acc);
    r.stages.back().fixed_accuracy = acc;
  }
  const std::string out = vm["output"].as<std::string>();
  write_model(out, r.model);
  const CompressionReport report = make_report(r.model);
  fmt::print("\n{}\n{}", describe_stages(r), format_report_text(report));
  const double fixed = r.stages.back().fixed_accuracy;
  fmt::print(
      "\nwrote {}: {} bytes, {:.1f}x smaller than float32; fixed-point accuracy {:.2f}% "
      "vs dense float {:.2f}% ({:+.2f} points)\n",
      out, report.file_bytes, report.ratio(), 100 * fixed, 100 * r.dense_float_accuracy,
      100 * (fixed - r.dense_float_accuracy));
  if (vm.count("json")) {
    const std::string text = "{\"pipeline\": " + stages_json(r) +
                             ", \"compression\": " + format_report_json(report) + "}\n";
    write_file_atomic(vm["json"].as<std::string>(), std::vector<uint8_t>(text.begin(), text.end()));
  }
  return kExitOk;
}

}  // namespace eie::cli
