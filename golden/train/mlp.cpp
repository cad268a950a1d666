#include "eie/mlp.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "eie/augment.h"
#include "eie/error.h"

// The one translation unit that includes libtorch (its headers take tens of seconds to compile).
#include <torch/torch.h>

namespace eie {

TrainingSet to_training_set(const LabelledSet& set) {
  TrainingSet t;
  const uint32_t n = set.images.size();
  t.x.resize(n, set.images.count);
  for (uint32_t s = 0; s < set.images.count; ++s) {
    for (uint32_t p = 0; p < n; ++p) {
      t.x(p, s) = static_cast<float>(set.images.pixels[size_t{s} * n + p]) / 255.0f;
    }
  }
  t.labels = set.labels;
  t.image_rows = set.images.rows;
  t.image_cols = set.images.cols;
  return t;
}

namespace {

std::vector<FloatLayer> fully_connected_shape(const std::vector<int>& sizes) {
  require(sizes.size() >= 2, "a network needs at least an input and an output width");
  std::vector<FloatLayer> shape;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    require(sizes[l] > 0 && sizes[l + 1] > 0, "layer widths must be positive");
    FloatLayer f;
    f.rows = static_cast<uint32_t>(sizes[l + 1]);
    f.cols = static_cast<uint32_t>(sizes[l]);
    shape.push_back(f);
  }
  return shape;
}

}  // namespace

Mlp::Mlp(const std::vector<int>& sizes, uint64_t seed) : Mlp(fully_connected_shape(sizes), seed) {}

Mlp::Mlp(const std::vector<FloatLayer>& shape, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < shape.size(); ++i) {
    FloatLayer s = shape[i];
    s.weights.clear();
    s.bias.clear();
    s.relu = false;
    const Layer as_layer = s.shape();
    if (s.kind == LayerKind::kConv2d || s.kind == LayerKind::kMaxPool2d)
      check_window(as_layer, fmt::format("layer {}", i + 1));
    if (s.kind == LayerKind::kLstm) check_sequence(as_layer, fmt::format("layer {}", i + 1));
    require(!s.has_weights() || (s.rows > 0 && s.cols > 0), "layer {}: shape {}x{} is empty", i + 1,
            s.rows, s.cols);
    if (i > 0) {
      const uint64_t before = shape_.back().shape().output_shape().size();
      require(as_layer.input_shape().size() == before,
              "layer {} takes {} inputs but layer {} produces {}", i + 1,
              as_layer.input_shape().size(), i, before);
    }
    if (s.has_weights()) {
      // Drawn column by column, so that a seed gives the same weights as it always has.
      const auto draw = [&](auto init) {
        Eigen::MatrixXf w(s.rows, s.cols);
        for (Eigen::Index j = 0; j < w.cols(); ++j) {
          for (Eigen::Index r = 0; r < w.rows(); ++r) w(r, j) = init(rng);
        }
        return w;
      };
      Eigen::VectorXf b = Eigen::VectorXf::Zero(s.rows);
      if (s.kind == LayerKind::kLstm) {
        const float k = 1.0f / std::sqrt(static_cast<float>(s.sequence.hidden));
        w_.push_back(draw(std::uniform_real_distribution<float>(-k, k)));
        // Forget gates open at the start, so that early steps reach the classifier.
        b.segment(s.sequence.hidden, s.sequence.hidden).setOnes();
      } else {
        w_.push_back(draw(
            std::normal_distribution<float>(0.0f, std::sqrt(2.0f / static_cast<float>(s.cols)))));
      }
      b_.push_back(b);
      weighted_.push_back(i);
    }
    shape_.push_back(s);
  }
  require(!w_.empty(), "a network needs at least one weighted layer");
  for (size_t l = 0; l + 1 < weighted_.size(); ++l) {
    shape_[weighted_[l]].relu = shape_[weighted_[l]].kind != LayerKind::kLstm;
  }
}

