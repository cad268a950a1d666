// The golden model's convolutional and recurrent layers checked by PyTorch itself.
// A convolutional network through the whole golden chain: the TorchScript reader, weight sharing
// and the fixed-point convolution, pooling and flatten of docs/arithmetic.md against the same
// module's forward with the shared weights put back. Only activation rounding (act_frac bits) may
// separate the two, so a kernel matrix in the wrong column order, a patch off by a row or a tensor
// flattened in the wrong order shows at once.
// An LSTM layer: the fixed-point step (gate matrix, interpolated sigmoid and tanh, cell and hidden
// update) against torch::nn::LSTM with the same shared weights, so gates in the wrong order or
// h and x swapped in the gate matrix's columns show at once.
#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "eie/compress.h"
#include "eie/inference.h"
#include "eie/npy.h"
#include "eie/torchscript.h"

namespace eie {
namespace {

std::string fixture(const std::string& name) {
  return std::string(EIE_TORCHSCRIPT_DIR) + "/" + name;
}

TEST(CnnAgainstPyTorch, FixedPointForwardMatchesTheModuleWithSharedWeights) {
  const std::string path = fixture("lenet_like.pt");
  const std::vector<FloatLayer> floats = read_torchscript(path, TensorShape{1, 12, 12});
  Network net;
  net.act_frac = 10;
  for (const FloatLayer& f : floats) {
    const SharedWeights shared =
        f.has_weights() ? share_weights(f, Mask(f.weights.size(), 1), 15, KmeansInit::kLinear, 1)
                        : SharedWeights{};
    net.layers.push_back(to_fixed_layer(f, shared, net.act_frac));
  }
  ASSERT_NO_THROW(net.validate());

  // The module with every weighted layer's parameters replaced by what the fixed-point layer
  // holds: its codebook's values and its int32 bias.
  torch::jit::Module module = torch::jit::load(path);
  torch::NoGradGuard no_grad;
  for (const Layer& layer : net.layers) {
    if (!layer.has_weights()) continue;
    torch::jit::Module m = module.attr(layer.name).toModule();
    torch::Tensor w = m.attr("weight").toTensor();
    const std::vector<float> decoded = decode_weights(layer);
    w.copy_(torch::from_blob(const_cast<float*>(decoded.data()), w.sizes(), torch::kFloat32));
    torch::Tensor b = m.attr("bias").toTensor();
    for (int64_t i = 0; i < b.size(0); ++i) {
      b[i] = static_cast<float>(std::ldexp(layer.bias[static_cast<size_t>(i)], -net.act_frac));
    }
  }
  module.eval();

  const NpyArray x = read_npy(fixture("lenet_like_x.npy"));  // 2 x 144, values in [0, 1)
  const GoldenModel golden(net, 4);
  double worst = 0, scale = 0;
  for (size_t s = 0; s < x.shape[0]; ++s) {
    std::vector<double> sample(x.values.begin() + static_cast<long>(s * 144),
                               x.values.begin() + static_cast<long>((s + 1) * 144));
    std::vector<float> as_float(sample.begin(), sample.end());
    const std::vector<double> y = dequantize_activations(
        golden.run(quantize_activations(sample, net.act_frac)).back(), net.act_frac);
    const torch::Tensor in = torch::from_blob(as_float.data(), {1, 1, 12, 12}, torch::kFloat32);
    const torch::Tensor ref = module.forward({in}).toTensor().contiguous();
    ASSERT_EQ(static_cast<size_t>(ref.numel()), y.size());
    for (size_t i = 0; i < y.size(); ++i) {
      const double r = ref.data_ptr<float>()[i];
      worst = std::max(worst, std::abs(y[i] - r));
      scale = std::max(scale, std::abs(r));
    }
  }
  // Rounding each activation to 2^-10 moves an output by a few thousandths; a layout error by
  // the outputs' own size.
  EXPECT_GT(scale, 0.05);
  EXPECT_LT(worst, 0.01) << "largest output " << scale;
}

TEST(LstmAgainstPyTorch, FixedPointStepsMatchNnLstmWithSharedWeights) {
  constexpr uint32_t kSteps = 7, kInput = 5, kHidden = 9;
  std::mt19937_64 rng(19);
  std::normal_distribution<float> weight(0.0f, 0.6f);
  FloatLayer f;
  f.kind = LayerKind::kLstm;
  f.name = "lstm";
  f.relu = false;
  f.sequence = {kSteps, kInput, kHidden};
  f.rows = 4 * kHidden;
  f.cols = kInput + kHidden;
  for (uint32_t i = 0; i < f.rows * f.cols; ++i) f.weights.push_back(weight(rng));
  for (uint32_t i = 0; i < f.rows; ++i) f.bias.push_back(0.5f * weight(rng));
  Network net;
  net.act_frac = 12;
  net.layers.push_back(to_fixed_layer(
      f, share_weights(f, Mask(f.weights.size(), 1), 15, KmeansInit::kLinear, 1), net.act_frac));
  const Layer& layer = net.layers[0];

  // nn.LSTM with the shared weights: weight_ih the gate matrix's first kInput columns, weight_hh
  // the rest, the fixed-point bias in bias_ih and none in bias_hh.
  torch::nn::LSTM lstm(torch::nn::LSTMOptions(kInput, kHidden).batch_first(true));
  torch::NoGradGuard no_grad;
  const std::vector<float> w = decode_weights(layer);
  const torch::Tensor gates =
      torch::from_blob(const_cast<float*>(w.data()), {f.rows, f.cols}, torch::kFloat32);
  lstm->named_parameters()["weight_ih_l0"].copy_(gates.slice(1, 0, kInput));
  lstm->named_parameters()["weight_hh_l0"].copy_(gates.slice(1, kInput));
  torch::Tensor b = lstm->named_parameters()["bias_ih_l0"];
  for (uint32_t i = 0; i < f.rows; ++i) b[i] = std::ldexp(float(layer.bias[i]), -net.act_frac);
  lstm->named_parameters()["bias_hh_l0"].zero_();

  std::uniform_real_distribution<double> pixel(0.0, 1.0);
  const GoldenModel golden(net, 4);
  double worst = 0, scale = 0;
  for (int s = 0; s < 8; ++s) {
    std::vector<double> x(kSteps * kInput);
    for (double& v : x) v = pixel(rng);
    const std::vector<double> h = dequantize_activations(
        golden.run(quantize_activations(x, net.act_frac)).back(), net.act_frac);
    const std::vector<float> xf(x.begin(), x.end());
    const torch::Tensor in =
        torch::from_blob(const_cast<float*>(xf.data()), {1, kSteps, kInput}, torch::kFloat32);
    const torch::Tensor ref = std::get<0>(lstm->forward(in)).select(1, kSteps - 1).contiguous();
    ASSERT_EQ(static_cast<size_t>(ref.numel()), h.size());
    for (size_t i = 0; i < h.size(); ++i) {
      worst = std::max(worst, std::abs(h[i] - double{ref.data_ptr<float>()[i]}));
      scale = std::max(scale, std::abs(double{ref.data_ptr<float>()[i]}));
    }
  }
  // Seven steps of 2^-12 rounding and the table's 2e-4 move h by thousandths; a gate in the
  // wrong place moves it by its own size.
  EXPECT_GT(scale, 0.3);
  EXPECT_LT(worst, 0.01) << "largest hidden value " << scale;
}

}  // namespace
}  // namespace eie
