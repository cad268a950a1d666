// Golden inference against a straightforward dense reference written from docs/arithmetic.md.
#include "eie/inference.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "eie/error.h"
#include "eie/lstm.h"
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

// A random convolution or pooling geometry whose window fits its input.
Layer random_window_layer(LayerKind kind, std::mt19937_64& rng) {
  Layer l;
  l.kind = kind;
  const auto pick = [&](uint32_t lo, uint32_t hi) {
    return lo + static_cast<uint32_t>(rng() % (hi - lo + 1));
  };
  l.window = {pick(1, 4), pick(1, 4), pick(1, 3), pick(1, 3), 0, 0};
  if (kind == LayerKind::kConv2d) l.window.pad_h = pick(0, 2), l.window.pad_w = pick(0, 2);
  l.in_shape = {pick(1, 3), pick(l.window.kernel_h, 9), pick(l.window.kernel_w, 9)};
  return l;
}

// A convolution by its definition (docs/arithmetic.md, "Convolution"): output (o, oy, ox) is row
// o of the kernel matrix applied to the input values under the window at (oy, ox), in (channel,
// ky, kx) order, zero where the window covers padding.
std::vector<int16_t> direct_convolution(const Layer& conv, const std::vector<int16_t>& x) {
  Layer fc = conv;
  fc.kind = LayerKind::kFullyConnected;
  fc.in_shape = {};
  fc.window = {};
  const TensorShape out = conv.output_shape();
  const TensorShape& in = conv.in_shape;
  const Window& w = conv.window;
  std::vector<int16_t> y(out.size());
  for (uint32_t oy = 0; oy < out.height; ++oy) {
    for (uint32_t ox = 0; ox < out.width; ++ox) {
      std::vector<int16_t> patch;
      for (uint32_t c = 0; c < in.channels; ++c) {
        for (uint32_t ky = 0; ky < w.kernel_h; ++ky) {
          for (uint32_t kx = 0; kx < w.kernel_w; ++kx) {
            const int64_t py = int64_t{oy} * w.stride_h + ky;  // in padded coordinates
            const int64_t px = int64_t{ox} * w.stride_w + kx;
            const bool inside = py >= w.pad_h && py < w.pad_h + in.height && px >= w.pad_w &&
                                px < w.pad_w + in.width;
            patch.push_back(
                inside ? x[(c * in.height + static_cast<uint32_t>(py - w.pad_h)) * in.width +
                           static_cast<uint32_t>(px - w.pad_w)]
                       : int16_t{0});
          }
        }
      }
      const std::vector<int16_t> column = dense_reference(fc, patch);
      for (uint32_t o = 0; o < out.channels; ++o) {
        y[(o * out.height + oy) * out.width + ox] = column[o];
      }
    }
  }
  return y;
}

TEST(Inference, ConvolutionMatchesDirectReferenceForAnyPeCount) {
  std::mt19937_64 rng(1803);
  for (int trial = 0; trial < 60; ++trial) {
    Layer conv = random_window_layer(LayerKind::kConv2d, rng);
    const uint32_t patch = conv.in_shape.channels * conv.window.kernel_h * conv.window.kernel_w;
    const Layer weights = random_layer(1 + static_cast<uint32_t>(rng() % 6), patch,
                                       trial % 3 == 0 ? 1.0 : 0.4, rng, trial % 4 == 0);
    conv.weights = weights.weights;
    conv.codebook = weights.codebook;
    conv.w_frac = weights.w_frac;
    conv.bias = weights.bias;
    conv.relu = weights.relu;
    Network net;
    net.layers.push_back(conv);
    ASSERT_NO_THROW(net.validate()) << trial;
    const std::vector<int16_t> x = random_input(conv.inputs(), 0.6, rng, trial % 4 == 0);
    const std::vector<int16_t> want = direct_convolution(conv, x);
    for (uint32_t num_pe : {1u, 3u, 64u}) {
      const GoldenModel g(net, num_pe);
      LayerWork work;
      EXPECT_EQ(g.run_layer(0, x, &work), want) << "trial " << trial << ", " << num_pe << " PEs";
      // The work is that of one product per output position.
      uint64_t nz = 0;
      for (uint64_t pos = 0; pos < conv.positions(); ++pos) {
        for (int16_t v : conv_patch(conv, x, pos)) nz += v != 0;
      }
      EXPECT_EQ(work.nonzero_inputs, nz);
    }
  }
}