bool Mlp::fully_connected() const {
  return std::all_of(shape_.begin(), shape_.end(),
                     [](const FloatLayer& s) { return s.kind == LayerKind::kFullyConnected; });
}

void Mlp::set_layer(size_t l, const Eigen::MatrixXf& w, const Eigen::VectorXf& b) {
  require(l < w_.size(), "layer {} of {}", l + 1, w_.size());
  require(w.rows() == w_[l].rows() && w.cols() == w_[l].cols() && b.size() == b_[l].size(),
          "layer {}: {}x{} weights and {} biases for a {}x{} layer", l + 1, w.rows(), w.cols(),
          b.size(), w_[l].rows(), w_[l].cols());
  clear_masks();
  clear_shared();
  w_[l] = w;
  b_[l] = b;
}

void Mlp::set_masks(std::vector<Eigen::MatrixXf> masks) {
  require(masks.size() == w_.size(), "{} masks for {} layers", masks.size(), w_.size());
  for (size_t l = 0; l < w_.size(); ++l) {
    require(masks[l].rows() == w_[l].rows() && masks[l].cols() == w_[l].cols(),
            "mask {} has the wrong shape", l);
  }
  masks_ = std::move(masks);
  apply_masks();
}

void Mlp::apply_masks() {
  for (size_t l = 0; l < masks_.size(); ++l) w_[l] = w_[l].cwiseProduct(masks_[l]);
}

void Mlp::set_shared(std::vector<Eigen::MatrixXi> codes,
                     std::vector<std::vector<float>> centroids) {
  require(codes.size() == w_.size() && centroids.size() == w_.size(),
          "shared weights for {} / {} layers, the network has {}", codes.size(), centroids.size(),
          w_.size());
  codes_ = std::move(codes);
  centroids_ = std::move(centroids);
  rebuild_shared_weights();
}

void Mlp::clear_shared() {
  codes_.clear();
  centroids_.clear();
}

void Mlp::rebuild_shared_weights() {
  for (size_t l = 0; l < codes_.size(); ++l) {
    const Eigen::MatrixXi& c = codes_[l];
    for (Eigen::Index j = 0; j < c.cols(); ++j) {
      for (Eigen::Index i = 0; i < c.rows(); ++i) {
        w_[l](i, j) = c(i, j) == 0 ? 0.0f : centroids_[l][static_cast<size_t>(c(i, j) - 1)];
      }
    }
  }
}

Eigen::MatrixXf Mlp::logits(const Eigen::MatrixXf& x) const {
  if (!fully_connected()) return torch_logits(x, nullptr);
  Eigen::MatrixXf a = x;
  for (size_t l = 0; l < w_.size(); ++l) {
    Eigen::MatrixXf z = (w_[l] * a).colwise() + b_[l];
    a = l + 1 < w_.size() ? Eigen::MatrixXf(z.cwiseMax(0.0f)) : z;
  }
  return a;
}

Eigen::MatrixXf Mlp::teacher_logits(const TrainingSet& set, int shift) const {
  const std::vector<Shift> variants = shift_variants(shift);
  if (variants.size() == 1) return logits(set.x);
  const Eigen::Index n = static_cast<Eigen::Index>(set.size());
  Eigen::MatrixXf out;
  for (size_t v = 0; v < variants.size(); ++v) {
    const Eigen::MatrixXf z = logits(shifted(set.x, set.image_rows, set.image_cols, variants[v]));
    if (out.size() == 0) out.resize(z.rows(), n * static_cast<Eigen::Index>(variants.size()));
    out.middleCols(static_cast<Eigen::Index>(v) * n, n) = z;
  }
  return out;
}

