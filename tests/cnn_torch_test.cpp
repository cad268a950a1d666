// A convolutional network through the whole golden chain, checked by PyTorch itself: the
// TorchScript reader, weight sharing and the fixed-point convolution, pooling and flatten of
// docs/arithmetic.md against the same module's forward with the shared weights put back. Only
// activation rounding (act_frac bits) may separate the two, so a kernel matrix in the wrong column
// order, a patch off by a row or a tensor flattened in the wrong order shows at once.
#include <gtest/gtest.h>
#include <torch/script.h>

#include <cmath>
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

}  // namespace
}  // namespace eie
