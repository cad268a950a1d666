// Per-layer densities chosen by the data [P15, DC]: each layer's sensitivity (its validation
// accuracy with that layer alone pruned by magnitude, the others dense, no retraining), then a
// search over how much accuracy each layer may lose on its own, keeping the smallest model file
// whose compressed fixed-point accuracy stays within a budget of the dense network's. Everything
// is measured by k-fold cross-validation on the training digits: each fold is held out in turn,
// the networks trained on the others, and the accuracies pooled over every training digit, so a
// budget of a few tenths of a point is not lost in the noise of a small split. The test digits
// only report the result (eie deep-compress without --density).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "eie/idx.h"
#include "eie/mlp.h"

namespace eie {

struct PipelineOptions;

struct DensitySearchOptions {
  double budget = 0.002;  // accuracy the compressed model may lose (0.2 points)
  uint32_t folds = 4;     // digit i is in fold i mod folds (4: 2,000 of 8,000 each)
  // Densities at which each layer's sensitivity is measured, and the per-layer losses tried.
  std::vector<double> grid{1.0,  0.7,   0.5,   0.35, 0.25, 0.18,  0.13,
                           0.09, 0.065, 0.045, 0.03, 0.02, 0.014, 0.01};
  std::vector<double> tolerances{0.0025, 0.005, 0.01, 0.02, 0.04, 0.08};
  int refine_steps = 3;  // bisections between the last tolerance within budget and the next
};

struct SensitivityCurve {
  std::string layer;
  std::vector<double> density, accuracy;  // validation accuracy with this layer alone pruned
};

struct DensityTrial {
  double tolerance = 0;            // the mean loss a layer may cause alone
  std::vector<double> density;     // the densities that gives, per layer
  double validation_accuracy = 0;  // of the compressed fixed-point models, over every fold
  // The same digits at the stages before: float after pruning with retraining, fixed point after
  // weight sharing (before the centroids are fine-tuned).
  double pruned_accuracy = 0, shared_accuracy = 0;
  uint64_t bytes = 0;   // their model files' mean size
  bool within = false;  // within the budget
};

struct DensitySearchResult {
  uint32_t folds = 0;
  uint64_t validation_digits = 0;  // all folds together: every training digit
  double dense_validation_accuracy = 0;
  std::vector<SensitivityCurve> curves;
  std::vector<DensityTrial> trials;
  std::vector<double> chosen;  // the smallest file within the budget (else the most accurate)
  double seconds = 0;
};

// Fold `fold` of `folds`: the digits whose index is `fold` modulo `folds` are held out
// (second), the rest train (first).
std::pair<LabelledSet, LabelledSet> split_fold(const LabelledSet& set, uint32_t folds,
                                               uint32_t fold);

// A held-out fold and the dense network trained without it.
struct SearchFold {
  LabelledSet fit, validation;
  Mlp dense;
};

// Pooled over the folds: each layer pruned alone in each fold's dense network, scored on its fold.
std::vector<SensitivityCurve> layer_sensitivity(const std::vector<SearchFold>& folds,
                                                const std::vector<double>& grid,
                                                const std::vector<std::string>& names);

// Per layer, the lowest density whose accuracy alone stays within `tolerance` of `base` along
// the curve (interpolated between its points in log density).
// weight: each layer's multiple of the tolerance (empty: 1 for all).
std::vector<double> densities_within(const std::vector<SensitivityCurve>& curves, double base,
                                     double tolerance, const std::vector<double>& weight = {});

// The search over the folds: every trial runs the rest of the pipeline (pruning with retraining,
// sharing, fine-tuning, fixed point, Huffman) on each fold's training digits, from its dense
// network, scored on the digits it held out.
DensitySearchResult search_densities(const std::vector<SearchFold>& folds, const PipelineOptions& o,
                                     const std::vector<std::string>& names,
                                     const std::function<void(const std::string&)>& log);

}  // namespace eie
