#include "eie/density_search.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "eie/classify.h"
#include "eie/deep_compression.h"
#include "eie/error.h"
#include "eie/pruning.h"

namespace eie {
namespace {

std::string percentages(const std::vector<double>& v) {
  std::vector<std::string> s;
  s.reserve(v.size());
  for (const double d : v) s.push_back(fmt::format("{:.1f}%", 100 * d));
  return fmt::format("{}", fmt::join(s, " / "));
}

}  // namespace

std::pair<LabelledSet, LabelledSet> split_fold(const LabelledSet& set, uint32_t folds,
                                               uint32_t fold) {
  require(folds >= 2 && fold < folds, "validation split: fold {} of {}", fold, folds);
  LabelledSet fit, validation;
  for (LabelledSet* s : {&fit, &validation}) {
    s->images.rows = set.images.rows;
    s->images.cols = set.images.cols;
  }
  const size_t pixels = set.images.size();
  for (size_t i = 0; i < set.labels.size(); ++i) {
    LabelledSet& to = i % folds == fold ? validation : fit;
    to.labels.push_back(set.labels[i]);
    to.images.pixels.insert(to.images.pixels.end(), set.images.pixels.begin() + i * pixels,
                            set.images.pixels.begin() + (i + 1) * pixels);
    ++to.images.count;
  }
  require(!validation.labels.empty() && !fit.labels.empty(),
          "validation split: {} digits leave nothing to hold out", set.labels.size());
  return {fit, validation};
}

namespace {

// Accuracy over every fold's held-out digits, from each fold's accuracy on its own.
class Pooled {
 public:
  void add(double accuracy, size_t digits) {
    correct_ += accuracy * static_cast<double>(digits);
    digits_ += digits;
  }
  double accuracy() const { return digits_ == 0 ? 0.0 : correct_ / static_cast<double>(digits_); }

