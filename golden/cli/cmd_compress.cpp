// eie compress: the Deep Compression pipeline on weights handed over as .npy files or as a
// TorchScript model (pruning, weight sharing, fixed-point conversion, Huffman coding) into a model
// file. Retraining needs the training data and lives in the trainer; this command compresses what
// it is given. A TorchScript model is read in eie-train (eie/torchscript.h), which links libtorch.
#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "cli.h"
#include "eie/balance.h"
#include "eie/compress.h"
#include "eie/error.h"
#include "eie/fixed_point.h"
#include "eie/limits.h"
#include "eie/model_file.h"
#include "eie/npy.h"
#include "eie/report.h"

namespace eie::cli {

namespace {

struct LayerFiles {
  std::string weights;
  std::string bias;  // empty when the layer has none
};

LayerFiles parse_layer_spec(const std::string& spec) {
  const size_t colon = spec.find(':');
  LayerFiles f{spec.substr(0, colon), colon == std::string::npos ? "" : spec.substr(colon + 1)};
  if (f.weights.empty() || (colon != std::string::npos && f.bias.empty())) {
    throw UsageError(
        fmt::format("--layer '{}': expected WEIGHTS.npy or WEIGHTS.npy:BIAS.npy", spec));
  }
  return f;
}

FloatLayer load_layer(const LayerFiles& files, size_t index, bool transpose) {
  const std::string what = fmt::format("layer {} weights", index + 1);
  const NpyArray w = read_npy_dims(files.weights, 2, what);
  FloatLayer layer;
  const size_t d0 = w.shape[0];
  const size_t d1 = w.shape[1];
  require(d0 > 0 && d1 > 0 && d0 <= (1u << 24) && d1 <= (1u << 24),
          "{}: {} shape ({}, {}) must be non-empty and at most 16777216 per dimension",
          files.weights, what, d0, d1);
  layer.rows = static_cast<uint32_t>(transpose ? d1 : d0);
  layer.cols = static_cast<uint32_t>(transpose ? d0 : d1);
  layer.weights.resize(w.size());
  for (size_t r = 0; r < d0; ++r) {
    for (size_t c = 0; c < d1; ++c) {
      const double v = w.values[r * d1 + c];
      require(std::isfinite(v), "{}: {} ({}, {}) is {}", files.weights, what, r, c, v);
      const size_t at = transpose ? c * d0 + r : r * d1 + c;
      layer.weights[at] = static_cast<float>(v);
    }
  }
  if (!files.bias.empty()) {
    const std::string bwhat = fmt::format("layer {} bias", index + 1);
    const NpyArray b = read_npy_dims(files.bias, 1, bwhat);
    require(b.size() == layer.rows, "{}: {} has {} values but the layer has {} outputs", files.bias,
            bwhat, b.size(), layer.rows);
    for (size_t i = 0; i < b.size(); ++i) {
      require(std::isfinite(b.values[i]), "{}: {} [{}] is {}", files.bias, bwhat, i, b.values[i]);
      layer.bias.push_back(static_cast<float>(b.values[i]));
    }
  }
  return layer;
}

// One value for every layer, or one per layer.
std::vector<double> per_layer(const std::vector<double>& values, size_t layers,
                              const std::string& what) {
  if (values.size() == 1) return std::vector<double>(layers, values[0]);
  if (values.size() != layers) {
    throw UsageError(fmt::format("{}: {} values for {} layers (give one, or one per layer)", what,
                                 values.size(), layers));
  }
  return values;
}

}  // namespace

int run_compress(const std::vector<std::string>& args, TorchScriptReader torchscript) {
  po::options_description opts("options");
  opts.add_options()(
      "layer,l", po::value<std::vector<std::string>>(),
      "a layer as WEIGHTS.npy[:BIAS.npy], in network order; repeat per layer. Weights are "
      "float32/float64 (outputs, inputs) like PyTorch's Linear.weight")(
      "torchscript,t", po::value<std::string>(),
      "a PyTorch model saved with torch.jit.save instead of --layer: its nn.Linear, nn.Conv2d "
      "and nn.MaxPool2d layers in order, ReLU where an nn.ReLU follows (names: the module "
      "paths)")(
      "input-shape", po::value<std::string>(),
      "with --torchscript: one input sample's channels,height,width (e.g. 1,28,28), which a "
      "model that starts with nn.Conv2d needs")("output,o", po::value<std::string>()->required(),
                                                "model file to write")(
      "density,d", po::value<std::string>(),
      "fraction of weights to keep, one value or one per weighted layer (e.g. 0.08,0.09,0.26; "
      "pooling layers have none)")(
      "quality,q", po::value<std::string>(),
      "prune |w| <= quality x std(w), one value or one per weighted layer (instead of "
      "--density)")("clusters,k", po::value<std::string>()->default_value("15"),
                    "shared weights, 1..15: one count, or one per weighted layer")(
      "init", po::value<std::string>()->default_value("linear"),
      "k-means initialisation: linear, density or random")(
      "rel-bits", po::value<std::string>()->default_value("auto"),
      "relative index width in the file, 1..8, or auto (smallest file per layer)")(
      "no-huffman", "store fixed-width streams (the P+Q stage) instead of Huffman codes")(
      "act-frac", po::value<int64_t>()->default_value(kActFracDefault),
      "fractional bits of the int16 activations, 0..15")(
      "relu-last", "apply ReLU on the last layer too (by default it has none)")(
      "names", po::value<std::string>(), "layer names, comma separated (default layer1, ...)")(
      "transpose", "weights are stored (inputs, outputs), as Keras/TensorFlow Dense kernels")(
      "seed", po::value<int64_t>()->default_value(1), "seed for random k-means initialisation")(
      "force", "write the output even where it is one of the input files")(
      "quiet", "do not print the compression report");
  add_balance_options(opts);
  po::variables_map vm;
  if (!parse_args(args,
                  "eie compress (-l W1.npy[:B1.npy] [-l ...] | -t MODEL.pt) -o MODEL.eie [options]",
                  opts, {}, vm)) {
    return kExitOk;
  }
  const bool from_torch = vm.count("torchscript") > 0;
  if (from_torch == (vm.count("layer") > 0)) {
    throw UsageError("give the layers as --layer (one per layer) or a model as --torchscript");
  }
  if (!from_torch && vm.count("input-shape")) {
    throw UsageError(
        "--input-shape applies to --torchscript only: .npy layers are fully connected");
  }
  for (const char* o : {"transpose", "relu-last"}) {
    if (from_torch && vm.count(o)) {
      throw UsageError(
          fmt::format("--{} does not apply to --torchscript: the model gives the "
                      "weights' layout and where its ReLUs are",
                      o));
    }
  }
  std::vector<LayerFiles> files;
  std::vector<PathArg> inputs;
  if (from_torch) {
    inputs.push_back({"--torchscript", vm["torchscript"].as<std::string>()});
  } else {
    for (const std::string& spec : vm["layer"].as<std::vector<std::string>>()) {
      files.push_back(parse_layer_spec(spec));
      inputs.push_back({"--layer", files.back().weights});
      if (!files.back().bias.empty()) inputs.push_back({"--layer", files.back().bias});
    }
  }
  const std::string out = vm["output"].as<std::string>();
  check_outputs({{"--output", out}}, inputs, vm.count("force") > 0);
  std::vector<FloatLayer> torch_layers;
  if (from_torch) {
    require(torchscript != nullptr,
            "--torchscript: this binary has no libtorch; eie runs "
            "compress --torchscript in eie-train");
    std::optional<TensorShape> input;
    if (vm.count("input-shape")) {
      const std::vector<unsigned> s =
          parse_size_list(vm["input-shape"].as<std::string>(), "--input-shape", kMaxDimension);
      if (s.size() != 3) {
        throw UsageError("--input-shape: give channels,height,width (e.g. 1,28,28)");
      }
      input = TensorShape{s[0], s[1], s[2]};
      if (input->size() > kMaxDimension) {
        throw UsageError(
            fmt::format("--input-shape: {} values, more than {}", input->size(), kMaxDimension));
      }
    }
    torch_layers = torchscript(vm["torchscript"].as<std::string>(), input);
  }
  const size_t n = from_torch ? torch_layers.size() : files.size();
  // Per-layer options count the weighted layers: pooling has nothing to prune or share.
  size_t weighted = 0;
  std::vector<size_t> weighted_index(n, 0);
  for (size_t l = 0; l < n; ++l) {
    weighted_index[l] = weighted;
    if (!from_torch || torch_layers[l].has_weights()) ++weighted;
  }
  // What the messages name for layer l: its file, or the model and the module path.
  const auto source = [&](size_t l) {
    return from_torch ? fmt::format("{} '{}'", inputs[0].path, torch_layers[l].name)
                      : files[l].weights;
  };
  if (vm.count("density") && vm.count("quality")) {
    throw UsageError("give --density or --quality, not both");
  }
  std::vector<double> density(weighted, 1.0);
  std::vector<double> quality;
  if (vm.count("density")) {
    density = per_layer(parse_number_list(vm["density"].as<std::string>(), "--density"), weighted,
                        "--density");
    for (double d : density) {
      if (d < 0 || d > 1) throw UsageError(fmt::format("--density {}: must lie in [0, 1]", d));
    }
  }
  if (vm.count("quality")) {
    quality = per_layer(parse_number_list(vm["quality"].as<std::string>(), "--quality"), weighted,
                        "--quality");
    for (double q : quality) {
      if (q < 0) throw UsageError(fmt::format("--quality {}: must be at least 0", q));
    }
  }
  std::vector<double> clusters;
  for (unsigned k :
       parse_size_list(vm["clusters"].as<std::string>(), "--clusters", kCodebookSize - 1)) {
    clusters.push_back(k);
  }
  clusters = per_layer(clusters, weighted, "--clusters");
  const KmeansInit init = kmeans_init_option(vm["init"].as<std::string>());
  const std::string rel = vm["rel-bits"].as<std::string>();
  int rel_bits = 0;
  if (rel != "auto") {
    const std::vector<unsigned> bits = parse_size_list(rel, "--rel-bits", 8);
    if (bits.size() != 1) throw UsageError("--rel-bits: one width for every layer, or auto");
    rel_bits = static_cast<int>(bits[0]);
  }
  const int act_frac = int_option_as<int>(vm, "act-frac", 0, kMaxFrac);
  std::vector<std::string> names;
  if (vm.count("names")) {
    names = split_list(vm["names"].as<std::string>(), "--names");
    if (names.size() != n) {
      throw UsageError(fmt::format("--names: {} names for {} layers", names.size(), n));
    }
  }
  const bool huffman = vm.count("no-huffman") == 0;
  const auto seed = int_option_as<uint64_t>(vm, "seed", 0, INT64_MAX);
  const BalanceChoice balance = balance_choice(vm);

  Network net;
  net.act_frac = act_frac;
  for (size_t l = 0; l < n; ++l) {
    FloatLayer layer =
        from_torch ? torch_layers[l] : load_layer(files[l], l, vm.count("transpose") > 0);
    if (!names.empty()) {
      layer.name = names[l];
    } else if (!from_torch) {
      layer.name = fmt::format("layer{}", l + 1);
    }
    if (!from_torch) layer.relu = l + 1 < n || vm.count("relu-last") > 0;
    if (!layer.has_weights()) {
      net.layers.push_back(to_fixed_layer(layer, {}, act_frac));
      continue;
    }
    const size_t w = weighted_index[l];
    if (l > 0 && !from_torch) {
      require(layer.cols == net.layers[l - 1].outputs(),
              "{}: layer {} takes {} inputs but layer {} ({}) has {} outputs", source(l), l + 1,
              layer.cols, l, source(l - 1), net.layers[l - 1].outputs());
    }
    Mask mask = quality.empty() ? prune_by_density(layer.weights, density[w])
                                : prune_by_quality(layer.weights, quality[w]);
    // A weight that is exactly zero carries nothing: it is never stored.
    for (size_t i = 0; i < mask.size(); ++i) mask[i] = mask[i] && layer.weights[i] != 0.0f;
    const SharedWeights shared =
        share_weights(layer, mask, static_cast<int>(clusters[w]), init, seed + l);
    try {
      net.layers.push_back(to_fixed_layer(layer, shared, act_frac));
    } catch (const Error& e) {
      fail("{}: {}", source(l), e.what());
    }
  }
  if (balance.num_pe > 0) net = balance_network(net, balance.num_pe, balance.options);
  ModelFile model = make_model_file(std::move(net), huffman);
  if (rel_bits != 0) {
    for (LayerCoding& c : model.coding) c.rel_bits = rel_bits;
  }
  write_model(out, model);
  if (!vm.count("quiet")) {
    const CompressionReport report = make_report(model);
    fmt::print(info_stream({out}), "{}\nwrote {} ({} bytes, {} layers)\n",
               format_report_text(report), out, report.file_bytes, model.net.layers.size());
  }
  return kExitOk;
}

}  // namespace eie::cli
