#include "eie/deep_compression.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "eie/classify.h"
#include "eie/compress.h"
#include "eie/error.h"
#include "eie/fixed_point.h"
#include "eie/inference.h"
#include "eie/limits.h"
#include "eie/pruning.h"

namespace eie {

// Tuned on the 8,000 / 2,000 MNIST split (docs/deep_compression.md records the search).
PipelineOptions::PipelineOptions() {
  dense.epochs = 100;
  dense.lr = 0.05f;
  dense.weight_decay = 5e-4f;
  prune_steps = 7;  // with distillation, 0.16 points less loss than 5 at 50x (validation)
  retrain.epochs = 30;
  retrain.lr = 0.01f;  // 1/5 of the training rate: 1/10 [P15] recovered less on this split
  retrain.weight_decay = 5e-4f;
  finetune.epochs = 30;
  finetune.lr = 1e-4f;  // a centroid's gradient sums thousands of weights' gradients
  finetune.weight_decay = 0.0f;
  // The dense network teaches the pruned one: on held-out folds this keeps 0.1 to 0.4 points
  // at every density tried (docs/deep_compression.md, "Distillation").
  retrain.distill = finetune.distill = 0.9f;
  // Five times the epochs of before (20 / 6 / 6) take the loss at 50x on held-out folds from
  // 0.14 points to 0.03; showing each digit as it is or moved by a pixel (drawn per epoch) adds
  // 1.4 points to the dense and the compressed network alike (docs/deep_compression.md, "Longer
  // training and shifted digits").
  dense.shift = retrain.shift = finetune.shift = 1;
}

std::vector<FloatLayer> lenet5_shape() {
  const auto conv = [](const char* name, TensorShape in, uint32_t out) {
    FloatLayer f;
    f.kind = LayerKind::kConv2d;
    f.name = name;
    f.in_shape = in;
    f.window = {5, 5, 1, 1, 0, 0};
    f.rows = out;
    f.cols = in.channels * 25;
    return f;
  };
  const auto pool = [](const char* name, TensorShape in) {
    FloatLayer f;
    f.kind = LayerKind::kMaxPool2d;
    f.name = name;
    f.relu = false;
    f.in_shape = in;
    f.window = {2, 2, 2, 2, 0, 0};
    return f;
  };
  const auto fc = [](const char* name, uint32_t in, uint32_t out) {
    FloatLayer f;
    f.name = name;
    f.rows = out;
    f.cols = in;
    return f;
  };
  return {
      conv("conv1", {1, 28, 28}, 20), pool("pool1", {20, 24, 24}), conv("conv2", {20, 12, 12}, 50),
      pool("pool2", {50, 8, 8}),      fc("ip1", 800, 500),         fc("ip2", 500, 10)};
}

std::vector<FloatLayer> lstm_shape(uint32_t hidden) {
  constexpr uint32_t kRows = 28, kPixels = 28;
  FloatLayer lstm;
  lstm.kind = LayerKind::kLstm;
  lstm.name = "lstm";
  lstm.relu = false;
  lstm.sequence = {kRows, kPixels, hidden};
  lstm.rows = 4 * hidden;
  lstm.cols = kPixels + hidden;
  FloatLayer fc;
  fc.name = "fc";
  fc.rows = 10;
  fc.cols = hidden;
  fc.relu = false;
  return {lstm, fc};
}

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

FloatLayer float_layer(const Mlp& mlp, size_t l, const std::string& name) {
  FloatLayer f = mlp.shape()[mlp.shape_index(l)];  // kind, input shape, window, ReLU
  f.name = name;
  f.rows = static_cast<uint32_t>(mlp.weights(l).rows());
  f.cols = static_cast<uint32_t>(mlp.weights(l).cols());
  f.weights.resize(size_t{f.rows} * f.cols);
  for (uint32_t i = 0; i < f.rows; ++i) {
    for (uint32_t j = 0; j < f.cols; ++j) f.weights[size_t{i} * f.cols + j] = mlp.weights(l)(i, j);
  }
  f.bias.assign(mlp.bias(l).data(), mlp.bias(l).data() + mlp.bias(l).size());
  return f;
}

std::vector<double> kept_fractions(const Mlp& mlp) {
  std::vector<double> kept;
  for (size_t l = 0; l < mlp.layers(); ++l) {
    const Eigen::MatrixXf& w = mlp.weights(l);
    kept.push_back(static_cast<double>((w.array() != 0.0f).count()) /
                   static_cast<double>(w.size()));
  }
  return kept;
}

// The largest act_frac that leaves 2x headroom above the largest activation seen.
int calibrate_act_frac(const Mlp& mlp, const TrainingSet& set) {
  const double m = mlp.max_activation(set);
  for (int f = kMaxFrac; f > 0; --f) {
    if (m * std::ldexp(1.0, f) <= 16383.0) return f;
  }
  return 0;
}

// Weighted layer l's name: `names`, the shape's own (LeNet-5's conv1, ...), or ip1, ...
std::string layer_name(const Mlp& mlp, size_t l, const std::vector<std::string>& names) {
  if (l < names.size()) return names[l];
  const std::string& own = mlp.shape()[mlp.shape_index(l)].name;
  return own.empty() ? fmt::format("ip{}", l + 1) : own;
}

// The compressed network for the current shared weights, pooling layers where the shape has
// them; weighted layers named by layer_name.
Network fixed_network(const Mlp& mlp, const std::vector<CodeMatrix>& codes, int act_frac,
                      const std::vector<std::string>& names) {
  Network net;
  net.act_frac = act_frac;
  size_t l = 0;
  for (const FloatLayer& s : mlp.shape()) {
    if (!s.has_weights()) {
      net.layers.push_back(to_fixed_layer(s, {}, act_frac));
      continue;
    }
    const FloatLayer f = float_layer(mlp, l, layer_name(mlp, l, names));
    SharedWeights shared;
    shared.centroids.assign(mlp.centroids()[l].begin(), mlp.centroids()[l].end());
    shared.codes = codes[l];
    net.layers.push_back(to_fixed_layer(f, shared, act_frac));
    ++l;
  }
  return net;
}

// The trainer's network from a user's model (its structure checked by deep_compress): the
// model's weights and biases replace the initialisation.
void start_from(Mlp& mlp, const std::vector<FloatLayer>& model) {
  size_t l = 0;
  for (const FloatLayer& f : model) {
    if (!f.has_weights()) continue;
    Eigen::MatrixXf w(f.rows, f.cols);
    for (uint32_t i = 0; i < f.rows; ++i) {
      for (uint32_t j = 0; j < f.cols; ++j) w(i, j) = f.weights[size_t{i} * f.cols + j];
    }
    Eigen::VectorXf b = Eigen::VectorXf::Zero(f.rows);
    for (size_t i = 0; i < f.bias.size(); ++i) b(static_cast<Eigen::Index>(i)) = f.bias[i];
    mlp.set_layer(l++, w, b);
  }
}

// Progress lines for the log, per stage and per epoch (the test column reports, never selects).
struct Reporter {
  const Logger& log;
  void say(const std::string& s) const {
    if (log) log(s);
  }
  std::function<void(const EpochReport&)> epochs(const std::string& stage) const {
    return [this, stage](const EpochReport& r) {
      say(fmt::format("  {:<10} epoch {:>2}  loss {:.4f}  train {:.2f}%  test {:.2f}%  {:.1f}s",
                      stage, r.epoch, r.loss, 100 * r.train_accuracy, 100 * r.test_accuracy,
                      r.seconds));
    };
  }
};

// Stage 1: a new network of o.sizes (or the user's model) trained dense.
Mlp train_dense(const TrainingSet& train, const TrainingSet& test, const PipelineOptions& o,
                const Reporter& r) {
  Mlp mlp = o.shape.empty() ? Mlp(o.sizes, o.seed) : Mlp(o.shape, o.seed);
  if (!o.initial.empty()) start_from(mlp, o.initial);
  r.say("dense training");
  TrainOptions dense = o.dense;
  dense.seed = o.seed;
  mlp.train(train, &test, dense, r.epochs("dense"));
  return mlp;
}

}  // namespace