TEST(Inference, ConvolutionPatchesFollowTheKernelMatrixColumns) {
  // 1 x 3 x 3 input 1..9, 2x2 kernel, stride 1, padding 1: a 4 x 4 output; position 0's window
  // covers three padding values and input (0, 0); position 5 is the window at (1, 1).
  Layer conv;
  conv.kind = LayerKind::kConv2d;
  conv.in_shape = {1, 3, 3};
  conv.window = {2, 2, 1, 1, 1, 1};
  std::mt19937_64 rng(1);
  conv.weights = test::random_code_matrix(1, 4, 1.0, rng);
  const std::vector<int16_t> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(conv.output_shape(), (TensorShape{1, 4, 4}));
  EXPECT_EQ(conv_patch(conv, x, 0), (std::vector<int16_t>{0, 0, 0, 1}));
  EXPECT_EQ(conv_patch(conv, x, 5), (std::vector<int16_t>{1, 2, 4, 5}));
  EXPECT_EQ(conv_patch(conv, x, 15), (std::vector<int16_t>{9, 0, 0, 0}));
  // Two channels: the patch is channel 0's window, then channel 1's.
  conv.in_shape = {2, 3, 3};
  conv.window = {2, 2, 1, 1, 0, 0};
  std::vector<int16_t> two = x;
  for (int16_t v : x) two.push_back(static_cast<int16_t>(10 * v));
  EXPECT_EQ(conv_patch(conv, two, 3), (std::vector<int16_t>{5, 6, 8, 9, 50, 60, 80, 90}));
}

TEST(Inference, MaxPoolTakesEachWindowsLargest) {
  std::mt19937_64 rng(1804);
  for (int trial = 0; trial < 40; ++trial) {
    const Layer pool = random_window_layer(LayerKind::kMaxPool2d, rng);
    Layer checked = pool;
    checked.relu = false;
    ASSERT_NO_THROW(checked.validate()) << trial;
    const std::vector<int16_t> x = random_input(pool.inputs(), 0.7, rng, true);
    const std::vector<int16_t> y = max_pool(pool, x);
    const TensorShape out = pool.output_shape();
    ASSERT_EQ(y.size(), out.size());
    for (uint32_t c = 0; c < out.channels; ++c) {
      for (uint32_t oy = 0; oy < out.height; ++oy) {
        for (uint32_t ox = 0; ox < out.width; ++ox) {
          int want = std::numeric_limits<int>::min();
          for (uint32_t ky = 0; ky < pool.window.kernel_h; ++ky) {
            for (uint32_t kx = 0; kx < pool.window.kernel_w; ++kx) {
              const uint32_t iy = oy * pool.window.stride_h + ky;
              const uint32_t ix = ox * pool.window.stride_w + kx;
              want = std::max<int>(want,
                                   x[(c * pool.in_shape.height + iy) * pool.in_shape.width + ix]);
            }
          }
          EXPECT_EQ(y[(c * out.height + oy) * out.width + ox], want) << trial;
        }
      }
    }
  }
  // A window of negative values keeps the largest, negative.
  Layer pool;
  pool.kind = LayerKind::kMaxPool2d;
  pool.relu = false;
  pool.in_shape = {1, 2, 2};
  pool.window = {2, 2, 2, 2, 0, 0};
  EXPECT_EQ(max_pool(pool, {-5, -32768, -3, -4}), std::vector<int16_t>{-3});
}

TEST(Inference, ConvolutionPoolingAndFullyConnectedChain) {
  // LeNet-5's shape in miniature: conv 1x12x12 -> 4x8x8, pool -> 4x4x4, fc 64 -> 10.
  std::mt19937_64 rng(1805);
  Network net;
  Layer conv = random_layer(4, 25, 0.5, rng, false);
  conv.kind = LayerKind::kConv2d;
  conv.in_shape = {1, 12, 12};
  conv.window = {5, 5, 1, 1, 0, 0};
  conv.relu = true;
  Layer pool;
  pool.kind = LayerKind::kMaxPool2d;
  pool.relu = false;
  pool.in_shape = {4, 8, 8};
  pool.window = {2, 2, 2, 2, 0, 0};
  Layer fc = random_layer(10, 64, 0.3, rng, false);
  net.layers = {conv, pool, fc};
  ASSERT_NO_THROW(net.validate());
  EXPECT_EQ(net.inputs(), 144u);
  EXPECT_EQ(net.outputs(), 10u);
  const std::vector<int16_t> x = random_input(144, 0.5, rng, false);
  const auto outs = GoldenModel(net, 5).run(x);
  ASSERT_EQ(outs.size(), 3u);
  EXPECT_EQ(outs[0], direct_convolution(conv, x));
  EXPECT_EQ(outs[1], max_pool(pool, outs[0]));
  EXPECT_EQ(outs[2], dense_reference(fc, outs[1]));  // the fc reads the CHW tensor as is
  // A chain whose sizes differ is refused, and so is the array's layer table.
  net.layers[2] = random_layer(10, 63, 0.3, rng, false);
  EXPECT_THROW(net.validate(), Error);
  net.layers[2] = fc;
  test::expect_error([&] { net.require_fully_connected("the array"); },
                     "layer1 is a convolution layer");
}

