#include "eie/compress.h"

#include <algorithm>
#include <cmath>

#include "eie/error.h"
#include "eie/fixed_point.h"

namespace eie {

Layer FloatLayer::shape() const {
  Layer l;
  l.kind = kind;
  l.name = name;
  l.weights.rows = rows;
  l.weights.cols = cols;
  l.in_shape = in_shape;
  l.window = window;
  l.sequence = sequence;
  l.relu = false;
  return l;
}

void FloatLayer::validate() const {
  const std::string label = name.empty() ? std::string("layer") : "layer '" + name + "'";
  if (kind == LayerKind::kConv2d || kind == LayerKind::kMaxPool2d) check_window(shape(), label);
  if (kind == LayerKind::kLstm) {
    check_sequence(shape(), label);
    require(!relu, "{}: an LSTM's gate matrix has no ReLU", label);
  }
  if (!has_weights()) {
    require(rows == 0 && cols == 0 && weights.empty() && bias.empty() && !relu,
            "{}: a {} layer has no weights, bias or ReLU", label, kind_name(kind));
    return;
  }
  require(rows > 0 && cols > 0, "{}: shape {}x{} must be non-empty", label, rows, cols);
  if (kind == LayerKind::kConv2d) check_kernel_columns(cols, in_shape, window, label);
  require(weights.size() == size_t{rows} * cols, "{}: {} weights for shape {}x{}", label,
          weights.size(), rows, cols);
  require(bias.empty() || bias.size() == rows, "{}: {} bias values for {} outputs", label,
          bias.size(), rows);
  for (size_t i = 0; i < weights.size(); ++i) {
    require(std::isfinite(weights[i]), "{}: weight ({}, {}) is {}", label, i / cols, i % cols,
            weights[i]);
  }
  for (size_t i = 0; i < bias.size(); ++i) {
    require(std::isfinite(bias[i]), "{}: bias {} is {}", label, i, bias[i]);
  }
}

namespace {

// Builds the index matrix from a row-major array of per-weight indices (0 = absent).
CodeMatrix codes_from_dense(const FloatLayer& layer, const std::vector<uint8_t>& index) {
  return CodeMatrix::from_dense(layer.rows, layer.cols, index);
}

}  // namespace

SharedWeights share_weights(const FloatLayer& layer, const Mask& mask, int clusters,
                            KmeansInit init, uint64_t seed) {
  layer.validate();
  require(mask.size() == layer.weights.size(), "mask has {} entries for {} weights", mask.size(),
          layer.weights.size());
  require(clusters >= 1 && clusters <= kCodebookSize - 1,
          "{} shared weights requested; a layer has 1..15 (index 0 is reserved)", clusters);
  std::vector<float> kept;
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i]) kept.push_back(layer.weights[i]);
  }
  SharedWeights out;
  std::vector<uint8_t> index(layer.weights.size(), 0);
  if (!kept.empty()) {
    const KmeansResult km = kmeans_1d(kept, clusters, init, seed);
    out.centroids = km.centroids;
    size_t n = 0;
    for (size_t i = 0; i < mask.size(); ++i) {
      if (mask[i]) index[i] = static_cast<uint8_t>(km.assignment[n++] + 1);
    }
  }
  out.codes = codes_from_dense(layer, index);
  return out;
}

SharedWeights assign_to_codebook(const FloatLayer& layer, const std::vector<double>& centroids,
                                 const Mask* mask) {
  layer.validate();
  require(!centroids.empty() && centroids.size() <= kCodebookSize - 1,
          "codebook has {} shared weights; 1..15 allowed (index 0 is reserved)", centroids.size());
  if (mask != nullptr) {
    require(mask->size() == layer.weights.size(), "mask has {} entries for {} weights",
            mask->size(), layer.weights.size());
  }
  std::vector<uint8_t> index(layer.weights.size(), 0);
  for (size_t i = 0; i < layer.weights.size(); ++i) {
    const bool kept = mask != nullptr ? (*mask)[i] != 0 : layer.weights[i] != 0.0f;
    if (!kept) continue;
    size_t best = 0;
    for (size_t c = 1; c < centroids.size(); ++c) {
      if (std::fabs(layer.weights[i] - centroids[c]) <
          std::fabs(layer.weights[i] - centroids[best]))
        best = c;
    }
    index[i] = static_cast<uint8_t>(best + 1);
  }
  return {centroids, codes_from_dense(layer, index)};
}

Layer to_fixed_layer(const FloatLayer& layer, const SharedWeights& shared, int act_frac) {
  require(act_frac >= 0 && act_frac <= kMaxFrac, "act_frac {} outside [0, 15]", act_frac);
  require(shared.centroids.size() <= kCodebookSize - 1, "{} shared weights; at most 15 allowed",
          shared.centroids.size());
  if (!layer.has_weights()) {
    layer.validate();
    return layer.shape();  // pooling: its shape is all it has
  }
  Layer out = layer.shape();
  out.weights = shared.codes;
  out.relu = layer.relu;
  try {
    out.w_frac = shared.centroids.empty() ? kMaxFrac : choose_w_frac(shared.centroids);
  } catch (const Error& e) {
    fail("{}: {}", layer.name.empty() ? "layer" : layer.name, e.what());
  }
  for (size_t c = 0; c < shared.centroids.size(); ++c) {
    out.codebook[c + 1] = to_fixed16(shared.centroids[c], out.w_frac);
  }
  for (float b : layer.bias) out.bias.push_back(to_fixed32(b, act_frac));
  out.validate();
  return out;
}

std::vector<float> decode_weights(const Layer& layer) {
  std::vector<float> w(size_t{layer.weights.rows} * layer.weights.cols, 0.0f);
  const CodeMatrix& m = layer.weights;
  for (uint32_t j = 0; j < m.cols; ++j) {
    for (uint32_t e = m.col_ptr[j]; e < m.col_ptr[j + 1]; ++e) {
      w[size_t{m.row_idx[e]} * m.cols + j] =
          static_cast<float>(from_fixed(layer.codebook[m.code[e]], layer.w_frac));
    }
  }
  return w;
}

}  // namespace eie