CompressedStages compress_dense(Mlp mlp, const TrainingSet& train, const LabelledSet& eval,
                                const PipelineOptions& o, const std::vector<double>& density,
                                const std::vector<std::string>& names, const Logger& log) {
  const Reporter r{log};
  const TrainingSet eval_set = to_training_set(eval);
  const size_t layers = mlp.layers();
  CompressedStages result;
  // The dense network teaches the pruned and shared ones (distillation), when asked to: its
  // logits of every digit as each stage's shift augmentation shows it.
  const auto taught = [&](const TrainOptions& stage) {
    TrainingSet t = train;
    if (stage.distill > 0.0f) t.teacher = mlp.teacher_logits(train, stage.shift);
    return t;
  };
  const TrainingSet retrain_set = taught(o.retrain);
  const TrainingSet finetune_set = o.finetune.shift == o.retrain.shift &&
                                           (o.finetune.distill > 0.0f) == (o.retrain.distill > 0.0f)
                                       ? retrain_set
                                       : taught(o.finetune);

  // 2. Iterative magnitude pruning with masked retraining.
  auto t = Clock::now();
  for (int step = 1; step <= o.prune_steps; ++step) {
    std::vector<Eigen::MatrixXf> masks;
    std::vector<std::string> kept;
    for (size_t l = 0; l < layers; ++l) {
      const double d = std::pow(density[l], static_cast<double>(step) / o.prune_steps);
      const FloatLayer f = float_layer(mlp, l, "");
      const Mask m = prune_by_density(f.weights, d);
      Eigen::MatrixXf mask(f.rows, f.cols);
      for (uint32_t i = 0; i < f.rows; ++i) {
        for (uint32_t j = 0; j < f.cols; ++j) mask(i, j) = m[size_t{i} * f.cols + j] ? 1.0f : 0.0f;
      }
      masks.push_back(mask);
      kept.push_back(fmt::format("{:.1f}%", 100 * d));
    }
    mlp.set_masks(masks);
    r.say(fmt::format("pruning step {}/{}: keep {}", step, o.prune_steps, fmt::join(kept, " / ")));
    TrainOptions retrain = o.retrain;
    retrain.seed = o.seed + 100 + static_cast<uint64_t>(step);
    mlp.train(retrain_set, &eval_set, retrain, r.epochs("retrain"));
  }
  result.stages.push_back({"pruned", mlp.accuracy(eval_set), -1, since(t), kept_fractions(mlp)});

  // 3. Weight sharing: k-means over each layer's kept weights.
  t = Clock::now();
  std::vector<CodeMatrix> codes;
  std::vector<Eigen::MatrixXi> code_mats;
  std::vector<std::vector<float>> centroids;
  for (size_t l = 0; l < layers; ++l) {
    const FloatLayer f = float_layer(mlp, l, "");
    Mask mask(f.weights.size());
    for (size_t i = 0; i < mask.size(); ++i) mask[i] = f.weights[i] != 0.0f;
    const int k = o.clusters.size() == 1 ? o.clusters[0] : o.clusters.at(l);
    const SharedWeights s = share_weights(f, mask, k, o.init, o.seed + l);
    codes.push_back(s.codes);
    const std::vector<uint8_t> dense_codes = s.codes.to_dense();
    Eigen::MatrixXi c(f.rows, f.cols);
    for (uint32_t i = 0; i < f.rows; ++i) {
      for (uint32_t j = 0; j < f.cols; ++j) c(i, j) = dense_codes[size_t{i} * f.cols + j];
    }
    code_mats.push_back(c);
    centroids.emplace_back(s.centroids.begin(), s.centroids.end());
  }
  mlp.clear_masks();
  mlp.set_shared(code_mats, centroids);
  {
    const int act_frac = o.act_frac >= 0 ? o.act_frac : calibrate_act_frac(mlp, train);
    const Network net = fixed_network(mlp, codes, act_frac, names);
    result.stages.push_back({"shared", mlp.accuracy(eval_set), golden_accuracy(net, eval), since(t),
                             kept_fractions(mlp)});
  }
  r.say(fmt::format("weight sharing: {} clusters per layer ({} init)", fmt::join(o.clusters, " / "),
                    to_string(o.init)));

  // 4. Centroid fine-tuning, 5. fixed point, 6. Huffman coding.
  t = Clock::now();
  TrainOptions finetune = o.finetune;
  finetune.seed = o.seed + 200;
  mlp.train(finetune_set, &eval_set, finetune, r.epochs("finetune"));
  const int act_frac = o.act_frac >= 0 ? o.act_frac : calibrate_act_frac(mlp, train);
  Network net = fixed_network(mlp, codes, act_frac, names);
  result.stages.push_back({"fine-tuned", mlp.accuracy(eval_set), golden_accuracy(net, eval),
                           since(t), kept_fractions(mlp)});
  r.say(fmt::format("fixed point: act_frac {}, w_frac {}", act_frac, [&] {
    std::vector<int> f;
    for (const Layer& l : net.layers) {
      if (l.has_weights()) f.push_back(l.w_frac);
    }
    return fmt::format("{}", fmt::join(f, " / "));
  }()));
  result.model = make_model_file(std::move(net), o.huffman);
  return result;
}