float Mlp::max_activation(const TrainingSet& set) const {
  if (!fully_connected()) {
    float m = 0;
    torch_logits(set.x, &m);
    return m;
  }
  float m = set.x.cwiseAbs().maxCoeff();
  Eigen::MatrixXf a = set.x;
  for (size_t l = 0; l < w_.size(); ++l) {
    Eigen::MatrixXf z = (w_[l] * a).colwise() + b_[l];
    a = l + 1 < w_.size() ? Eigen::MatrixXf(z.cwiseMax(0.0f)) : z;
    m = std::max(m, a.cwiseAbs().maxCoeff());
  }
  return m;
}

namespace {

// Index of the largest value; ties go to the lower index (as the RTL demo takes its class).
int argmax(const Eigen::Ref<const Eigen::VectorXf>& v) {
  int best = 0;
  for (int i = 1; i < v.size(); ++i) {
    if (v(i) > v(best)) best = i;
  }
  return best;
}

}  // namespace

double Mlp::accuracy(const TrainingSet& set) const {
  const Eigen::MatrixXf z = logits(set.x);
  size_t correct = 0;
  for (Eigen::Index s = 0; s < z.cols(); ++s) correct += argmax(z.col(s)) == set.labels[s];
  return set.size() ? static_cast<double>(correct) / static_cast<double>(set.size()) : 0.0;
}

namespace {

// Eigen matrices are column-major, tensors row-major: an outputs x inputs Eigen matrix becomes a
// [outputs, inputs] tensor through its transpose's memory.
torch::Tensor to_tensor(const Eigen::MatrixXf& m) {
  return torch::from_blob(const_cast<float*>(m.data()), {m.cols(), m.rows()}, torch::kFloat32)
      .t()
      .contiguous();
}

torch::Tensor to_tensor(const Eigen::VectorXf& v) {
  return torch::from_blob(const_cast<float*>(v.data()), {v.size()}, torch::kFloat32).clone();
}

void from_tensor(const torch::Tensor& t, Eigen::MatrixXf& m) {
  const torch::Tensor c = t.detach().t().contiguous();  // column-major order of m
  std::copy(c.data_ptr<float>(), c.data_ptr<float>() + c.numel(), m.data());
}

void from_tensor(const torch::Tensor& t, Eigen::VectorXf& v) {
  const torch::Tensor c = t.detach().contiguous();
  std::copy(c.data_ptr<float>(), c.data_ptr<float>() + c.numel(), v.data());
}

// The network's parameters as libtorch trains them: free weights (masked or dense) or, with
// weight sharing, each layer's centroids, from which the weights are gathered so that autograd
// gives every centroid the sum of its weights' gradients [DC].
struct TorchParams {
  const std::vector<FloatLayer>* shape = nullptr;            // every layer, pooling included
  std::vector<torch::Tensor> w, b, masks, centroids, codes;  // codes: flat, 0 = pruned

  torch::Tensor weight(size_t l) const {
    if (codes.empty()) return w[l];
    const torch::Tensor table = torch::cat({torch::zeros({1}), centroids[l]});
    return table.index_select(0, codes[l]).view(w[l].sizes());
  }

  // An LSTM over a batch of sequences [samples, steps x input]: the last step's hidden vector.
  // The gate matrix is [W_ih W_hh], gates i, f, g, o (docs/arithmetic.md, "LSTM").
  torch::Tensor lstm(const FloatLayer& s, size_t l, const torch::Tensor& a,
                     float* max_activation) const {
    const Sequence& q = s.sequence;
    const torch::Tensor x = a.view({a.size(0), q.steps, q.input});
    torch::Tensor h = torch::zeros({a.size(0), q.hidden});
    torch::Tensor c = torch::zeros({a.size(0), q.hidden});
    const torch::Tensor gates_t = weight(l).t();
    for (uint32_t t = 0; t < q.steps; ++t) {
      const torch::Tensor z = torch::addmm(b[l], torch::cat({x.select(1, t), h}, 1), gates_t);
      const std::vector<torch::Tensor> g = z.chunk(4, 1);
      c = torch::sigmoid(g[1]) * c + torch::sigmoid(g[0]) * torch::tanh(g[2]);
      h = torch::sigmoid(g[3]) * torch::tanh(c);
      if (max_activation != nullptr) {
        for (const torch::Tensor& v : {z.abs().clamp_max(8.0), c.abs(), h.abs()}) {
          *max_activation = std::max(*max_activation, v.max().item<float>());
        }
      }
    }
    return h;
  }

