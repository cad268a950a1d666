// Golden inference against a straightforward dense reference written from docs/arithmetic.md.
#include "eie/inference.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "eie/error.h"
#include "test_util.h"

namespace eie {
namespace {

// The specification executed literally on a dense matrix: acc starts at the bias; non-zero
// activations in increasing column order; each step saturates; write-back saturates then ReLU.
std::vector<int16_t> dense_reference(const Layer& layer, const std::vector<int16_t>& x,
                                     uint64_t* saturations = nullptr) {
  const std::vector<uint8_t> codes = layer.weights.to_dense();
  const uint32_t rows = layer.outputs(), cols = layer.inputs();
  std::vector<int16_t> y(rows);
  for (uint32_t i = 0; i < rows; ++i) {
    int64_t acc = layer.bias.empty() ? 0 : layer.bias[i];
    for (uint32_t j = 0; j < cols; ++j) {
      const uint8_t code = codes[size_t{i} * cols + j];
      if (x[j] == 0 || code == 0) continue;
      const int64_t p = int64_t{x[j]} * layer.codebook[code];
      const int64_t s =
          layer.w_frac == 0 ? p : (p + (int64_t{1} << (layer.w_frac - 1))) >> layer.w_frac;
      acc += s;
      if (acc > std::numeric_limits<int32_t>::max() || acc < std::numeric_limits<int32_t>::min()) {
        acc = acc > 0 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min();
        if (saturations) ++*saturations;
      }
    }
    int64_t out = std::min<int64_t>(32767, std::max<int64_t>(-32768, acc));
    if (saturations && out != acc) ++*saturations;
    if (layer.relu && out < 0) out = 0;
    y[i] = static_cast<int16_t>(out);
  }
  return y;
}

// A random layer; `scale` widens the codebook, bias and activations to provoke saturation.
Layer random_layer(uint32_t rows, uint32_t cols, double density, std::mt19937_64& rng, bool wide) {
  Layer l;
  l.weights = test::random_code_matrix(rows, cols, density, rng);
  l.w_frac = static_cast<int>(rng() % 16);
  std::uniform_int_distribution<int> cb(wide ? -32768 : -3000, wide ? 32767 : 3000);
  for (int c = 1; c < kCodebookSize; ++c)
    l.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(cb(rng));
  if (rng() % 4 != 0) {
    std::uniform_int_distribution<int32_t> b(wide ? std::numeric_limits<int32_t>::min() : -20000,
                                             wide ? std::numeric_limits<int32_t>::max() : 20000);
    for (uint32_t i = 0; i < rows; ++i) l.bias.push_back(b(rng));
  }
  l.relu = rng() % 2 == 0;
  return l;
}

std::vector<int16_t> random_input(uint32_t n, double density, std::mt19937_64& rng, bool wide) {
  std::bernoulli_distribution nz(density);
  std::uniform_int_distribution<int> v(wide ? -32768 : -1024, wide ? 32767 : 1024);
  std::vector<int16_t> x(n);
  for (auto& a : x) a = nz(rng) ? static_cast<int16_t>(v(rng)) : int16_t{0};
  return x;
}

TEST(Inference, LayerMatchesDenseReferenceForAnyPeCount) {
  std::mt19937_64 rng(1602);
  // Sparse and dense inputs, narrow layers (where the kernel's plain adds are exact) and wide ones
  // (saturating): saturation must show in both input classes.
  uint64_t saturations_sparse = 0, saturations_dense = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const bool wide = trial % 3 == 0;
    const uint32_t rows = 1 + static_cast<uint32_t>(rng() % 150);
    const uint32_t cols = 1 + static_cast<uint32_t>(rng() % 150);
    Network net;
    net.layers.push_back(random_layer(rows, cols, 0.05 + 0.9 * (trial % 5) / 4.0, rng, wide));
    const bool dense_input = (trial / 5) % 2 == 1;
    const std::vector<int16_t> x = random_input(cols, dense_input ? 0.9 : 0.25, rng, wide);
    const std::vector<int16_t> expect =
        dense_reference(net.layers[0], x, dense_input ? &saturations_dense : &saturations_sparse);
    for (uint32_t n : {1u, 3u, 4u, 64u}) {
      const GoldenModel g(net, n);
      ASSERT_EQ(g.run_layer(0, x), expect) << "trial " << trial << " N " << n;
    }
  }
  EXPECT_GT(saturations_sparse, 0u) << "the wide sparse-input trials must exercise saturation";
  EXPECT_GT(saturations_dense, 0u) << "the wide dense-input trials must exercise saturation";
}

TEST(Inference, NetworkChainsLayersAndExposesEachOutput) {
  std::mt19937_64 rng(3);
  Network net;
  net.act_frac = 8;
  const std::vector<uint32_t> widths = {120, 60, 33, 10};
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    net.layers.push_back(random_layer(widths[l + 1], widths[l], 0.2, rng, false));
  }
  net.layers.back().relu = false;
  const std::vector<int16_t> x = random_input(120, 0.6, rng, false);
  const GoldenModel g(net, 8);
  std::vector<LayerWork> work;
  const auto outs = g.run(x, &work);
  ASSERT_EQ(outs.size(), 3u);
  std::vector<int16_t> ref = x;
  for (size_t l = 0; l < 3; ++l) {
    ref = dense_reference(net.layers[l], ref);
    EXPECT_EQ(outs[l], ref) << "layer " << l;
  }
  // Work: every entry of every column with a non-zero input is processed once.
  for (size_t l = 0; l < 3; ++l) {
    const std::vector<int16_t>& in = l == 0 ? x : outs[l - 1];
    uint64_t nz = 0, entries = 0;
    for (uint32_t j = 0; j < in.size(); ++j) {
      if (in[j] == 0) continue;
      ++nz;
      for (const PeSlice& s : g.packed(l).pe) entries += s.ptr[j + 1] - s.ptr[j];
    }
    EXPECT_EQ(work[l].nonzero_inputs, nz);
    EXPECT_EQ(work[l].total_entries(), entries);
    EXPECT_GE(work[l].max_entries() * 8, entries);
  }
}

