#include "stimulus/scenarios.h"

#include <algorithm>
#include <cmath>

#include "eie/error.h"

namespace eie::tb {

namespace {

int32_t uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return static_cast<int32_t>(std::uniform_int_distribution<int64_t>(lo, hi)(rng));
}

// Codebook, w_frac, bias and ReLU of a layer whose index matrix is already set.
void fill_layer(Layer& layer, bool wide, bool relu, std::mt19937_64& rng) {
  const int64_t cb = wide ? 32767 : 4096;
  for (size_t c = 1; c < layer.codebook.size(); ++c) {
    layer.codebook[c] = static_cast<int16_t>(uniform(rng, -cb, cb));
  }
  layer.w_frac = wide ? uniform(rng, 0, 15) : uniform(rng, 10, 15);
  layer.bias.clear();
  if (rng() % 4 != 0) {
    const int64_t b = wide ? (int64_t{1} << 31) - 1 : 4096;
    for (uint32_t i = 0; i < layer.outputs(); ++i) layer.bias.push_back(uniform(rng, -b, b));
  }
  layer.relu = relu;
}

CodeMatrix random_codes(uint32_t rows, uint32_t cols, double density, std::mt19937_64& rng,
                        uint32_t only_pe = UINT32_MAX, uint32_t num_pe = 1) {
  std::bernoulli_distribution keep(density);
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (uint32_t i = 0; i < rows; ++i) {
    if (only_pe != UINT32_MAX && i % num_pe != only_pe) continue;
    for (uint32_t j = 0; j < cols; ++j) {
      if (keep(rng)) dense[size_t{i} * cols + j] = static_cast<uint8_t>(uniform(rng, 1, 15));
    }
  }
  return CodeMatrix::from_dense(rows, cols, dense);
}

Network chain(const ScenarioOptions& o, std::mt19937_64& rng, uint32_t only_pe) {
  require(o.sizes.size() >= 2, "scenario '{}' needs --sizes with at least two widths", o.name);
  Network net;
  for (size_t l = 0; l + 1 < o.sizes.size(); ++l) {
    Layer layer;
    layer.name = "fc" + std::to_string(l + 1);
    layer.weights =
        random_codes(o.sizes[l + 1], o.sizes[l], o.weight_density, rng, only_pe, o.num_pe);
    fill_layer(layer, o.wide, l + 2 < o.sizes.size() || o.relu_last, rng);
    net.layers.push_back(layer);
  }
  return net;
}

// The EIE paper's 16 x 8 example matrix (Fig. 2): PE0 of 4 holds the weights of Fig. 3.
Network paper_example(std::mt19937_64& rng) {
  const uint32_t pe0[][2] = {{0, 0}, {8, 0}, {12, 0}, {4, 1}, {0, 2}, {12, 2}, {0, 4},
                             {4, 4}, {0, 5}, {12, 5}, {0, 6}, {8, 7}, {12, 7}};
  const uint32_t others[][2] = {{1, 0}, {5, 1},  {2, 2}, {15, 3}, {9, 3},
                                {3, 4}, {13, 6}, {6, 7}, {11, 7}};
  std::vector<uint8_t> dense(16 * 8, 0);
  uint8_t code = 1;
  for (const auto& rc : pe0) dense[rc[0] * 8 + rc[1]] = code++;
  for (const auto& rc : others) dense[rc[0] * 8 + rc[1]] = static_cast<uint8_t>(14 + rc[0] % 2);
  Network net;
  Layer layer;
  layer.name = "paper";
  layer.weights = CodeMatrix::from_dense(16, 8, dense);
  fill_layer(layer, false, true, rng);
  net.layers.push_back(layer);
  return net;
}

// Columns whose non-zeros in every PE are separated by zero runs of 15, 16, 31, 32 and 100
// local rows: padding entries of every count from 0 to 6.
Network padding(uint32_t n, std::mt19937_64& rng) {
  const uint32_t gaps[] = {15, 16, 31, 32, 100};
  const uint32_t local_rows = 1 + 15 + 1 + 16 + 1 + 31 + 1 + 32 + 1 + 100 + 1;
  const uint32_t rows = local_rows * n, cols = 12;
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (uint32_t j = 0; j < cols; ++j) {
    for (uint32_t k = 0; k < n; ++k) {
      uint32_t local = j % 3;  // columns start at different offsets
      for (size_t g = 0; g <= 5 && local < local_rows; ++g) {
        dense[size_t{local * n + k} * cols + j] = static_cast<uint8_t>(uniform(rng, 1, 15));
        if (g < 5) local += gaps[(g + j) % 5] + 1;
      }
    }
  }
  Network net;
  Layer layer;
  layer.name = "padding";
  layer.weights = CodeMatrix::from_dense(rows, cols, dense);
  fill_layer(layer, false, false, rng);
  net.layers.push_back(layer);
  return net;
}

// Every product is an exact half after the shift (odd x 2^(w_frac-1)), of both signs: the
// rounding rule (half up, not half away from zero) decides every output.
Scenario rounding(std::mt19937_64& rng) {
  const int f = uniform(rng, 1, 15);
  const int32_t half = 1 << (f - 1);
  const uint32_t rows = 60, cols = 16;
  Layer layer;
  layer.name = "rounding";
  layer.w_frac = f;
  layer.relu = false;
  const int32_t max_odd = std::max<int32_t>(1, 32767 / half);
  for (size_t c = 1; c < layer.codebook.size(); ++c) {
    int32_t m = uniform(rng, 0, (max_odd - 1) / 2) * 2 + 1;  // odd, |m * half| <= 32767
    layer.codebook[c] = static_cast<int16_t>((c % 2 ? 1 : -1) * m * half);
  }
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (uint32_t i = 0; i < rows; ++i) {
    for (int e = 0; e < 1 + static_cast<int>(i % 3); ++e) {  // 1 to 3 entries per row
      dense[size_t{i} * cols + static_cast<uint32_t>(uniform(rng, 0, cols - 1))] =
          static_cast<uint8_t>(uniform(rng, 1, 15));
    }
  }
  layer.weights = CodeMatrix::from_dense(rows, cols, dense);
  Scenario s;
  s.net.layers.push_back(layer);
  std::vector<int16_t> x(cols);
  for (auto& a : x) a = static_cast<int16_t>((rng() % 2 ? 1 : -1) * (2 * uniform(rng, 0, 2) + 1));
  s.inputs.push_back(x);
  return s;
}

// Rows whose partial sums hit the int32 rail and come back: only per-step saturation in column
// order gives the specified result (docs/arithmetic.md, "Saturating accumulation").
Network saturation_order() {
  const uint32_t rows = 4, cols = 10;
  Layer layer;
  layer.name = "sat_order";
  layer.w_frac = 0;
  layer.relu = false;
  layer.codebook[1] = 16384;   // with a = 16384: +2^28 per step
  layer.codebook[2] = -16384;  // -2^28 per step
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (uint32_t i = 0; i < rows; ++i) {
    for (uint32_t j = 0; j < 9; ++j) {
      const bool positive = (i % 2 == 0) ? j == 0 : j == 8;  // rail first, or last
      dense[size_t{i} * cols + j] = positive ? 1 : 2;
    }
    layer.bias.push_back(static_cast<int32_t>((int64_t{1} << 31) - (int64_t{1} << 28) + 5 + i));
  }
  layer.weights = CodeMatrix::from_dense(rows, cols, dense);
  Network net;
  net.layers.push_back(layer);
  return net;
}

}  // namespace

