// Seeded stimulus for the regressions: networks and input vectors built to exercise one feature
// each (docs/verification.md lists them). Every scenario is a pure function of its options and
// the seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eie/benchmark_layers.h"
#include "eie/network.h"

namespace eie::tb {

struct ScenarioOptions {
  std::string name =
      "random";  // random, empty-cols, imbalance, paper, padding, rounding, sat-order
  std::vector<uint32_t> sizes;  // layer widths, input first (random and imbalance)
  double weight_density = 0.1;
  double act_density = 0.5;
  bool wide = false;  // full-range values: provokes saturation everywhere
  bool relu_last = false;
  uint32_t num_pe = 1;  // the PE count the stimulus is shaped for
  std::string layer;    // benchmark: Alex-6 ... NT-LSTM
  bool skewed = false;  // benchmark: log-normal (sigma 0.7) row densities
};

struct Scenario {
  Network net;
  std::vector<std::vector<int16_t>> inputs;
};

// Throws eie::Error for an unknown name or options the scenario cannot use.
Scenario make_scenario(const ScenarioOptions& options, uint32_t inferences, std::mt19937_64& rng);

std::vector<int16_t> random_activations(uint32_t n, double density, bool wide,
                                        std::mt19937_64& rng);

}  // namespace eie::tb