// A random LSTM layer: gate matrix 4H x (I + H) with a codebook scaled like a trained one's.
Layer random_lstm_layer(uint32_t steps, uint32_t input, uint32_t hidden, std::mt19937_64& rng,
                        bool wide) {
  Layer l = random_layer(4 * hidden, input + hidden, 0.4, rng, wide);
  l.kind = LayerKind::kLstm;
  l.relu = false;
  l.sequence = {steps, input, hidden};
  return l;
}

// The LSTM by its definition (docs/arithmetic.md, "LSTM"): per step, the gate matrix applied to
// [x_t; h_{t-1}] as a fully connected layer without ReLU, then the element-wise update.
std::vector<int16_t> literal_lstm(const Layer& lstm, const std::vector<int16_t>& x, int act_frac) {
  Layer fc = lstm;
  fc.kind = LayerKind::kFullyConnected;
  fc.sequence = {};
  const Sequence& s = lstm.sequence;
  LstmState state(s.hidden);
  for (uint32_t t = 0; t < s.steps; ++t) {
    std::vector<int16_t> v(x.begin() + t * s.input, x.begin() + (t + 1) * s.input);
    v.insert(v.end(), state.h.begin(), state.h.end());
    lstm_step(dense_reference(fc, v), state, act_frac);
  }
  return state.h;
}

TEST(Inference, LstmMatchesLiteralStepLoopForAnyPeCount) {
  std::mt19937_64 rng(1904);
  int nonzero_outputs = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const auto pick = [&](uint32_t lo, uint32_t hi) {
      return lo + static_cast<uint32_t>(rng() % (hi - lo + 1));
    };
    Network net;
    net.act_frac = static_cast<int>(pick(0, 15));
    net.layers.push_back(
        random_lstm_layer(pick(1, 6), pick(1, 7), pick(1, 9), rng, trial % 4 == 0));
    const Layer& lstm = net.layers[0];
    const std::vector<int16_t> x = random_input(lstm.inputs(), 0.7, rng, trial % 4 == 0);
    const std::vector<int16_t> want = literal_lstm(lstm, x, net.act_frac);
    for (int16_t h : want) nonzero_outputs += h != 0;
    for (uint32_t num_pe : {1u, 3u, 64u}) {
      EXPECT_EQ(GoldenModel(net, num_pe).run(x).back(), want) << "trial " << trial;
    }
  }
  EXPECT_GT(nonzero_outputs, 40);  // the hidden state carries something
}

TEST(Inference, LstmFeedsItsLastHiddenVectorToTheNextLayer) {
  std::mt19937_64 rng(1905);
  Network net;
  net.layers.push_back(random_lstm_layer(5, 4, 6, rng, false));
  net.layers.push_back(random_layer(3, 6, 0.8, rng, false));
  net.layers.back().relu = false;
  net.validate();
  EXPECT_EQ(net.inputs(), 20u);
  EXPECT_EQ(net.layers[0].outputs(), 6u);
  EXPECT_EQ(net.layers[0].positions(), 5u);
  EXPECT_EQ(net.layers[0].patch_size(), 10u);
  const std::vector<int16_t> x = random_input(20, 1.0, rng, false);
  const auto outputs = GoldenModel(net, 4).run(x);
  ASSERT_EQ(outputs.size(), 2u);
  EXPECT_EQ(outputs[0], literal_lstm(net.layers[0], x, net.act_frac));
  EXPECT_EQ(outputs[1], dense_reference(net.layers[1], outputs[0]));
  // The step input is [x_t ; h]: step 2's four inputs, then the hidden vector.
  const std::vector<int16_t> h = {1, 2, 3, 4, 5, 6};
  const std::vector<int16_t> v = lstm_step_input(net.layers[0], x, 2, h);
  EXPECT_EQ(std::vector<int16_t>(v.begin(), v.begin() + 4),
            std::vector<int16_t>(x.begin() + 8, x.begin() + 12));
  EXPECT_EQ(std::vector<int16_t>(v.begin() + 4, v.end()), h);
  EXPECT_THROW(lstm_step_input(net.layers[0], x, 5, h), Error);
}

TEST(Inference, ActivationConversion) {
  EXPECT_EQ(quantize_activations({1.0, -0.5, 0.001953125, 1000.0}, 8),
            (std::vector<int16_t>{256, -128, 1, 32767}));
  EXPECT_EQ(dequantize_activations({256, -128}, 8), (std::vector<double>{1.0, -0.5}));
  EXPECT_THROW(quantize_activations({NAN}, 8), Error);
}

}  // namespace
}  // namespace eie
