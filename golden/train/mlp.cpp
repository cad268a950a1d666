#include "eie/mlp.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "eie/error.h"

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
  return t;
}

Mlp::Mlp(const std::vector<int>& sizes, uint64_t seed) {
  require(sizes.size() >= 2, "a network needs at least an input and an output width");
  std::mt19937_64 rng(seed);
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    require(sizes[l] > 0 && sizes[l + 1] > 0, "layer widths must be positive");
    std::normal_distribution<float> init(0.0f, std::sqrt(2.0f / static_cast<float>(sizes[l])));
    Eigen::MatrixXf w(sizes[l + 1], sizes[l]);
    for (Eigen::Index j = 0; j < w.cols(); ++j) {
      for (Eigen::Index i = 0; i < w.rows(); ++i) w(i, j) = init(rng);
    }
    w_.push_back(w);
    b_.emplace_back(Eigen::VectorXf::Zero(sizes[l + 1]));
  }
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
  Eigen::MatrixXf a = x;
  for (size_t l = 0; l < w_.size(); ++l) {
    Eigen::MatrixXf z = (w_[l] * a).colwise() + b_[l];
    a = l + 1 < w_.size() ? Eigen::MatrixXf(z.cwiseMax(0.0f)) : z;
  }
  return a;
}

float Mlp::max_activation(const TrainingSet& set) const {
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

void Mlp::train(const TrainingSet& train, const TrainingSet* test, const TrainOptions& o,
                const std::function<void(const EpochReport&)>& on_epoch) {
  require(o.batch > 0 && o.epochs >= 0 && o.lr > 0,
          "training needs batch > 0, epochs >= 0, lr > 0");
  require(o.dropout >= 0.0f && o.dropout < 1.0f, "dropout {} outside [0, 1)", o.dropout);
  const size_t layers = w_.size();
  std::mt19937_64 rng(o.seed);
  std::vector<Eigen::MatrixXf> vw(layers);
  std::vector<Eigen::VectorXf> vb(layers);
  std::vector<std::vector<float>> vc(centroids_.size());
  for (size_t l = 0; l < layers; ++l) {
    vw[l] = Eigen::MatrixXf::Zero(w_[l].rows(), w_[l].cols());
    vb[l] = Eigen::VectorXf::Zero(b_[l].size());
    if (shared()) vc[l].assign(centroids_[l].size(), 0.0f);
  }
  std::vector<size_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  std::bernoulli_distribution keep(1.0 - o.dropout);
  const float keep_scale = 1.0f / (1.0f - o.dropout);

  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    std::shuffle(order.begin(), order.end(), rng);
    double loss = 0;
    size_t correct = 0;
    for (size_t first = 0; first < order.size(); first += static_cast<size_t>(o.batch)) {
      const auto n = static_cast<Eigen::Index>(std::min<size_t>(o.batch, order.size() - first));
      Eigen::MatrixXf x(train.x.rows(), n);
      for (Eigen::Index s = 0; s < n; ++s)
        x.col(s) = train.x.col(static_cast<Eigen::Index>(order[first + s]));
      // Forward, keeping pre-activations and (dropped-out) activations.
      std::vector<Eigen::MatrixXf> a{x}, z, drop;
      for (size_t l = 0; l < layers; ++l) {
        z.emplace_back((w_[l] * a.back()).colwise() + b_[l]);
        if (l + 1 < layers) {
          Eigen::MatrixXf h = z.back().cwiseMax(0.0f);
          if (o.dropout > 0) {
            Eigen::MatrixXf m(h.rows(), h.cols());
            for (Eigen::Index i = 0; i < m.size(); ++i) m(i) = keep(rng) ? keep_scale : 0.0f;
            h = h.cwiseProduct(m);
            drop.push_back(m);
          }
          a.push_back(h);
        }
      }
      // Softmax cross-entropy.
      Eigen::MatrixXf p = z.back();
      for (Eigen::Index s = 0; s < n; ++s) {
        const float mx = p.col(s).maxCoeff();
        p.col(s) = (p.col(s).array() - mx).exp();
        p.col(s) /= p.col(s).sum();
        const uint8_t y = train.labels[order[first + static_cast<size_t>(s)]];
        loss -= std::log(std::max(p(y, s), 1e-12f));
        correct += argmax(z.back().col(s)) == y;
        p(y, s) -= 1.0f;
      }
      Eigen::MatrixXf delta = p / static_cast<float>(n);
      // Backward and update, last layer first.
      for (size_t l = layers; l-- > 0;) {
        Eigen::MatrixXf gw = delta * a[l].transpose();
        const Eigen::VectorXf gb = delta.rowwise().sum();
        if (l > 0) {
          delta = w_[l].transpose() * delta;
          delta = delta.cwiseProduct((z[l - 1].array() > 0.0f).cast<float>().matrix());
          if (o.dropout > 0) delta = delta.cwiseProduct(drop[l - 1]);
        }
        if (!masks_.empty()) gw = gw.cwiseProduct(masks_[l]);
        if (shared()) {
          // Gradient of a centroid = sum of the gradients of the weights that share it.
          std::vector<float> gc(centroids_[l].size(), 0.0f);
          const Eigen::MatrixXi& c = codes_[l];
          for (Eigen::Index j = 0; j < c.cols(); ++j) {
            for (Eigen::Index i = 0; i < c.rows(); ++i) {
              if (c(i, j) != 0) gc[static_cast<size_t>(c(i, j) - 1)] += gw(i, j);
            }
          }
          for (size_t k = 0; k < gc.size(); ++k) {
            vc[l][k] = o.momentum * vc[l][k] - o.lr * gc[k];
            centroids_[l][k] += vc[l][k];
          }
        } else {
          vw[l] = o.momentum * vw[l] - o.lr * (gw + o.weight_decay * w_[l]);
          w_[l] += vw[l];
        }
        vb[l] = o.momentum * vb[l] - o.lr * gb;
        b_[l] += vb[l];
      }
      if (shared()) {
        rebuild_shared_weights();
      } else {
        apply_masks();
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
