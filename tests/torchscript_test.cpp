// The TorchScript reader (eie/torchscript.h) on the fixtures tests/torchscript/make_fixtures.py
// writes with PyTorch: what it accepts, layer by layer against the weights PyTorch saved as .npy,
// and what it refuses, with the message naming the file and the module.
#include "eie/torchscript.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "eie/error.h"
#include "eie/npy.h"

namespace eie {
namespace {

std::string fixture(const std::string& name) {
  return std::string(EIE_TORCHSCRIPT_DIR) + "/" + name;
}

// The layer equals the .npy weights (and bias, when the file exists) PyTorch saved.
void expect_layer(const FloatLayer& l, const std::string& w, const std::string& b) {
  const NpyArray weights = read_npy(fixture(w));
  ASSERT_EQ(weights.shape, (std::vector<size_t>{l.rows, l.cols})) << l.name;
  for (size_t i = 0; i < weights.size(); ++i) {
    ASSERT_EQ(l.weights[i], static_cast<float>(weights.values[i])) << l.name << " " << i;
  }
  if (b.empty()) {
    EXPECT_TRUE(l.bias.empty()) << l.name;
    return;
  }
  const NpyArray bias = read_npy(fixture(b));
  ASSERT_EQ(bias.size(), l.bias.size()) << l.name;
  for (size_t i = 0; i < bias.size(); ++i) EXPECT_EQ(l.bias[i], static_cast<float>(bias.values[i]));
}

TEST(TorchScript, ReadsSequentialLayersWithTheirReLUs) {
  const std::vector<FloatLayer> l = read_torchscript(fixture("mlp.pt"));
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].name, "0");
  EXPECT_EQ(l[2].name, "4");
  EXPECT_TRUE(l[0].relu);
  EXPECT_TRUE(l[1].relu);
  EXPECT_FALSE(l[2].relu);  // no nn.ReLU after the last Linear
  expect_layer(l[0], "mlp_w1.npy", "mlp_b1.npy");
  expect_layer(l[1], "mlp_w2.npy", "mlp_b2.npy");
  expect_layer(l[2], "mlp_w3.npy", "mlp_b3.npy");
}

TEST(TorchScript, ReadsNestedContainersDropoutAndBiasFreeLayers) {
  const std::vector<FloatLayer> l = read_torchscript(fixture("nested.pt"));
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].name, "0.0");
  EXPECT_EQ(l[1].name, "2");
  EXPECT_TRUE(l[0].relu);
  EXPECT_TRUE(l[1].relu);  // the model ends with nn.ReLU
  expect_layer(l[0], "nested_w1.npy", "nested_b1.npy");
  expect_layer(l[1], "nested_w2.npy", "");
}

TEST(TorchScript, ReadsACustomModuleThatCallsItsChildrenInOrder) {
  const std::vector<FloatLayer> l = read_torchscript(fixture("named.pt"));
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].name, "fc1");
  EXPECT_TRUE(l[0].relu);
  EXPECT_FALSE(l[1].relu);
  expect_layer(l[0], "named_w1.npy", "named_b1.npy");
  expect_layer(l[1], "named_w2.npy", "named_b2.npy");
}

void expect_refused(const std::string& name, const std::string& needle,
                    const std::optional<TensorShape>& input = std::nullopt) {
  try {
    read_torchscript(fixture(name), input);
    ADD_FAILURE() << name << " was accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(fixture(name)), std::string::npos) << what;
    EXPECT_NE(what.find(needle), std::string::npos) << what;
  }
}

TEST(TorchScript, RefusesWhatItCannotRepresentNamingTheModule) {
  expect_refused("functional.pt", "computes aten::relu itself");
  expect_refused("unchained.pt", "Linear '2' takes 10 inputs but '0' before it gives 12 (12x1x1)");
  expect_refused("empty.pt", "ReLU '0' comes before any Linear or Conv2d layer");
}

