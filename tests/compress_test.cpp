// Quantization and fixed-point conversion (Deep Compression's second stage) and the whole
// pipeline from float weights to bit-exact inference.
#include "eie/compress.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "eie/error.h"
#include "eie/fixed_point.h"
#include "eie/inference.h"

namespace eie {
namespace {

FloatLayer random_float_layer(uint32_t rows, uint32_t cols, std::mt19937_64& rng) {
  FloatLayer l;
  l.name = "fc";
  l.rows = rows;
  l.cols = cols;
  std::normal_distribution<float> w(0.0f, 0.1f);
  for (size_t i = 0; i < size_t{rows} * cols; ++i) l.weights.push_back(w(rng));
  for (uint32_t i = 0; i < rows; ++i) l.bias.push_back(w(rng));
  return l;
}

TEST(Compress, SharedWeightsIndexTheKeptWeightsOnly) {
  std::mt19937_64 rng(1);
  const FloatLayer l = random_float_layer(40, 30, rng);
  const Mask mask = prune_by_density(l.weights, 0.2);
  const SharedWeights s = share_weights(l, mask, 15, KmeansInit::kLinear, 1);
  EXPECT_EQ(s.codes.nnz(), count_kept(mask));
  EXPECT_LE(s.centroids.size(), 15u);
  const std::vector<uint8_t> dense = s.codes.to_dense();
  for (size_t i = 0; i < mask.size(); ++i) {
    ASSERT_EQ(dense[i] != 0, mask[i] != 0) << i;
    if (dense[i] == 0) continue;
    // Each weight sits with its nearest centroid.
    const double mine = std::fabs(l.weights[i] - s.centroids[dense[i] - 1]);
    for (double c : s.centroids) EXPECT_LE(mine, std::fabs(l.weights[i] - c) + 1e-12);
  }
}

TEST(Compress, AssignToAGivenCodebook) {
  FloatLayer l;
  l.rows = 2;
  l.cols = 3;
  l.weights = {0.0f, 0.26f, -0.9f, 0.74f, 0.0f, 0.5f};
  const SharedWeights s = assign_to_codebook(l, {-1.0, 0.25, 0.75});
  EXPECT_EQ(s.codes.to_dense(), (std::vector<uint8_t>{0, 2, 1, 3, 0, 2}));  // 0.5 ties low
  Mask mask = {1, 0, 0, 0, 0, 0};  // a mask can keep a zero weight and drop others
  EXPECT_EQ(assign_to_codebook(l, {-1.0, 0.25, 0.75}, &mask).codes.to_dense(),
            (std::vector<uint8_t>{2, 0, 0, 0, 0, 0}));
  EXPECT_THROW(assign_to_codebook(l, {}), Error);
  EXPECT_THROW(assign_to_codebook(l, std::vector<double>(16, 0.0)), Error);
}

TEST(Compress, FixedPointLayerUsesTheChosenWFrac) {
  FloatLayer l;
  l.rows = 1;
  l.cols = 2;
  l.weights = {1.5f, -0.25f};
  l.bias = {0.5f};
  SharedWeights s = assign_to_codebook(l, {-0.25, 1.5});
  const Layer f = to_fixed_layer(l, s, 8);
  EXPECT_EQ(f.w_frac, 14);  // 1.5 * 2^14 = 24576 fits, 2^15 does not
  EXPECT_EQ(f.codebook[0], 0);
  EXPECT_EQ(f.codebook[1], -4096);
  EXPECT_EQ(f.codebook[2], 24576);
  EXPECT_EQ(f.bias, (std::vector<int32_t>{128}));
  EXPECT_EQ(decode_weights(f), (std::vector<float>{1.5f, -0.25f}));
}

TEST(Compress, RejectsBadLayers) {
  std::mt19937_64 rng(2);
  FloatLayer l = random_float_layer(3, 4, rng);
  const Mask mask(12, 1);
  EXPECT_THROW(share_weights(l, Mask(11, 1), 15, KmeansInit::kLinear, 1), Error);
  EXPECT_THROW(share_weights(l, mask, 16, KmeansInit::kLinear, 1), Error);
  EXPECT_THROW(share_weights(l, mask, 0, KmeansInit::kLinear, 1), Error);
  l.weights[5] = NAN;
  EXPECT_THROW(share_weights(l, mask, 15, KmeansInit::kLinear, 1), Error);
  l = random_float_layer(3, 4, rng);
  l.bias.pop_back();
  EXPECT_THROW(l.validate(), Error);
  l = random_float_layer(3, 4, rng);
  SharedWeights huge = assign_to_codebook(l, {40000.0});
  EXPECT_THROW(to_fixed_layer(l, huge, 8), Error);
}

TEST(Compress, CompressedNetworkTracksTheFloatNetwork) {
  // The whole chain on a random two-layer network: the fixed-point output of the compressed
  // network is close to the float computation with the same shared weights.
  std::mt19937_64 rng(3);
  FloatLayer l1 = random_float_layer(64, 100, rng);
  FloatLayer l2 = random_float_layer(10, 64, rng);
  l2.relu = false;
  Network net;
  net.act_frac = 8;
  for (FloatLayer* l : {&l1, &l2}) {
    const Mask mask = prune_by_density(l->weights, 0.3);
    net.layers.push_back(
        to_fixed_layer(*l, share_weights(*l, mask, 15, KmeansInit::kLinear, 1), 8));
  }
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> x(100);
  for (double& v : x) v = u(rng) < 0.5 ? 0.0 : u(rng);
  // Float reference with the decoded shared weights.
  std::vector<double> h = x;
  for (size_t li = 0; li < 2; ++li) {
    const Layer& layer = net.layers[li];
    const std::vector<float> w = decode_weights(layer);
    std::vector<double> y(layer.outputs());
    for (uint32_t i = 0; i < layer.outputs(); ++i) {
      double acc = from_fixed(layer.bias[i], 8);
      for (uint32_t j = 0; j < layer.inputs(); ++j) acc += w[size_t{i} * layer.inputs() + j] * h[j];
      y[i] = layer.relu ? std::max(acc, 0.0) : acc;
    }
    h = y;
  }
  const GoldenModel g(net, 4);
  const std::vector<double> got =
      dequantize_activations(g.run(quantize_activations(x, 8)).back(), 8);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], h[i], 0.05) << i;
}

}  // namespace
}  // namespace eie
