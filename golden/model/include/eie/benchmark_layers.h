// The EIE paper's nine benchmark layers (EIE Table III, times from Table IV) as seeded synthetic
// compressed layers, for the RTL benchmark and the CPU baselines.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "eie/network.h"

namespace eie {

struct BenchmarkLayer {
  const char* name;
  uint32_t inputs, outputs;
  double weight_density, act_density;
  double paper_theoretical_us, paper_actual_us;  // EIE, 64 PEs, 800 MHz
};

const std::vector<BenchmarkLayer>& benchmark_layers();
// Throws eie::Error for an unknown name.
const BenchmarkLayer& find_benchmark_layer(const std::string& name);

// Uniform: every weight kept with the layer's density. Skewed: row i kept with density
// d * x_i / mean(x), x_i log-normal (sigma 0.7), capped at 1. Random indices 1..15, a random
// codebook (w_frac 14), no bias, ReLU.
Network make_benchmark_layer(const BenchmarkLayer& b, bool skewed, std::mt19937_64& rng);

}  // namespace eie
