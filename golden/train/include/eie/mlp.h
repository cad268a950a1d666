// Networks trained on libtorch: fully connected ReLU ones (LeNet-300-100 and kin) and, given
// their layers' shapes, convolutional ones (LeNet-5: convolutions, max pooling, fully connected
// layers) and recurrent ones (an LSTM over the input's rows, then fully connected layers). Softmax
// cross-entropy, minibatch SGD with momentum, L2 weight decay on free weights, optional dropout. It
// trains in three modes, the stages Deep Compression and DSD need: free, under pruning masks
// (applied to the gradients and again after every optimiser step), and shared-weight centroids
// (the weights gathered from them, so that autograd gives a centroid the sum of its weights'
// gradients [DC]). The parameters live here as Eigen matrices between training calls; only
// mlp.cpp sees libtorch. Deterministic for a seed: one thread, torch's generator seeded.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "eie/compress.h"
#include "eie/idx.h"

namespace eie {

// A labelled set as the trainer wants it: one column per sample, pixels / 255.
struct TrainingSet {
  Eigen::MatrixXf x;            // inputs x samples
  std::vector<uint8_t> labels;  // 0..classes-1
  // The images' shape when a column is one image, row-major (shift augmentation needs it);
  // 0 x 0: not images.
  uint32_t image_rows = 0;
  uint32_t image_cols = 0;
  // A teacher network's logits for knowledge distillation, classes x samples; with shift
  // augmentation classes x (variants x samples), shift_variants's variant v of sample s in
  // column v x samples + s (teacher_logits makes them). Empty: none.
  Eigen::MatrixXf teacher;
  size_t size() const { return labels.size(); }
};
TrainingSet to_training_set(const LabelledSet& set);

struct TrainOptions {
  int epochs = 10;
  float lr = 0.05f;
  float momentum = 0.9f;
  float weight_decay = 1e-4f;  // L2, not applied to centroids
  float dropout = 0.0f;        // on hidden activations, 0 = off
  // Knowledge distillation (Hinton et al. 2015): the loss is (1 - distill) x cross-entropy on the
  // labels + distill x temperature^2 x KL(teacher || student), both softened by `temperature`;
  // 0 = labels only. Needs the set's teacher logits.
  float distill = 0.0f;
  float temperature = 4.0f;
  // Shift augmentation (eie/augment.h): every epoch, each sample is one of shift_variants(shift),
  // drawn at random: the image or a copy moved by up to `shift` pixels up, down, left or right.
  // 0 = off. Needs the set's image shape.
  int shift = 0;
  int batch = 64;
  uint64_t seed = 1;  // shuffling and dropout
};

struct EpochReport {
  int epoch = 0;
  double loss = 0;
  double train_accuracy = 0;
  double test_accuracy = 0;  // NaN when no test set was given
  double seconds = 0;
};

class Mlp {
 public:
  // He-initialised weights for layer widths sizes[0] -> ... -> sizes.back().
  Mlp(const std::vector<int>& sizes, uint64_t seed);
  // A network of `shape`'s layers in order (their kind, input shape, window or sequence, rows and
  // cols; the weights, biases and ReLU flags are not read): fully connected layers, convolutions,
  // max pooling and LSTMs, with ReLU after every weighted layer but the last and the LSTMs.
  // He-initialised; an LSTM as PyTorch's nn.LSTM (uniform in +-1/sqrt(hidden)), its forget
  // gates' bias 1.
  Mlp(const std::vector<FloatLayer>& shape, uint64_t seed);

  // Weighted layers (fully connected and convolutions): what weights(l), masks and shared
  // weights index.
  size_t layers() const { return w_.size(); }
  // Every layer, pooling included, without weights; relu set as the network applies it.
  const std::vector<FloatLayer>& shape() const { return shape_; }
  // Where weighted layer l is in shape().
  size_t shape_index(size_t l) const { return weighted_[l]; }
  // Fully connected layers only: trained and run on Eigen's matrices without libtorch's forward.
  bool fully_connected() const;
  // outputs x inputs; a convolution's kernel matrix, out_channels x (in_channels x kh x kw); an
  // LSTM's gate matrix, 4 hidden x (input + hidden)
  const Eigen::MatrixXf& weights(size_t l) const { return w_[l]; }
  const Eigen::VectorXf& bias(size_t l) const { return b_[l]; }

  // Masks (1 keeps a weight) applied to weights and gradients; empty = dense.
  void set_masks(std::vector<Eigen::MatrixXf> masks);
  void clear_masks() { masks_.clear(); }
  const std::vector<Eigen::MatrixXf>& masks() const { return masks_; }

  // Weight sharing: layer l's weight (i, j) = centroids[l][codes[l](i, j) - 1], code 0 = pruned.
  // Training then updates centroids by the sum of their weights' gradients [DC].
  void set_shared(std::vector<Eigen::MatrixXi> codes, std::vector<std::vector<float>> centroids);
  void clear_shared();
  bool shared() const { return !codes_.empty(); }
  const std::vector<std::vector<float>>& centroids() const { return centroids_; }

  // Replaces layer l's weights (outputs x inputs, the shape it has) and bias; masks and shared
  // weights are cleared.
  void set_layer(size_t l, const Eigen::MatrixXf& w, const Eigen::VectorXf& b);

  Eigen::MatrixXf logits(const Eigen::MatrixXf& x) const;
  // The teacher's logits of every sample of `set` as each variant of shift augmentation up to
  // `shift` pixels shows it (TrainingSet::teacher's layout); shift 0: logits(set.x).
  Eigen::MatrixXf teacher_logits(const TrainingSet& set, int shift) const;
  // Largest |activation| of every layer's output over the set (for fixed-point calibration).
  float max_activation(const TrainingSet& set) const;
  double accuracy(const TrainingSet& set) const;

  // Trains in the current mode; calls `on_epoch` after each epoch.
  void train(const TrainingSet& train, const TrainingSet* test, const TrainOptions& options,
             const std::function<void(const EpochReport&)>& on_epoch = {});

 private:
  void rebuild_shared_weights();
  void apply_masks();
  // The forward pass on libtorch, for networks that are not fully_connected(): logits of `x` (one
  // column per sample), and the largest |activation| of the input and every layer's output (an
  // LSTM's: every step's cell and hidden values, and its gate pre-activations up to 8, beyond
  // which the fixed-point sigmoid and tanh no longer change: docs/arithmetic.md, "LSTM").
  Eigen::MatrixXf torch_logits(const Eigen::MatrixXf& x, float* max_activation) const;

  std::vector<FloatLayer> shape_;
  std::vector<size_t> weighted_;  // shape_ index of each weighted layer

  std::vector<Eigen::MatrixXf> w_;
  std::vector<Eigen::VectorXf> b_;
  std::vector<Eigen::MatrixXf> masks_;
  std::vector<Eigen::MatrixXi> codes_;
  std::vector<std::vector<float>> centroids_;
};

}  // namespace eie