  // Logits of a batch [samples, inputs]; ReLU (and dropout while training) where the shape has
  // it. Tensors between layers are CHW per sample, as the model file's (docs/format.md,
  // section 3). `max_activation`: the largest |value| after each layer.
  torch::Tensor forward(torch::Tensor a, double dropout, bool training,
                        float* max_activation = nullptr) const {
    size_t l = 0;
    for (const FloatLayer& s : *shape) {
      const auto in = [&] {
        return a.view({a.size(0), s.in_shape.channels, s.in_shape.height, s.in_shape.width});
      };
      const Window& win = s.window;
      if (s.kind == LayerKind::kMaxPool2d) {
        a = torch::max_pool2d(in(), {win.kernel_h, win.kernel_w}, {win.stride_h, win.stride_w})
                .flatten(1);
      } else {
        if (s.kind == LayerKind::kConv2d) {
          const torch::Tensor k =
              weight(l).view({s.rows, s.in_shape.channels, win.kernel_h, win.kernel_w});
          a = torch::conv2d(in(), k, b[l], {win.stride_h, win.stride_w}, {win.pad_h, win.pad_w})
                  .flatten(1);
        } else if (s.kind == LayerKind::kLstm) {
          a = lstm(s, l, a, max_activation);
        } else {
          a = torch::addmm(b[l], a, weight(l).t());
        }
        if (s.relu) {
          a = torch::relu(a);
          if (dropout > 0) a = torch::dropout(a, dropout, training);
        }
        ++l;
      }
      if (max_activation != nullptr) {
        *max_activation = std::max(*max_activation, a.abs().max().item<float>());
      }
    }
    return a;
  }
};

// Debian's libtorch calls OpenBLAS, whose own worker threads spin in sched_yield between calls
// (at::set_num_threads does not reach them): on 2 cores that took a whole core and doubled the
// wall time. One BLAS thread, where the library is OpenBLAS (looked up, not linked).
void single_threaded_blas() {
  using SetThreads = void (*)(int);
  if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
    set(1);
  }
}

}  // namespace

Eigen::MatrixXf Mlp::torch_logits(const Eigen::MatrixXf& x, float* max_activation) const {
  at::set_num_threads(1);
  single_threaded_blas();
  torch::NoGradGuard no_grad;
  TorchParams p;
  p.shape = &shape_;
  for (size_t l = 0; l < w_.size(); ++l) {
    p.w.push_back(to_tensor(w_[l]));
    p.b.push_back(to_tensor(b_[l]));
  }
  if (max_activation != nullptr) *max_activation = x.cwiseAbs().maxCoeff();
  const Eigen::Index classes = w_.back().rows();
  Eigen::MatrixXf out(classes, x.cols());
  // In batches: a convolution's feature maps of thousands of samples would take gigabytes.
  constexpr Eigen::Index kBatch = 500;
  for (Eigen::Index first = 0; first < x.cols(); first += kBatch) {
    const Eigen::Index n = std::min(kBatch, x.cols() - first);
    // Samples as rows: the column-major inputs x samples block is that tensor's memory.
    const torch::Tensor in =
        torch::from_blob(const_cast<float*>(x.col(first).data()), {n, x.rows()}, torch::kFloat32);
    const torch::Tensor z = p.forward(in, 0.0, false, max_activation).contiguous();
    // [n, classes] row-major is the classes x n column-major block's memory.
    std::copy(z.data_ptr<float>(), z.data_ptr<float>() + z.numel(), out.col(first).data());
  }
  return out;
}

