// Per-layer densities chosen by the data [P15, DC]: each layer's sensitivity (its validation
// accuracy with that layer alone pruned by magnitude, the others dense, no retraining), then a
// search over how much accuracy each layer may lose on its own, keeping the smallest model file
// whose compressed fixed-point accuracy stays within a budget of the dense network's. Everything
// is measured on a validation split held out of the training digits; the test digits only
// report the result (eie deep-compress without --density).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "eie/idx.h"
#include "eie/mlp.h"

namespace eie {

struct PipelineOptions;

struct DensitySearchOptions {
  double budget = 0.002;          // accuracy the compressed model may lose (0.2 points)
  uint32_t validation_every = 8;  // every 8th training digit held out: 1,000 of 8,000
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
  double validation_accuracy = 0;  // of the compressed fixed-point model
  uint64_t bytes = 0;              // its model file
  bool within = false;             // within the budget
};

struct DensitySearchResult {
  double dense_validation_accuracy = 0;
  std::vector<SensitivityCurve> curves;
  std::vector<DensityTrial> trials;
  std::vector<double> chosen;  // the smallest file within the budget (else the most accurate)
  double seconds = 0;
};

// The digits whose index is every-1 modulo `every` become the validation split; the rest train.
std::pair<LabelledSet, LabelledSet> split_validation(const LabelledSet& set, uint32_t every);

std::vector<SensitivityCurve> layer_sensitivity(const Mlp& dense, const TrainingSet& validation,
                                                const std::vector<double>& grid,
                                                const std::vector<std::string>& names);

// Per layer, the lowest density whose accuracy alone stays within `tolerance` of `base` along
// the curve (interpolated between its points in log density).
// weight: each layer's multiple of the tolerance (empty: 1 for all).
std::vector<double> densities_within(const std::vector<SensitivityCurve>& curves, double base,
                                     double tolerance, const std::vector<double>& weight = {});

// The search on a dense network trained on `fit`: every trial runs the rest of the pipeline
// (pruning with retraining, sharing, fine-tuning, fixed point, Huffman) on `fit`, scored on
// `validation`.
DensitySearchResult search_densities(const Mlp& dense, const TrainingSet& fit,
                                     const LabelledSet& validation, const PipelineOptions& o,
                                     const std::vector<std::string>& names,
                                     const std::function<void(const std::string&)>& log);

}  // namespace eie