TEST(Inference, PaddingEntriesAddNothing) {
  // One weight 40 rows down a column on one PE: two padding entries precede it.
  std::vector<uint8_t> dense(50, 0);
  dense[40] = 1;
  Network net;
  Layer l;
  l.weights = CodeMatrix::from_dense(50, 1, dense);
  l.codebook[1] = 3;
  l.w_frac = 0;
  l.relu = false;
  l.bias.assign(50, -7);
  net.layers.push_back(l);
  const GoldenModel g(net, 1);
  ASSERT_EQ(g.packed(0).pe[0].padding(), 2u);
  const auto y = g.run_layer(0, {100});
  for (uint32_t i = 0; i < 50; ++i) EXPECT_EQ(y[i], i == 40 ? 293 : -7) << i;
}

TEST(Inference, RejectsWrongInputWidth) {
  std::mt19937_64 rng(5);
  Network net;
  net.layers.push_back(random_layer(4, 6, 0.5, rng, false));
  const GoldenModel g(net, 2);
  EXPECT_THROW(g.run_layer(0, std::vector<int16_t>(5, 1)), Error);
  EXPECT_THROW(GoldenModel(net, 0), Error);
}

TEST(Inference, ActivationConversion) {
  EXPECT_EQ(quantize_activations({1.0, -0.5, 0.001953125, 1000.0}, 8),
            (std::vector<int16_t>{256, -128, 1, 32767}));
  EXPECT_EQ(dequantize_activations({256, -128}, 8), (std::vector<double>{1.0, -0.5}));
  EXPECT_THROW(quantize_activations({NAN}, 8), Error);
}

}  // namespace
}  // namespace eie
