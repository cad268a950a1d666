// The trainer's three modes and the Deep Compression pipeline, on small synthetic data so the
// tests run in seconds (the MNIST run is `make demo` and the `mnist` CTest label).
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "eie/classify.h"
#include "eie/deep_compression.h"
#include "eie/dsd.h"
#include "eie/error.h"
#include "eie/mlp.h"

namespace eie {
namespace {

// Four classes of 4x4 "images": each class lights up its own quadrant, with noise.
LabelledSet blobs(uint32_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 40.0);
  LabelledSet s;
  s.images.count = count;
  s.images.rows = 4;
  s.images.cols = 4;
  for (uint32_t n = 0; n < count; ++n) {
    const uint8_t label = static_cast<uint8_t>(rng() % 4);
    s.labels.push_back(label);
    for (uint32_t p = 0; p < 16; ++p) {
      const uint32_t quadrant = (p / 8) * 2 + (p % 4) / 2;
      const double v = (quadrant == label ? 200.0 : 30.0) + noise(rng);
      s.images.pixels.push_back(static_cast<uint8_t>(std::clamp(v, 0.0, 255.0)));
    }
  }
  return s;
}

Mnist small_data() { return {blobs(600, 1), blobs(200, 2)}; }

// A convolutional network for the 4x4 blobs: conv 3x3 padding 1 (4 channels), max pooling 2x2,
// fully connected 16 -> 4.
std::vector<FloatLayer> small_cnn() {
  FloatLayer conv;
  conv.kind = LayerKind::kConv2d;
  conv.name = "conv";
  conv.in_shape = {1, 4, 4};
  conv.window = {3, 3, 1, 1, 1, 1};
  conv.rows = 4;
  conv.cols = 9;
  FloatLayer pool;
  pool.kind = LayerKind::kMaxPool2d;
  pool.name = "pool";
  pool.relu = false;
  pool.in_shape = {4, 4, 4};
  pool.window = {2, 2, 2, 2, 0, 0};
  FloatLayer fc;
  fc.name = "fc";
  fc.rows = 4;
  fc.cols = 16;
  return {conv, pool, fc};
}

// An LSTM for the 4x4 blobs read row by row: 4 steps of 4 pixels, 6 hidden units, then 6 -> 4.
std::vector<FloatLayer> small_lstm() {
  FloatLayer lstm;
  lstm.kind = LayerKind::kLstm;
  lstm.name = "lstm";
  lstm.relu = false;
  lstm.sequence = {4, 4, 6};
  lstm.rows = 24;
  lstm.cols = 10;
  FloatLayer fc;
  fc.name = "fc";
  fc.rows = 4;
  fc.cols = 6;
  return {lstm, fc};
}

TEST(Mlp, TrainsAndIsDeterministic) {
  const TrainingSet train = to_training_set(small_data().train);
  const TrainingSet test = to_training_set(small_data().test);
  TrainOptions o;
  o.epochs = 8;
  Mlp a({16, 12, 4}, 3), b({16, 12, 4}, 3);
  std::vector<double> losses;
  a.train(train, &test, o, [&](const EpochReport& r) { losses.push_back(r.loss); });
  b.train(train, &test, o);
  EXPECT_LT(losses.back(), losses.front());
  EXPECT_GT(a.accuracy(test), 0.9);
  for (size_t l = 0; l < a.layers(); ++l) EXPECT_EQ(a.weights(l), b.weights(l));
}

TEST(Mlp, ConvolutionalNetworkTrainsAndIsDeterministic) {
  const TrainingSet train = to_training_set(small_data().train);
  const TrainingSet test = to_training_set(small_data().test);
  TrainOptions o;
  o.epochs = 8;
  Mlp a(small_cnn(), 3), b(small_cnn(), 3);
  ASSERT_EQ(a.layers(), 2u);  // the weighted layers: the kernel matrix and the fc
  EXPECT_FALSE(a.fully_connected());
  EXPECT_EQ(a.weights(0).rows(), 4);
  EXPECT_EQ(a.weights(0).cols(), 9);
  EXPECT_EQ(a.shape_index(1), 2u);
  EXPECT_TRUE(a.shape()[0].relu);
  std::vector<double> losses;
  a.train(train, &test, o, [&](const EpochReport& r) { losses.push_back(r.loss); });
  b.train(train, &test, o);
  EXPECT_LT(losses.back(), losses.front());
  EXPECT_GT(a.accuracy(test), 0.9);
  for (size_t l = 0; l < a.layers(); ++l) EXPECT_EQ(a.weights(l), b.weights(l));
  // Shapes that do not chain are refused.
  std::vector<FloatLayer> bad = small_cnn();
  bad[2].cols = 15;
  EXPECT_THROW(Mlp(bad, 1), Error);
}

TEST(Mlp, DistillationLearnsFromTheTeacherNotTheLabels) {
  const TrainingSet test = to_training_set(small_data().test);
  TrainingSet train = to_training_set(small_data().train);
  TrainOptions o;
  o.epochs = 8;
  Mlp teacher({16, 12, 4}, 3);
  teacher.train(train, nullptr, o);
  ASSERT_GT(teacher.accuracy(test), 0.9);
  // Every label wrong: only a student that learns from the teacher's outputs classifies.
  train.teacher = teacher.logits(train.x);
  for (uint8_t& y : train.labels) y = static_cast<uint8_t>((y + 1) % 4);
  o.distill = 1.0f;
  Mlp taught({16, 12, 4}, 7), again({16, 12, 4}, 7);
  taught.train(train, nullptr, o);
  again.train(train, nullptr, o);
  EXPECT_GT(taught.accuracy(test), 0.9);
  for (size_t l = 0; l < taught.layers(); ++l) EXPECT_EQ(taught.weights(l), again.weights(l));
  o.distill = 0.0f;
  Mlp misled({16, 12, 4}, 7);
  misled.train(train, nullptr, o);
  EXPECT_LT(misled.accuracy(test), 0.2);
  // Distillation without the teacher's logits, or outside [0, 1], is refused.
  o.distill = 0.5f;
  train.teacher.resize(0, 0);
  EXPECT_THROW(misled.train(train, nullptr, o), Error);
  o.distill = 1.5f;
  EXPECT_THROW(misled.train(train, nullptr, o), Error);
}

TEST(Mlp, MaskedTrainingKeepsPrunedWeightsAtZero) {
  const TrainingSet train = to_training_set(small_data().train);
  Mlp m({16, 12, 4}, 4);
  std::vector<Eigen::MatrixXf> masks;
  std::mt19937_64 rng(5);
  for (size_t l = 0; l < m.layers(); ++l) {
    Eigen::MatrixXf k(m.weights(l).rows(), m.weights(l).cols());
    for (Eigen::Index i = 0; i < k.size(); ++i) k(i) = rng() % 3 == 0 ? 1.0f : 0.0f;
    masks.push_back(k);
  }
  m.set_masks(masks);
  TrainOptions o;
  o.epochs = 3;
  m.train(train, nullptr, o);
  for (size_t l = 0; l < m.layers(); ++l) {
    for (Eigen::Index i = 0; i < masks[l].size(); ++i) {
      if (masks[l](i) == 0.0f) {
        ASSERT_EQ(m.weights(l)(i), 0.0f);
      }
    }
  }
}

TEST(Mlp, CentroidTrainingKeepsTheSharingStructure) {
  const TrainingSet train = to_training_set(small_data().train);
  Mlp m({16, 12, 4}, 6);
  std::vector<Eigen::MatrixXi> codes;
  std::vector<std::vector<float>> centroids;
  std::mt19937_64 rng(7);
  for (size_t l = 0; l < m.layers(); ++l) {
    Eigen::MatrixXi c(m.weights(l).rows(), m.weights(l).cols());
    for (Eigen::Index i = 0; i < c.size(); ++i) c(i) = static_cast<int>(rng() % 4);  // 0 = pruned
    codes.push_back(c);
    centroids.push_back({-0.3f, 0.1f, 0.4f});
  }
  m.set_shared(codes, centroids);
  TrainOptions o;
  o.epochs = 2;
  o.lr = 0.001f;
  m.train(train, nullptr, o);
  bool moved = false;
  for (size_t l = 0; l < m.layers(); ++l) {
    for (Eigen::Index i = 0; i < codes[l].size(); ++i) {
      const float want = codes[l](i) == 0 ? 0.0f : m.centroids()[l][codes[l](i) - 1];
      ASSERT_EQ(m.weights(l)(i), want);
    }
    moved = moved || m.centroids()[l] != centroids[l];
  }
  EXPECT_TRUE(moved) << "fine-tuning must move the centroids";
}

TEST(Mlp, CentroidGradientIsTheSumOfItsWeightsGradients) {
  // One full-batch step without momentum or decay: a free weight moves by -lr * g, a centroid by
  // -lr * (sum of its weights' g) [DC]. So each centroid's move must equal the summed moves of
  // its weights in an identical network trained free.
  const TrainingSet train = to_training_set(blobs(64, 9));
  Mlp shared({16, 12, 4}, 8), free({16, 12, 4}, 8);
  std::vector<Eigen::MatrixXi> codes;
  std::vector<std::vector<float>> centroids;
  std::mt19937_64 rng(10);
  for (size_t l = 0; l < shared.layers(); ++l) {
    Eigen::MatrixXi c(shared.weights(l).rows(), shared.weights(l).cols());
    for (Eigen::Index i = 0; i < c.size(); ++i) c(i) = static_cast<int>(rng() % 4);
    codes.push_back(c);
    centroids.push_back({-0.25f, 0.15f, 0.35f});
  }
  shared.set_shared(codes, centroids);
  free.set_shared(codes, centroids);
  free.clear_shared();  // same weights, now trained one by one
  std::vector<Eigen::MatrixXf> before;
  for (size_t l = 0; l < free.layers(); ++l) before.push_back(free.weights(l));
  TrainOptions o;
  o.epochs = 1;
  o.batch = 64;
  o.lr = 0.01f;
  o.momentum = 0.0f;
  o.weight_decay = 0.0f;
  shared.train(train, nullptr, o);
  free.train(train, nullptr, o);
  for (size_t l = 0; l < shared.layers(); ++l) {
    for (int c = 1; c <= 3; ++c) {
      double moved = 0;
      for (Eigen::Index i = 0; i < codes[l].size(); ++i) {
        if (codes[l](i) == c) moved += free.weights(l)(i) - before[l](i);
      }
      EXPECT_NEAR(shared.centroids()[l][static_cast<size_t>(c - 1)] -
                      centroids[l][static_cast<size_t>(c - 1)],
                  moved, 1e-5)
          << "layer " << l << " centroid " << c;
    }
  }
}

// A short pipeline for the blobs: `dense_epochs` of dense training, 2 pruning steps of 2 epochs,
// `finetune_epochs` of fine-tuning.
PipelineOptions short_pipeline(int dense_epochs = 6, int finetune_epochs = 2) {
  PipelineOptions o;
  o.dense.epochs = dense_epochs;
  o.prune_steps = 2;
  o.retrain.epochs = 2;
  o.finetune.epochs = finetune_epochs;
  return o;
}

TEST(DeepCompression, PipelineRunsEveryStageAndIsReproducible) {
  const Mnist data = small_data();
  PipelineOptions o = short_pipeline();
  o.sizes = {16, 24, 12, 4};
  o.density = {0.3, 0.4, 0.6};
  o.clusters = {6};
  const PipelineResult a = deep_compress(data, o);
  const PipelineResult b = deep_compress(data, o);
  ASSERT_EQ(a.stages.size(), 4u);
  EXPECT_EQ(a.stages[0].name, "dense");
  EXPECT_NEAR(a.stages[1].kept[0], 0.3, 0.01);
  EXPECT_NEAR(a.stages[1].kept[2], 0.6, 0.01);
  EXPECT_GT(a.stages.back().fixed_accuracy, 0.85);
  // The reported fixed-point accuracy is the golden model's on the written network.
  EXPECT_DOUBLE_EQ(a.stages.back().fixed_accuracy, golden_accuracy(a.model.net, data.test));
  // At most `clusters` shared weights per layer.
  for (const Layer& l : a.model.net.layers) {
    std::set<uint8_t> used(l.weights.code.begin(), l.weights.code.end());
    EXPECT_LE(used.size(), 6u);
  }
  EXPECT_EQ(serialize_model(a.model), serialize_model(b.model));  // same seed, same bytes
}

TEST(DeepCompression, ConvolutionalPipelineRunsEveryStageAndIsReproducible) {
  const Mnist data = small_data();
  PipelineOptions o = short_pipeline();
  o.shape = small_cnn();
  o.density = {0.6, 0.5};
  o.clusters = {6, 3};  // a codebook size per weighted layer
  const PipelineResult a = deep_compress(data, o);
  const PipelineResult b = deep_compress(data, o);
  ASSERT_EQ(a.model.net.layers.size(), 3u);
  EXPECT_EQ(a.model.net.layers[0].kind, LayerKind::kConv2d);
  EXPECT_EQ(a.model.net.layers[0].name, "conv");
  EXPECT_EQ(a.model.net.layers[1].kind, LayerKind::kMaxPool2d);
  EXPECT_EQ(a.model.net.layers[2].name, "fc");
  EXPECT_TRUE(a.model.net.layers[0].relu);
  EXPECT_FALSE(a.model.net.layers[2].relu);
  EXPECT_NEAR(a.stages[1].kept[0], 0.6, 0.06);
  EXPECT_GT(a.stages.back().fixed_accuracy, 0.85);
  EXPECT_DOUBLE_EQ(a.stages.back().fixed_accuracy, golden_accuracy(a.model.net, data.test));
  EXPECT_EQ(serialize_model(a.model), serialize_model(b.model));  // same seed, same bytes
  for (size_t l : {size_t{0}, size_t{2}}) {
    const std::vector<uint8_t>& code = a.model.net.layers[l].weights.code;
    EXPECT_LE(std::set<uint8_t>(code.begin(), code.end()).size(), l == 0 ? 6u : 3u);
  }
  o.clusters = {6, 3, 2};
  EXPECT_THROW(deep_compress(data, o), Error);  // one count, or one per weighted layer
  o.clusters = {6};
  o.density = {0.5};
  EXPECT_THROW(deep_compress(data, o), Error);  // one density per weighted layer
}

TEST(DeepCompression, LstmPipelineRunsEveryStageAndIsReproducible) {
  const Mnist data = small_data();
  PipelineOptions o = short_pipeline(10);
  o.shape = small_lstm();
  o.density = {0.5, 0.7};
  const PipelineResult a = deep_compress(data, o);
  const PipelineResult b = deep_compress(data, o);
  ASSERT_EQ(a.model.net.layers.size(), 2u);
  const Layer& lstm = a.model.net.layers[0];
  EXPECT_EQ(lstm.kind, LayerKind::kLstm);
  EXPECT_EQ(lstm.sequence, (Sequence{4, 4, 6}));
  EXPECT_FALSE(lstm.relu);  // the gate matrix has none, nor the classifier
  EXPECT_FALSE(a.model.net.layers[1].relu);
  EXPECT_NEAR(a.stages[1].kept[0], 0.5, 0.05);
  // Forget gates start open: their bias rows begin at 1 before training moves them.
  EXPECT_EQ(Mlp(small_lstm(), 1).bias(0).segment(6, 6), Eigen::VectorXf::Ones(6));
  EXPECT_EQ(Mlp(small_lstm(), 1).bias(0).head(6), Eigen::VectorXf::Zero(6));
  EXPECT_GT(a.stages.back().fixed_accuracy, 0.85);
  EXPECT_DOUBLE_EQ(a.stages.back().fixed_accuracy, golden_accuracy(a.model.net, data.test));
  EXPECT_EQ(serialize_model(a.model), serialize_model(b.model));  // same seed, same bytes
  // A gate matrix of the wrong shape is refused.
  std::vector<FloatLayer> bad = small_lstm();
  bad[0].rows = 20;
  EXPECT_THROW(Mlp(bad, 1), Error);
}

std::vector<double> trial_accuracies(const DensitySearchResult& s) {
  std::vector<double> out;
  for (const DensityTrial& t : s.trials) out.push_back(t.validation_accuracy);
  return out;
}

TEST(DeepCompression, DensitiesBySensitivityStayWithinTheBudgetOnValidation) {
  const Mnist data = {blobs(800, 11), blobs(200, 12)};
  PipelineOptions o = short_pipeline(6, 1);
  o.sizes = {16, 24, 12, 4};
  o.density.clear();  // searched
  o.clusters = {6};
  o.search.budget = 0.01;
  // The default's 6 retraining epochs: with 2, students taught by the dense network at
  // temperature 4 (the default) lose about 5 points on these blobs.
  o.retrain.epochs = 6;
  o.search.grid = {1.0, 0.5, 0.25, 0.12, 0.06};
  o.search.tolerances = {0.01, 0.05, 0.2};
  o.search.refine_steps = 1;
  o.search.folds = 2;
  const PipelineResult a = deep_compress(data, o);
  ASSERT_TRUE(a.search.has_value());
  const DensitySearchResult& s = *a.search;
  ASSERT_EQ(s.curves.size(), 3u);
  for (const SensitivityCurve& c : s.curves) {
    EXPECT_EQ(c.density, o.search.grid);
    EXPECT_EQ(c.accuracy.front(), s.dense_validation_accuracy);  // nothing pruned at 1.0
  }
  // The chosen densities are the smallest file among the trials within the budget.
  uint64_t best = UINT64_MAX;
  for (const DensityTrial& t : s.trials) {
    EXPECT_EQ(t.within, t.validation_accuracy >= s.dense_validation_accuracy - o.search.budget);
    if (t.within) best = std::min(best, t.bytes);
  }
  ASSERT_NE(best, UINT64_MAX) << "no trial within the budget of "
                              << s.dense_validation_accuracy - o.search.budget << ": "
                              << ::testing::PrintToString(trial_accuracies(s));
  for (const DensityTrial& t : s.trials) {
    if (t.within && t.bytes == best) {
      EXPECT_EQ(s.chosen, t.density);
    }
  }
  for (size_t l = 0; l < 3; ++l) EXPECT_NEAR(a.stages[1].kept[l], s.chosen[l], 0.01);
  // Each fold holds out its digits from its training; together they cover all 800 once.
  EXPECT_EQ(s.folds, 2u);
  EXPECT_EQ(s.validation_digits, 800u);
  const auto [fit, validation] = split_fold(data.train, 8, 7);
  EXPECT_EQ(validation.labels.size(), 100u);
  EXPECT_EQ(fit.labels.size(), 700u);
  EXPECT_EQ(validation.labels[0], data.train.labels[7]);
  EXPECT_EQ(fit.labels[7], data.train.labels[8]);
  EXPECT_EQ(serialize_model(a.model), serialize_model(deep_compress(data, o).model));
}

TEST(DeepCompression, DensitySearchCoversConvolutions) {
  // The sensitivity search prunes a convolution's kernel matrix like any weighted layer: one
  // curve and one chosen density per weighted layer, none for the pooling between them.
  const Mnist data = {blobs(800, 13), blobs(200, 14)};
  PipelineOptions o = short_pipeline(6, 1);
  o.shape = small_cnn();
  o.density.clear();  // searched
  o.clusters = {6};
  o.search.budget = 0.02;
  o.search.grid = {1.0, 0.5, 0.25, 0.12};
  o.search.tolerances = {0.01, 0.05};
  o.search.refine_steps = 1;
  o.search.folds = 2;
  const PipelineResult a = deep_compress(data, o);
  ASSERT_TRUE(a.search.has_value());
  ASSERT_EQ(a.search->curves.size(), 2u);
  EXPECT_EQ(a.search->curves[0].layer, "conv");
  EXPECT_EQ(a.search->curves[1].layer, "fc");
  ASSERT_EQ(a.search->chosen.size(), 2u);
  EXPECT_NEAR(a.stages[1].kept[0], a.search->chosen[0], 0.06);  // 36 weights: coarse steps
  EXPECT_NEAR(a.stages[1].kept[1], a.search->chosen[1], 0.02);
  EXPECT_EQ(a.model.net.layers.size(), 3u);
}

TEST(Dsd, RunsEveryPhaseAgainstTheBaseline) {
  DsdOptions o;
  o.sizes = {16, 12, 4};
  o.dense_epochs = 3;
  o.sparse_epochs = 2;
  o.redense_epochs = 2;
  o.sparsity = 0.5;
  o.seeds = {1, 2};
  const DsdResult r = run_dsd(small_data(), o);
  ASSERT_EQ(r.seeds.size(), 2u);
  for (const DsdSeedResult& s : r.seeds) {
    EXPECT_GT(s.dense, 0.8);
    EXPECT_GT(s.dsd, 0.8);
    EXPECT_GT(s.baseline, 0.8);
  }
  EXPECT_NE(describe_dsd(r, o).find("2 seeds"), std::string::npos);
  o.sparsity = 1.0;
  EXPECT_THROW(run_dsd(small_data(), o), Error);
}

}  // namespace
}  // namespace eie
