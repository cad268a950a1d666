// Deep Compression end to end on a labelled data set [DC]: dense training -> iterative magnitude
// pruning with masked retraining -> per-layer k-means weight sharing -> centroid fine-tuning ->
// fixed-point conversion -> Huffman-coded model file, with the accuracy of every stage.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eie/classify.h"
#include "eie/compress.h"
#include "eie/density_search.h"
#include "eie/idx.h"
#include "eie/kmeans.h"
#include "eie/mlp.h"
#include "eie/model_file.h"

namespace eie {

using Logger = std::function<void(const std::string&)>;

// The paper's LeNet-300-100 densities [DC, Table 4]: 8%, 9%, 26% kept.
inline const std::vector<double> kPaperLenetDensity{0.08, 0.09, 0.26};

// LeNet-5 as Caffe defines it and Deep Compression compressed it [DC, Table 1]: conv1 20 x 5x5,
// max pooling 2x2, conv2 50 x 5x5, max pooling 2x2, ip1 800 -> 500, ip2 500 -> 10, on a
// 1 x 28 x 28 digit (431K weights). The layers' shapes, without weights.
std::vector<FloatLayer> lenet5_shape();
// An LSTM classifier of sequential MNIST: a digit read row by row, 28 steps of 28 pixels, by an
// LSTM of `hidden` units (gate matrix 4 hidden x (28 + hidden)), then a fully connected layer
// from its last hidden vector to the 10 classes.
std::vector<FloatLayer> lstm_shape(uint32_t hidden);

struct PipelineOptions {
  std::vector<int> sizes{784, 300, 100, 10};  // LeNet-300-100
  // A convolutional or recurrent network's layers (kind, shapes, names; no weights), e.g.
  // lenet5_shape(), lstm_shape();
  // empty: the fully connected network of `sizes`.
  std::vector<FloatLayer> shape;
  // A user's model to start from (eie/torchscript.h): its weights and biases replace the random
  // initialisation, `sizes` and the layer names follow from it. It must be what the trainer
  // trains: ReLU after every layer but the last. Empty: a new network of `sizes`.
  std::vector<FloatLayer> initial;
  TrainOptions dense{};  // dense training
  // Kept weights per weighted layer after pruning; empty: chosen by sensitivity on a validation
  // split (eie/density_search.h, with `search`).
  std::vector<double> density;
  DensitySearchOptions search;
  int prune_steps = 3;     // pruning in steps, each followed by retraining
  TrainOptions retrain{};  // per pruning step
  // Shared weights (1..15; the array reads 4-bit indices): one count for every weighted layer,
  // or one per weighted layer. The paper gave AlexNet's conv layers 256 and its fc layers 32.
  std::vector<int> clusters{15};
  KmeansInit init = KmeansInit::kLinear;
  TrainOptions finetune{};  // centroid fine-tuning
  int act_frac = -1;        // -1: calibrate on the training set
  bool huffman = true;
  uint64_t seed = 1;

  PipelineOptions();  // the defaults above, tuned for LeNet-300-100
};

// One stage's accuracies on the test split; fixed_accuracy < 0 when the stage has no
// fixed-point model (before weight sharing).
struct StageResult {
  std::string name;
  double float_accuracy = 0;
  double fixed_accuracy = -1;
  double seconds = 0;
  std::vector<double> kept;  // per layer
};

struct PipelineResult {
  ModelFile model;
  std::vector<StageResult> stages;
  double dense_float_accuracy = 0;
  double seconds = 0;
  std::optional<DensitySearchResult> search;  // when the densities were searched
};

// Stages 2 to 6 (pruning with retraining, sharing, fine-tuning, fixed point, Huffman) on a
// trained dense network, with `density` kept per layer; accuracies on `eval`.
struct CompressedStages {
  ModelFile model;
  std::vector<StageResult> stages;  // pruned, shared, fine-tuned
};
CompressedStages compress_dense(Mlp mlp, const TrainingSet& train, const LabelledSet& eval,
                                const PipelineOptions& o, const std::vector<double>& density,
                                const std::vector<std::string>& names, const Logger& log);

// Throws eie::Error on inconsistent options or data.
PipelineResult deep_compress(const Mnist& data, const PipelineOptions& options,
                             const Logger& log = {});

// The stage table as text and as JSON.
std::string describe_stages(const PipelineResult& result);
std::string stages_json(const PipelineResult& result);

}  // namespace eie