PipelineResult deep_compress(const Mnist& data, const PipelineOptions& options, const Logger& log) {
  PipelineOptions o = options;
  std::vector<std::string> names;
  if (!o.initial.empty()) {
    size_t weighted = 0;
    for (const FloatLayer& f : o.initial) weighted += f.has_weights();
    o.shape.clear();
    for (const FloatLayer& f : o.initial) {
      if (f.has_weights()) {
        const bool last = names.size() + 1 == weighted;
        require(f.relu == !last,
                "layer '{}' {} ReLU: the trainer trains networks with ReLU after every layer but "
                "the last",
                f.name, f.relu ? "ends in a" : "has no");
        names.push_back(f.name);
      }
      FloatLayer s = f;
      s.weights.clear();
      s.bias.clear();
      o.shape.push_back(std::move(s));
    }
  }
  if (o.shape.empty()) {
    require(o.sizes.size() >= 2, "a network needs at least an input and an output width");
    for (size_t l = 0; l + 1 < o.sizes.size(); ++l) {
      FloatLayer s;
      s.rows = static_cast<uint32_t>(o.sizes[l + 1]);
      s.cols = static_cast<uint32_t>(o.sizes[l]);
      o.shape.push_back(s);
    }
  }
  uint64_t weights = 0;
  size_t weighted = 0;
  const bool named = !names.empty();
  for (const FloatLayer& s : o.shape) {
    weights += uint64_t{s.rows} * s.cols;
    if (!s.has_weights()) continue;
    ++weighted;
    // The weighted layers' names (the density search's curves, the model file): the user's
    // model's, the shape's own (LeNet-5's conv1, ...), or ip1, ip2, ...
    if (!named) names.push_back(s.name.empty() ? fmt::format("ip{}", weighted) : s.name);
  }
  require(weights <= kMaxTrainWeights,
          "the model has {} weights, over the trainer's limit of {} (docs/reliability.md)", weights,
          kMaxTrainWeights);
  require(o.density.empty() || o.density.size() == weighted, "{} densities for {} layers",
          o.density.size(), weighted);
  require(o.prune_steps >= 1, "prune steps must be at least 1");
  require(o.clusters.size() == 1 || o.clusters.size() == weighted,
          "{} shared-weight counts for {} layers (give one, or one per layer)", o.clusters.size(),
          weighted);
  for (int k : o.clusters) {
    require(k >= 1 && k < kCodebookSize, "{} shared weights: a layer has 1..15", k);
  }
  const uint64_t inputs = o.shape.front().shape().input_shape().size();
  require(data.train.images.size() == inputs, "images have {} pixels but the network takes {}",
          data.train.images.size(), inputs);
  const Reporter r{log};
  const auto total_start = Clock::now();
  PipelineResult result;
  if (o.density.empty()) {  // the densities by sensitivity, on a validation split
    std::vector<SearchFold> folds;
    folds.reserve(o.search.folds);
    for (uint32_t k = 0; k < o.search.folds; ++k) {
      auto [fit, validation] = split_fold(data.train, o.search.folds, k);
      r.say(fmt::format("density search, fold {}/{}: {} training / {} validation digits", k + 1,
                        o.search.folds, fit.labels.size(), validation.labels.size()));
      Mlp dense = train_dense(to_training_set(fit), to_training_set(validation), o, r);
      folds.push_back({std::move(fit), std::move(validation), std::move(dense)});
    }
    result.search = search_densities(folds, o, names, log);
    o.density = result.search->chosen;
  }
  const TrainingSet train = to_training_set(data.train);
  const TrainingSet test = to_training_set(data.test);
  auto t = Clock::now();
  const Mlp mlp = train_dense(train, test, o, r);
  result.dense_float_accuracy = mlp.accuracy(test);
  result.stages.push_back(
      {"dense", result.dense_float_accuracy, -1, since(t), kept_fractions(mlp)});
  CompressedStages c = compress_dense(mlp, train, data.test, o, o.density, names, log);
  result.stages.insert(result.stages.end(), c.stages.begin(), c.stages.end());
  result.model = std::move(c.model);
  result.seconds = since(total_start);
  return result;
}

