// The TorchScript reader (eie/torchscript.h) on the fixtures tests/torchscript/make_fixtures.py
// writes with PyTorch: what it accepts, layer by layer against the weights PyTorch saved as .npy,
// and what it refuses, with the message naming the file and the module.
#include "eie/torchscript.h"

#include <gtest/gtest.h>

#include <filesystem>
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

void expect_refused(const std::string& name, const std::string& needle) {
  try {
    read_torchscript(fixture(name));
    ADD_FAILURE() << name << " was accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(fixture(name)), std::string::npos) << what;
    EXPECT_NE(what.find(needle), std::string::npos) << what;
  }
}

TEST(TorchScript, RefusesWhatItCannotRepresentNamingTheModule) {
  expect_refused("functional.pt", "computes aten::relu itself");
  expect_refused("conv.pt", "module '0' is a Conv2d");
  expect_refused("unchained.pt", "Linear '2' takes 10 inputs but Linear '0' before it has 12");
  expect_refused("empty.pt", "ReLU '0' comes before any Linear layer");
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
