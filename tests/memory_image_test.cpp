// The host-side memory image (docs/hardware.md, "Memory image"): layout per PE and the loader's
// refusal of networks that do not fit the configured memories.
#include "eie/memory_image.h"

#include <gtest/gtest.h>

#include <random>

#include "eie/error.h"
#include "test_util.h"

namespace eie {
namespace {

Network two_layers(std::mt19937_64& rng) {
  Network net;
  for (auto [rows, cols] : {std::pair<uint32_t, uint32_t>{30, 41}, {7, 30}}) {
    Layer l;
    l.name = "fc" + std::to_string(net.layers.size() + 1);
    l.weights = test::random_code_matrix(rows, cols, 0.3, rng);
    for (int c = 1; c < 16; ++c) l.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 11);
    l.w_frac = 9;
    if (net.layers.empty()) {
      for (uint32_t i = 0; i < rows; ++i) l.bias.push_back(static_cast<int32_t>(i) - 15);
    }
    l.relu = net.layers.empty();
    net.layers.push_back(l);
  }
  return net;
}

HwConfig small_config() {
  HwConfig c;
  c.num_pe = 4;
  c.spmat_depth = 64;
  c.ptr_depth = 128;
  c.act_depth = 16;
  c.bias_depth = 16;
  c.max_layers = 4;
  return c;
}

TEST(MemoryImage, LaysOutEveryLayerPerPe) {
  std::mt19937_64 rng(1);
  const Network net = two_layers(rng);
  const MemoryImage img = build_memory_image(net, small_config());
  ASSERT_EQ(img.layers.size(), 2u);
  ASSERT_EQ(img.pe.size(), 4u);
  // Pointer bases: layer 1 uses 42 pointers (0..41), layer 2 starts at the next even index.
  EXPECT_EQ(img.layers[0].ptr_base, 0u);
  EXPECT_EQ(img.layers[1].ptr_base, 42u);
  EXPECT_EQ(img.layers[0].bias_base, 0u);
  EXPECT_TRUE(img.layers[0].has_bias);
  EXPECT_FALSE(img.layers[1].has_bias);
  EXPECT_EQ(img.pe[0].bias.size(), 8u);  // ceil(30 / 4) local rows of layer 1
  for (uint32_t k = 0; k < 4; ++k) {
    const PeImage& pe = img.pe[k];
    // Decode each layer's slice back from the image: words -> entries, absolute pointers.
    for (size_t l = 0; l < 2; ++l) {
      const LayerDescriptor& d = img.layers[l];
      const PackedLayer packed = pack(net.layers[l].weights, 4);
      const uint32_t offset = pe.pointers[d.ptr_base];
      for (uint32_t j = 0; j <= d.cols; ++j) {
        ASSERT_EQ(pe.pointers[d.ptr_base + j] - offset, packed.pe[k].ptr[j]) << k << " " << l;
      }
      for (uint32_t e = 0; e < packed.pe[k].entries.size(); ++e) {
        const uint32_t at = offset + e;
        ASSERT_EQ((pe.spmat[at / 8] >> (8 * (at % 8))) & 0xFF, packed.pe[k].entries[e]);
      }
    }
    for (uint32_t r = 0; r < 8; ++r) {
      const uint32_t i = r * 4 + k;
      EXPECT_EQ(pe.bias[r], i < 30 ? static_cast<int32_t>(i) - 15 : 0);
    }
  }
  // Layer 2's entries start at the first word after layer 1's in every PE, the bytes between 0.
  for (uint32_t k = 0; k < 4; ++k) {
    const uint32_t end1 = img.pe[k].pointers[img.layers[0].ptr_base + img.layers[0].cols];
    const uint32_t start2 = img.pe[k].pointers[img.layers[1].ptr_base];
    EXPECT_EQ(start2, (end1 + 7) / 8 * 8) << k;
    for (uint32_t at = end1; at < start2; ++at)
      EXPECT_EQ((img.pe[k].spmat[at / 8] >> (8 * (at % 8))) & 0xFF, 0u);
  }
  EXPECT_NE(img.pe[1].pointers[41] % 8, 0u);  // the case the word alignment is about
}

TEST(MemoryImage, DescriptorWords) {
  LayerDescriptor d;
  d.rows = 0x123456;
  d.cols = 0xABCDEF;
  d.w_frac = 13;
  d.relu = true;
  d.has_bias = true;
  d.ptr_base = 0x000102;
  d.bias_base = 0x000304;
  EXPECT_EQ(d.word0(), 0x003DABCDEF123456ull);
  EXPECT_EQ(d.word1(), 0x0000000304000102ull);
}

TEST(MemoryImage, ActivePesChangeTheInterleaving) {
  std::mt19937_64 rng(2);
  const Network net = two_layers(rng);
  HwConfig c = small_config();
  c.bias_depth = 32;  // 10 local rows of layer 1's biases in the lower half
  c.active_pe = 3;
  const MemoryImage img = build_memory_image(net, c);
  EXPECT_EQ(img.pe.size(), 3u);
  EXPECT_EQ(img.pe[0].bias.size(), 10u);  // ceil(30 / 3)
  EXPECT_EQ(locate_activation(29, 3).pe, 2u);
  EXPECT_EQ(locate_activation(29, 3).local, 9u);
  c.active_pe = 5;
  EXPECT_THROW(build_memory_image(net, c), Error);
}

TEST(MemoryImage, RefusesNetworksThatDoNotFit) {
  std::mt19937_64 rng(3);
  const Network net = two_layers(rng);
  const auto expect_refusal = [&](const HwConfig& c, const std::string& needle) {
    test::expect_error([&] { build_memory_image(net, c); }, needle);
  };
  HwConfig c = small_config();
  c.act_depth = 10;  // 41 inputs need 11 per PE
  expect_refusal(c, "activation registers per PE");
  c = small_config();
  c.ptr_depth = 60;
  expect_refusal(c, "(PtrDepth)");
  c = small_config();
  c.spmat_depth = 2;
  expect_refusal(c, "(SpmatDepth)");
  c = small_config();
  c.bias_depth = 8;  // layer 1's 8 local rows of biases, 4 for the odd-numbered layers
  expect_refusal(c, "(BiasDepth)");
  c.bias_depth = 12;
  expect_refusal(c, "not a power of two");
  c = small_config();
  c.max_layers = 1;
  expect_refusal(c, "(MaxLayers)");
  c = small_config();
  c.ptr_depth = 7;
  expect_refusal(c, "pointer depth even");
}

}  // namespace
}  // namespace eie