 private:
  double correct_ = 0;
  size_t digits_ = 0;
};

// The dense network with layer l alone pruned by magnitude to density d.
Mlp prune_one_layer(const Mlp& dense, size_t l, double d) {
  const Eigen::MatrixXf& w = dense.weights(l);
  const std::vector<float> flat(w.data(), w.data() + w.size());  // order does not matter
  const Mask keep = prune_by_density(flat, d);
  Eigen::MatrixXf m(w.rows(), w.cols());
  for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = keep[static_cast<size_t>(i)] ? 1.0f : 0.0f;
  std::vector<Eigen::MatrixXf> masks;
  for (size_t k = 0; k < dense.layers(); ++k) {
    masks.push_back(
        k == l ? m : Eigen::MatrixXf::Ones(dense.weights(k).rows(), dense.weights(k).cols()));
  }
  Mlp pruned = dense;
  pruned.set_masks(masks);
  return pruned;
}

}  // namespace

std::vector<SensitivityCurve> layer_sensitivity(const std::vector<SearchFold>& folds,
                                                const std::vector<double>& grid,
                                                const std::vector<std::string>& names) {
  require(!folds.empty(), "sensitivity: no folds");
  std::vector<TrainingSet> held_out;
  held_out.reserve(folds.size());
  for (const SearchFold& f : folds) held_out.push_back(to_training_set(f.validation));
  std::vector<SensitivityCurve> curves;
  for (size_t l = 0; l < folds.front().dense.layers(); ++l) {
    SensitivityCurve c;
    c.layer = l < names.size() ? names[l] : fmt::format("ip{}", l + 1);
    for (const double d : grid) {
      Pooled accuracy;
      for (size_t k = 0; k < folds.size(); ++k) {
        accuracy.add(prune_one_layer(folds[k].dense, l, d).accuracy(held_out[k]),
                     folds[k].validation.labels.size());
      }
      c.density.push_back(d);
      c.accuracy.push_back(accuracy.accuracy());
    }
    curves.push_back(c);
  }
  return curves;
}

std::vector<double> densities_within(const std::vector<SensitivityCurve>& curves, double base,
                                     double tolerance, const std::vector<double>& weight) {
  // Along each curve (densities falling), the last point still within the layer's tolerance,
  // moved towards the next one as far as the straight line between them (in log density) allows.
  std::vector<double> out;
  for (size_t l = 0; l < curves.size(); ++l) {
    const SensitivityCurve& c = curves[l];
    const double floor = base - tolerance * (weight.empty() ? 1.0 : weight[l]);
    double best = 1.0;
    for (size_t i = 0; i < c.density.size() && c.accuracy[i] >= floor; ++i) {
      best = c.density[i];
      if (i + 1 < c.density.size() && c.accuracy[i + 1] < floor) {
        const double f = (c.accuracy[i] - floor) / (c.accuracy[i] - c.accuracy[i + 1]);
        best = std::exp(std::log(c.density[i]) +
                        f * (std::log(c.density[i + 1]) - std::log(c.density[i])));
      }
    }
    out.push_back(best);
  }
  return out;
}

DensitySearchResult search_densities(const std::vector<SearchFold>& folds, const PipelineOptions& o,
                                     const std::vector<std::string>& names,
                                     const std::function<void(const std::string&)>& log) {
  const auto start = std::chrono::steady_clock::now();
  const auto say = [&](const std::string& s) {
    if (log) log(s);
  };
  require(!folds.empty(), "density search: no folds");
  DensitySearchResult r;
  r.folds = static_cast<uint32_t>(folds.size());
  std::vector<TrainingSet> fit_sets;
  fit_sets.reserve(folds.size());
  Pooled dense_accuracy;
  for (const SearchFold& f : folds) {
    fit_sets.push_back(to_training_set(f.fit));
    dense_accuracy.add(f.dense.accuracy(to_training_set(f.validation)), f.validation.labels.size());
    r.validation_digits += f.validation.labels.size();
  }
  r.dense_validation_accuracy = dense_accuracy.accuracy();
  r.curves = layer_sensitivity(folds, o.search.grid, names);
  say(fmt::format(
      "sensitivity: dense validation accuracy {:.2f}% ({} folds, {} digits held out "
      "in all); each layer pruned alone (validation accuracy at {} densities)",
      100 * r.dense_validation_accuracy, r.folds, r.validation_digits, o.search.grid.size()));
  const Mlp& dense = folds.front().dense;
  // Each layer's share of the tolerance grows with the square root of its share of the weights
  // (normalised to a mean of 1): pruning pays where the bytes are, and a small layer that is
  // sensitive (LeNet-300-100's last) is spared.
  std::vector<double> weight;
  double total = 0, mean = 0;
  for (size_t l = 0; l < dense.layers(); ++l) total += static_cast<double>(dense.weights(l).size());
  for (size_t l = 0; l < dense.layers(); ++l) {
    weight.push_back(std::sqrt(static_cast<double>(dense.weights(l).size()) / total));
    mean += weight.back() / static_cast<double>(dense.layers());
  }
  for (double& w : weight) w /= mean;
  std::vector<std::vector<double>> tried;
  const auto trial = [&](double tolerance) {
    const std::vector<double> density =
        densities_within(r.curves, r.dense_validation_accuracy, tolerance, weight);
    if (std::find(tried.begin(), tried.end(), density) != tried.end()) return;
    tried.push_back(density);
    Pooled accuracy, pruned, shared;
    uint64_t bytes = 0;
    for (size_t k = 0; k < folds.size(); ++k) {
      const CompressedStages c =
          compress_dense(folds[k].dense, fit_sets[k], folds[k].validation, o, density, names, {});
      const size_t digits = folds[k].validation.labels.size();
      pruned.add(c.stages.front().float_accuracy, digits);
      shared.add(c.stages[1].fixed_accuracy, digits);
      accuracy.add(c.stages.back().fixed_accuracy, digits);
      bytes += serialize_model(c.model).size();
    }
    DensityTrial t;
    t.tolerance = tolerance;
    t.density = density;
    t.validation_accuracy = accuracy.accuracy();
    t.pruned_accuracy = pruned.accuracy();
    t.shared_accuracy = shared.accuracy();
    t.bytes = (bytes + folds.size() / 2) / folds.size();
    t.within = t.validation_accuracy >= r.dense_validation_accuracy - o.search.budget;
    say(fmt::format(
        "  trial: layers may lose {:.2f} points alone (weighted) -> keep {}: "
        "validation {:.2f}% (pruned {:.2f}%, shared {:.2f}%), {} bytes{}",
        100 * tolerance, percentages(density), 100 * t.validation_accuracy, 100 * t.pruned_accuracy,
        100 * t.shared_accuracy, t.bytes, t.within ? "" : " (over budget)"));
    r.trials.push_back(t);
  };
  for (const double tolerance : o.search.tolerances) trial(tolerance);
  // Then bisection between the largest tolerance within the budget and the next one over it.
  for (int step = 0; step < o.search.refine_steps; ++step) {
    double lo = -1, hi = -1;
    for (const DensityTrial& t : r.trials) {
      if (t.within && t.tolerance > lo) lo = t.tolerance;
    }
    for (const DensityTrial& t : r.trials) {
      if (!t.within && t.tolerance > lo && (hi < 0 || t.tolerance < hi)) hi = t.tolerance;
    }
    if (lo < 0 || hi < 0) break;
    trial((lo + hi) / 2);
  }
  const DensityTrial* best = nullptr;
  for (const DensityTrial& t : r.trials) {
    if (t.within && (best == nullptr || t.bytes < best->bytes)) best = &t;
  }
  if (best == nullptr) {  // nothing within the budget: the most accurate trial
    for (const DensityTrial& t : r.trials) {
      if (best == nullptr || t.validation_accuracy > best->validation_accuracy) best = &t;
    }
  }
  r.chosen = best->density;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  say(fmt::format("density search: keep {} ({}), {:.0f} s", percentages(r.chosen),
                  best->within ? "the smallest file within the budget"
                               : "no trial within the budget: the most accurate",
                  r.seconds));
  return r;
}

}  // namespace eie