std::vector<int16_t> random_activations(uint32_t n, double density, bool wide,
                                        std::mt19937_64& rng) {
  std::bernoulli_distribution nz(density);
  const int64_t range = wide ? 32767 : 1024;
  std::vector<int16_t> x(n, 0);
  for (auto& a : x) {
    if (!nz(rng)) continue;
    while (a == 0) a = static_cast<int16_t>(uniform(rng, wide ? -32768 : -range, range));
  }
  return x;
}

Scenario make_scenario(const ScenarioOptions& o, uint32_t inferences, std::mt19937_64& rng) {
  Scenario s;
  if (o.name == "random" || o.name == "empty-cols") {
    s.net = chain(o, rng, UINT32_MAX);
    if (o.name == "empty-cols") {
      // Keep weights only in columns j with j % 7 in {0, 4}: runs of 3 empty columns, and empty
      // columns at the start of every PE's slice.
      for (Layer& layer : s.net.layers) {
        std::vector<uint8_t> dense = layer.weights.to_dense();
        for (uint32_t i = 0; i < layer.outputs(); ++i) {
          for (uint32_t j = 0; j < layer.inputs(); ++j) {
            if (j % 7 != 0 && j % 7 != 4) dense[size_t{i} * layer.inputs() + j] = 0;
          }
        }
        layer.weights = CodeMatrix::from_dense(layer.outputs(), layer.inputs(), dense);
      }
    }
  } else if (o.name == "imbalance") {
    s.net = chain(o, rng, 0);  // every weight in a row that PE 0 owns
  } else if (o.name == "paper") {
    s.net = paper_example(rng);
  } else if (o.name == "padding") {
    s.net = padding(o.num_pe, rng);
  } else if (o.name == "benchmark") {
    const BenchmarkLayer& b = find_benchmark_layer(o.layer);
    s.net = make_benchmark_layer(b, o.skewed, rng);
    for (uint32_t i = 0; i < inferences; ++i) {
      s.inputs.push_back(random_activations(b.inputs, b.act_density, false, rng));
    }
    return s;
  } else if (o.name == "rounding") {
    Scenario r = rounding(rng);
    while (r.inputs.size() < inferences) r.inputs.push_back(r.inputs.front());
    return r;
  } else if (o.name == "sat-order") {
    s.net = saturation_order();
    for (uint32_t i = 0; i < inferences; ++i) s.inputs.emplace_back(s.net.inputs(), 16384);
    return s;
  } else {
    fail(
        "unknown scenario '{}' (random, empty-cols, imbalance, paper, padding, rounding, "
        "sat-order)",
        o.name);
  }
  for (uint32_t i = 0; i < inferences; ++i) {
    s.inputs.push_back(random_activations(s.net.inputs(), o.act_density, o.wide, rng));
  }
  return s;
}

}  // namespace eie::tb