TEST(TorchScript, ReadsConvolutionPoolingAndFlatten) {
  const std::vector<FloatLayer> l =
      read_torchscript(fixture("lenet_like.pt"), TensorShape{1, 12, 12});
  ASSERT_EQ(l.size(), 5u);
  EXPECT_EQ(l[0].kind, LayerKind::kConv2d);
  EXPECT_EQ(l[0].name, "0");
  EXPECT_EQ(l[0].in_shape, (TensorShape{1, 12, 12}));
  EXPECT_EQ(l[0].window, (Window{5, 5, 1, 1, 0, 0}));
  EXPECT_TRUE(l[0].relu);
  EXPECT_EQ(l[1].kind, LayerKind::kMaxPool2d);
  EXPECT_EQ(l[1].name, "2");
  EXPECT_EQ(l[1].in_shape, (TensorShape{4, 8, 8}));
  EXPECT_EQ(l[1].window, (Window{2, 2, 2, 2, 0, 0}));
  EXPECT_FALSE(l[1].relu);
  EXPECT_EQ(l[2].kind, LayerKind::kConv2d);
  EXPECT_EQ(l[2].in_shape, (TensorShape{4, 4, 4}));
  EXPECT_EQ(l[2].window, (Window{3, 3, 1, 1, 1, 1}));
  EXPECT_TRUE(l[2].relu);  // the ReLU after the pooling that follows it
  EXPECT_EQ(l[3].kind, LayerKind::kMaxPool2d);
  EXPECT_EQ(l[3].shape().output_shape(), (TensorShape{6, 2, 2}));
  EXPECT_EQ(l[4].kind, LayerKind::kFullyConnected);
  EXPECT_EQ(l[4].name, "8");
  EXPECT_FALSE(l[4].relu);
  expect_layer(l[0], "lenet_like_w1.npy", "lenet_like_b1.npy");  // the kernel matrix, 4 x 25
  expect_layer(l[2], "lenet_like_w2.npy", "lenet_like_b2.npy");
  expect_layer(l[4], "lenet_like_w3.npy", "lenet_like_b3.npy");
  // A model that starts with a Linear needs no input shape; with one, it must agree.
  EXPECT_EQ(read_torchscript(fixture("conv.pt"), TensorShape{1, 4, 4}).size(), 2u);
}

TEST(TorchScript, RefusesConvolutionsItCannotRepresent) {
  expect_refused("conv.pt", "Conv2d '0' comes first, so the reader needs the input's shape");
  expect_refused("conv.pt", "Linear '2' takes 8 inputs but '0' before it gives 18 (18x1x1)",
                 TensorShape{1, 5, 5});
  expect_refused("lenet_like.pt", "does not fit the 4x4 input", TensorShape{1, 4, 4});
  expect_refused("conv_groups.pt", "Conv2d '0' has groups other than 1", TensorShape{2, 5, 5});
  expect_refused("conv_dilated.pt", "Conv2d '0' has dilation other than 1", TensorShape{1, 8, 8});
  expect_refused("pool_padded.pt", "MaxPool2d '1' pads its input", TensorShape{1, 8, 8});
  expect_refused("pool_ceil.pt", "MaxPool2d '1' sets ceil_mode", TensorShape{1, 8, 8});
  expect_refused("flatten_all.pt", "Flatten '1' must flatten dimensions 1 to -1",
                 TensorShape{1, 5, 5});
  expect_refused("conv_unchained.pt", "Conv2d '1' takes 3 input channels but its input is 2x6x6",
                 TensorShape{1, 8, 8});
  expect_refused("avgpool.pt", "module '1' is a AvgPool2d", TensorShape{1, 8, 8});
  expect_refused("lenet_traced.pt", "save the model with torch.jit.script", TensorShape{1, 12, 12});
}

TEST(TorchScript, RefusesFilesLibtorchCannotRead) {
  expect_refused("truncated.pt", "not a TorchScript file libtorch can read");
  expect_refused("garbage.pt", "not a TorchScript file libtorch can read");
  expect_refused("mlp_w1.npy", "not a TorchScript file libtorch can read");
  expect_refused("missing.pt", "cannot open for reading");
  try {
    read_torchscript(EIE_TORCHSCRIPT_DIR);
    ADD_FAILURE() << "a folder was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Is a directory"), std::string::npos) << e.what();
  }
}

TEST(TorchScript, FuzzCorpusAndFindingsAreReadOrRefusedCleanly) {
  // scripts/fuzz.sh's seeds and what it found: each input gives layers or eie::Error, and this
  // process survives even where libtorch stops its own (parser_throws_through_noexcept.pt).
  size_t files = 0;
  for (const char* dir : {"corpus", "regressions"}) {
    const std::filesystem::path at =
        std::filesystem::path(EIE_SOURCE_DIR) / "tests/fuzz" / dir / "torchscript";
    for (const auto& entry : std::filesystem::directory_iterator(at)) {
      ++files;
      try {
        for (const FloatLayer& l : read_torchscript(entry.path().string())) {
          EXPECT_EQ(l.weights.size(), size_t{l.rows} * l.cols) << entry.path();
        }
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(entry.path().string()), std::string::npos) << e.what();
      }
    }
  }
  EXPECT_GE(files, 6u);
}

}  // namespace
}  // namespace eie
