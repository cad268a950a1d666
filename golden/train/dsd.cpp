#include "eie/dsd.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "eie/error.h"
#include "eie/pruning.h"

namespace eie {

namespace {

// Masks keeping the (1 - sparsity) largest-magnitude weights of every layer.
std::vector<Eigen::MatrixXf> magnitude_masks(const Mlp& mlp, double sparsity) {
  std::vector<Eigen::MatrixXf> masks;
  for (size_t l = 0; l < mlp.layers(); ++l) {
    const Eigen::MatrixXf& w = mlp.weights(l);
    const std::vector<float> flat(w.data(), w.data() + w.size());
    const Mask keep = prune_by_density(flat, 1.0 - sparsity);
    Eigen::MatrixXf m(w.rows(), w.cols());
    for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = keep[static_cast<size_t>(i)] ? 1.0f : 0.0f;
    masks.push_back(m);
  }
  return masks;
}

struct Summary {
  double mean = 0, stddev = 0;
};

Summary summarise(const std::vector<double>& v) {
  Summary s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  for (double x : v) s.stddev += (x - s.mean) * (x - s.mean);
  s.stddev = v.size() > 1 ? std::sqrt(s.stddev / static_cast<double>(v.size() - 1)) : 0.0;
  return s;
}

}  // namespace

DsdResult run_dsd(const Mnist& data, const DsdOptions& o, const Logger& log) {
  require(o.sparsity > 0.0 && o.sparsity < 1.0, "DSD sparsity {} outside (0, 1)", o.sparsity);
  require(o.iterations >= 1 && !o.seeds.empty(), "DSD needs at least one iteration and one seed");
  const auto say = [&](const std::string& s) {
    if (log) log(s);
  };
  const auto start = std::chrono::steady_clock::now();
  const TrainingSet train = to_training_set(data.train);
  const TrainingSet test = to_training_set(data.test);
  DsdResult result;
  for (uint64_t seed : o.seeds) {
    DsdSeedResult r;
    r.seed = seed;
    TrainOptions fast = o.train, slow = o.train;
    slow.lr = o.train.lr / 10;
    const auto phase = [&](Mlp& m, TrainOptions t, int epochs, uint64_t salt) {
      t.epochs = epochs;
      t.seed = seed * 1000 + salt;
      m.train(train, nullptr, t);
    };
    // DSD.
    Mlp dsd(o.sizes, seed);
    phase(dsd, fast, o.dense_epochs, 0);
    r.dense = dsd.accuracy(test);
    for (int it = 1; it <= o.iterations; ++it) {
      dsd.set_masks(magnitude_masks(dsd, o.sparsity));
      phase(dsd, fast, o.sparse_epochs, 10 * it + 1);
      r.sparse = dsd.accuracy(test);
      dsd.clear_masks();  // pruned weights come back at zero
      phase(dsd, slow, o.redense_epochs, 10 * it + 2);
    }
    r.dsd = dsd.accuracy(test);
    // Baseline: the same epochs and learning-rate schedule, never pruned.
    Mlp base(o.sizes, seed);
    phase(base, fast, o.dense_epochs, 0);
    for (int it = 1; it <= o.iterations; ++it) {
      phase(base, fast, o.sparse_epochs, 10 * it + 1);
      phase(base, slow, o.redense_epochs, 10 * it + 2);
    }
    r.baseline = base.accuracy(test);
    say(fmt::format("seed {}: dense {:.2f}%  sparse {:.2f}%  DSD {:.2f}%  baseline {:.2f}%", seed,
                    100 * r.dense, 100 * r.sparse, 100 * r.dsd, 100 * r.baseline));
    result.seeds.push_back(r);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::string describe_dsd(const DsdResult& r, const DsdOptions& o) {
  std::vector<double> dsd, base, diff;
  for (const DsdSeedResult& s : r.seeds) {
    dsd.push_back(100 * s.dsd);
    base.push_back(100 * s.baseline);
    diff.push_back(100 * (s.dsd - s.baseline));
  }
  const Summary d = summarise(dsd), b = summarise(base), g = summarise(diff);
  return fmt::format(
      "DSD ({} dense + {} x ({} sparse at {:.0f}% + {} re-dense at lr/10) epochs) vs a dense "
      "baseline with the same schedule, {} seeds:\n"
      "  DSD       {:.2f}% +- {:.2f}\n  baseline  {:.2f}% +- {:.2f}\n"
      "  DSD - baseline {:+.2f} +- {:.2f} points (mean +- sample std over seeds); {:.0f}s\n",
      o.dense_epochs, o.iterations, o.sparse_epochs, 100 * o.sparsity, o.redense_epochs,
      r.seeds.size(), d.mean, d.stddev, b.mean, b.stddev, g.mean, g.stddev, r.seconds);
}

std::string dsd_json(const DsdResult& r, const DsdOptions& o) {
  nlohmann::json j;
  j["options"] = {{"sizes", o.sizes},
                  {"dense_epochs", o.dense_epochs},
                  {"sparse_epochs", o.sparse_epochs},
                  {"redense_epochs", o.redense_epochs},
                  {"sparsity", o.sparsity},
                  {"iterations", o.iterations},
                  {"lr", o.train.lr}};
  j["seeds"] = nlohmann::json::array();
  for (const DsdSeedResult& s : r.seeds) {
    j["seeds"].push_back({{"seed", s.seed},
                          {"dense", s.dense},
                          {"sparse", s.sparse},
                          {"dsd", s.dsd},
                          {"baseline", s.baseline}});
  }
  j["seconds"] = r.seconds;
  return j.dump(2) + "\n";
}

}  // namespace eie