std::string describe_stages(const PipelineResult& r) {
  std::string out = fmt::format("{:<11} {:>12} {:>14} {:>22} {:>8}\n", "stage", "float acc",
                                "fixed-point acc", "kept per layer", "time");
  for (const StageResult& s : r.stages) {
    std::vector<std::string> kept;
    for (double k : s.kept) kept.push_back(fmt::format("{:.1f}%", 100 * k));
    out += fmt::format(
        "{:<11} {:>11.2f}% {:>14} {:>22} {:>7.1f}s\n", s.name, 100 * s.float_accuracy,
        s.fixed_accuracy < 0 ? std::string("-") : fmt::format("{:.2f}%", 100 * s.fixed_accuracy),
        fmt::format("{}", fmt::join(kept, " ")), s.seconds);
  }
  out += fmt::format("total {:.1f}s\n", r.seconds);
  return out;
}

std::string stages_json(const PipelineResult& r) {
  nlohmann::json j;
  j["dense_float_accuracy"] = r.dense_float_accuracy;
  j["seconds"] = r.seconds;
  j["stages"] = nlohmann::json::array();
  for (const StageResult& s : r.stages) {
    nlohmann::json st{{"name", s.name},
                      {"float_accuracy", s.float_accuracy},
                      {"kept", s.kept},
                      {"seconds", s.seconds}};
    if (s.fixed_accuracy >= 0) st["fixed_accuracy"] = s.fixed_accuracy;
    j["stages"].push_back(st);
  }
  if (r.search) {
    const DensitySearchResult& s = *r.search;
    nlohmann::json& js = j["density_search"];
    js["folds"] = s.folds;
    js["validation_digits"] = s.validation_digits;
    js["dense_validation_accuracy"] = s.dense_validation_accuracy;
    js["chosen"] = s.chosen;
    js["seconds"] = s.seconds;
    for (const SensitivityCurve& c : s.curves) {
      js["sensitivity"].push_back(
          {{"layer", c.layer}, {"density", c.density}, {"validation_accuracy", c.accuracy}});
    }
    for (const DensityTrial& t : s.trials) {
      js["trials"].push_back({{"tolerance", t.tolerance},
                              {"density", t.density},
                              {"validation_accuracy", t.validation_accuracy},
                              {"pruned_accuracy", t.pruned_accuracy},
                              {"shared_accuracy", t.shared_accuracy},
                              {"bytes", t.bytes},
                              {"within_budget", t.within}});
    }
  }
  return j.dump(2) + "\n";
}

}  // namespace eie
