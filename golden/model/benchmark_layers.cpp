#include "eie/benchmark_layers.h"

#include <algorithm>
#include <cmath>

#include "eie/error.h"

namespace eie {

const std::vector<BenchmarkLayer>& benchmark_layers() {
  static const std::vector<BenchmarkLayer> layers = {
      {"Alex-6", 9216, 4096, 0.09, 0.351, 28.1, 30.3},
      {"Alex-7", 4096, 4096, 0.09, 0.353, 11.7, 12.2},
      {"Alex-8", 4096, 1000, 0.25, 0.375, 8.9, 9.9},
      {"VGG-6", 25088, 4096, 0.04, 0.183, 28.1, 34.4},
      {"VGG-7", 4096, 4096, 0.04, 0.375, 7.9, 8.7},
      {"VGG-8", 4096, 1000, 0.23, 0.411, 7.3, 8.4},
      {"NT-We", 4096, 600, 0.10, 1.0, 5.2, 8.0},
      {"NT-Wd", 600, 8791, 0.11, 1.0, 13.0, 13.9},
      {"NT-LSTM", 1201, 2400, 0.10, 1.0, 6.5, 7.5},
  };
  return layers;
}

const BenchmarkLayer& find_benchmark_layer(const std::string& name) {
  for (const BenchmarkLayer& b : benchmark_layers()) {
    if (name == b.name) return b;
  }
  fail("unknown benchmark layer '{}' (Alex-6/7/8, VGG-6/7/8, NT-We, NT-Wd, NT-LSTM)", name);
}

// A benchmark layer: each row i keeps each weight with probability d_i, where d_i = d (uniform)
// or d * x_i / mean(x) with x_i log-normal (sigma 0.7), capped at 1 (skewed). Built row by row
// with geometric gaps, so a 4096 x 25088 layer costs its non-zeros, not its size.
Network make_benchmark_layer(const BenchmarkLayer& b, bool skewed, std::mt19937_64& rng) {
  std::vector<double> density(b.outputs, b.weight_density);
  if (skewed) {
    std::lognormal_distribution<double> x(0.0, 0.7);
    double mean = 0;
    for (double& d : density) mean += d = x(rng);
    mean /= b.outputs;
    for (double& d : density) d = std::min(1.0, b.weight_density * d / mean);
  }
  std::vector<std::vector<std::pair<uint32_t, uint8_t>>> cols(b.inputs);  // (row, code)
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (uint32_t i = 0; i < b.outputs; ++i) {
    const double d = density[i];
    if (d <= 0) continue;
    double j = -1;
    while (true) {
      // Next kept column: a geometric gap with success probability d.
      j += d >= 1.0 ? 1.0 : 1.0 + std::floor(std::log(1.0 - u(rng)) / std::log(1.0 - d));
      if (j >= b.inputs) break;
      cols[static_cast<size_t>(j)].emplace_back(i, static_cast<uint8_t>(1 + rng() % 15));
    }
  }
  Layer layer;
  layer.name = b.name;
  layer.weights.rows = b.outputs;
  layer.weights.cols = b.inputs;
  layer.weights.col_ptr.push_back(0);
  for (const auto& col : cols) {
    for (const auto& [row, code] : col) {
      layer.weights.row_idx.push_back(row);
      layer.weights.code.push_back(code);
    }
    layer.weights.col_ptr.push_back(static_cast<uint32_t>(layer.weights.row_idx.size()));
  }
  // A codebook of moderate values: the benchmark measures cycles, not saturation.
  std::uniform_int_distribution<int> cb(-4096, 4096);
  for (size_t c = 1; c < layer.codebook.size(); ++c)
    layer.codebook[c] = static_cast<int16_t>(cb(rng));
  layer.w_frac = 14;
  layer.relu = true;
  Network net;
  net.layers.push_back(std::move(layer));
  return net;
}

}  // namespace eie