void Mlp::train(const TrainingSet& train, const TrainingSet* test, const TrainOptions& o,
                const std::function<void(const EpochReport&)>& on_epoch) {
  require(o.batch > 0 && o.epochs >= 0 && o.lr > 0,
          "training needs batch > 0, epochs >= 0, lr > 0");
  require(o.dropout >= 0.0f && o.dropout < 1.0f, "dropout {} outside [0, 1)", o.dropout);
  require(o.distill >= 0.0f && o.distill <= 1.0f, "distillation weight {} outside [0, 1]",
          o.distill);
  const std::vector<Shift> variants = shift_variants(o.shift);
  const auto variant_count = static_cast<int64_t>(variants.size());
  require(
      o.shift == 0 ||
          (uint64_t{train.image_rows} * train.image_cols == static_cast<uint64_t>(train.x.rows()) &&
           std::min(train.image_rows, train.image_cols) > 2u * static_cast<uint32_t>(o.shift)),
      "shifting by {} pixels needs images larger than twice that (the set's samples are {} "
      "x {} images of {} inputs)",
      o.shift, train.image_rows, train.image_cols, train.x.rows());
  require(o.distill == 0.0f || (o.temperature > 0.0f && static_cast<size_t>(train.teacher.cols()) ==
                                                            train.size() * variants.size()),
          "distillation needs a temperature > 0 and the teacher's logits of every sample{}",
          o.shift > 0 ? " in every shifted variant" : "");
  // Deterministic for a seed: one thread, torch's generator (dropout) seeded, shuffling drawn here.
  at::set_num_threads(1);
  single_threaded_blas();
  torch::manual_seed(o.seed);
  const size_t layers = w_.size();
  TorchParams p;
  p.shape = &shape_;
  std::vector<torch::Tensor> decayed, plain;  // L2 on free weights, not on biases or centroids
  for (size_t l = 0; l < layers; ++l) {
    p.w.push_back(to_tensor(w_[l]));
    p.b.push_back(to_tensor(b_[l]).requires_grad_());
    plain.push_back(p.b.back());
    if (!masks_.empty() && !shared()) p.masks.push_back(to_tensor(masks_[l]));
    if (shared()) {
      p.centroids.push_back(torch::tensor(centroids_[l], torch::kFloat32).clone().requires_grad_());
      plain.push_back(p.centroids.back());
      p.codes.push_back(
          to_tensor(Eigen::MatrixXf(codes_[l].cast<float>())).flatten().to(torch::kInt64));
    } else {
      p.w.back().requires_grad_();
      decayed.push_back(p.w.back());
    }
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (!decayed.empty()) {
    groups.emplace_back(
        decayed,
        std::make_unique<torch::optim::SGDOptions>(
            torch::optim::SGDOptions(o.lr).momentum(o.momentum).weight_decay(o.weight_decay)));
  }
  groups.emplace_back(plain, std::make_unique<torch::optim::SGDOptions>(
                                 torch::optim::SGDOptions(o.lr).momentum(o.momentum)));
  torch::optim::SGD sgd(groups, torch::optim::SGDOptions(o.lr));

  // Samples as rows: the column-major inputs x samples matrix is that tensor's memory.
  const auto count = static_cast<int64_t>(train.size());
  const torch::Tensor x_all = torch::from_blob(const_cast<float*>(train.x.data()),
                                               {count, train.x.rows()}, torch::kFloat32);
  std::vector<int64_t> label_values(train.labels.begin(), train.labels.end());
  const torch::Tensor y_all = torch::tensor(label_values, torch::kInt64);
  // The teacher's softened probabilities, samples x classes (the logits' memory, transposed).
  torch::Tensor soft_all;
  if (o.distill > 0.0f) {
    soft_all = torch::from_blob(const_cast<float*>(train.teacher.data()),
                                {train.teacher.cols(), train.teacher.rows()}, torch::kFloat32)
                   .div(o.temperature)
                   .softmax(1);
  }
  // Shift augmentation: where each variant's pixels come from, the appended zero column for the
  // fill ([variants, pixels]), and the variant each sample shows this epoch.
  const int64_t pixels = train.x.rows();
  torch::Tensor source;
  std::vector<int64_t> variant_of(variant_count > 1 ? train.size() : 0);
  if (variant_count > 1) {
    std::vector<int64_t> from;
    for (const Shift& v : variants) {
      for (int32_t at : shift_source(train.image_rows, train.image_cols, v)) {
        from.push_back(at < 0 ? pixels : at);
      }
    }
    source = torch::tensor(from, torch::kInt64).view({variant_count, pixels});
  }
  std::mt19937_64 rng(o.seed);
  std::vector<int64_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);

  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    std::shuffle(order.begin(), order.end(), rng);
    for (int64_t& v : variant_of) v = static_cast<int64_t>(rng() % variants.size());
    double loss = 0;
    int64_t correct = 0;
    for (size_t first = 0; first < order.size(); first += static_cast<size_t>(o.batch)) {
      const size_t n = std::min<size_t>(o.batch, order.size() - first);
      const torch::Tensor idx =
          torch::from_blob(order.data() + first, {static_cast<int64_t>(n)}, torch::kInt64);
      torch::Tensor x = x_all.index_select(0, idx);
      torch::Tensor soft_idx = idx;  // the teacher's column of each sample as it is shown
      if (variant_count > 1) {
        const torch::Tensor v =
            torch::from_blob(variant_of.data(), {static_cast<int64_t>(variant_of.size())},
                             torch::kInt64)
                .index_select(0, idx);
        x = torch::cat({x, torch::zeros({static_cast<int64_t>(n), 1})}, 1)
                .gather(1, source.index_select(0, v));
        soft_idx = v * count + idx;
      }
      const torch::Tensor y = y_all.index_select(0, idx);
      const torch::Tensor z = p.forward(x, o.dropout, true);
      torch::Tensor batch_loss = torch::nn::functional::cross_entropy(z, y);
      if (o.distill > 0.0f) {
        const torch::Tensor kl =
            torch::kl_div(torch::log_softmax(z / o.temperature, 1),
                          soft_all.index_select(0, soft_idx), at::Reduction::Sum) /
            static_cast<double>(n);
        batch_loss =
            batch_loss * (1.0 - o.distill) + kl * (o.distill * o.temperature * o.temperature);
      }
      sgd.zero_grad();
      batch_loss.backward();
      if (!p.masks.empty() && !shared()) {
        for (size_t l = 0; l < layers; ++l) p.w[l].mutable_grad().mul_(p.masks[l]);
        sgd.step();
        torch::NoGradGuard no_grad;  // pruned weights stay exactly zero after every step
        for (size_t l = 0; l < layers; ++l) p.w[l].mul_(p.masks[l]);
      } else {
        sgd.step();
      }
      loss += batch_loss.item<double>() * static_cast<double>(n);
      correct += z.argmax(1).eq(y).sum().item<int64_t>();
    }
    for (size_t l = 0; l < layers; ++l) {
      from_tensor(p.weight(l), w_[l]);
      from_tensor(p.b[l], b_[l]);
      if (shared()) {
        const torch::Tensor c = p.centroids[l].detach().contiguous();
        centroids_[l].assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
      }
    }
    EpochReport r;
    r.epoch = epoch;
    r.loss = loss / static_cast<double>(train.size());
    r.train_accuracy = static_cast<double>(correct) / static_cast<double>(train.size());
    r.test_accuracy = test ? accuracy(*test) : std::numeric_limits<double>::quiet_NaN();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (on_epoch) on_epoch(r);
  }
}

}  // namespace eie
