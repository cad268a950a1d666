#include "eie/inference.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "eie/error.h"
#include "eie/fixed_point.h"
#include "eie/limits.h"
#include "eie/lstm.h"

namespace eie {

uint64_t LayerWork::total_entries() const {
  return std::accumulate(entries_per_pe.begin(), entries_per_pe.end(), uint64_t{0});
}

uint64_t LayerWork::max_entries() const {
  return entries_per_pe.empty() ? 0
                                : *std::max_element(entries_per_pe.begin(), entries_per_pe.end());
}

GoldenModel::GoldenModel(Network net, uint32_t num_pe) : net_(std::move(net)), num_pe_(num_pe) {
  require(num_pe >= 1 && num_pe <= kMaxPe, "number of PEs {} outside 1..{}", num_pe, kMaxPe);
  net_.validate();
  check_shape_budget(net_, num_pe);
  for (const Layer& layer : net_.layers) {
    if (!layer.has_weights()) {
      packed_.emplace_back();
      decoded_.emplace_back();
      continue;
    }
    packed_.push_back(pack(layer.weights, num_pe));
    DecodedLayer d;
    d.matrix = unpack(packed_.back());
    require(layer.weights.rows < (1u << 28),
            "{} has {} rows; the golden kernel handles fewer than 2^28",
            layer_label(net_, packed_.size() - 1), layer.weights.rows);
    d.entries.resize(d.matrix.nnz());
    for (size_t e = 0; e < d.entries.size(); ++e) {
      d.entries[e] = d.matrix.row_idx[e] << 4 | d.matrix.code[e];
    }
    std::vector<uint32_t> row_entries(layer.weights.rows, 0);
    for (uint32_t r : d.matrix.row_idx) ++row_entries[r];
    int64_t max_scaled = 0;
    for (int16_t c : layer.codebook) {
      for (int32_t a : {-32768, 32767}) {
        max_scaled = std::max<int64_t>(max_scaled, std::abs(scale_product(a * c, layer.w_frac)));
      }
    }
    d.never_saturates = true;
    for (uint32_t i = 0; i < layer.weights.rows; ++i) {
      const int64_t bias = layer.bias.empty() ? 0 : std::abs(int64_t{layer.bias[i]});
      if (bias + int64_t{row_entries[i]} * max_scaled > INT32_MAX) {
        d.never_saturates = false;
      }
    }
    decoded_.push_back(std::move(d));
  }
}

std::vector<int16_t> GoldenModel::run_layer(size_t l, const std::vector<int16_t>& input,
                                            LayerWork* work) const {
  const Layer& layer = net_.layers[l];
  require(input.size() == layer.inputs(), "{} takes {} inputs, got {}", layer_label(net_, l),
          layer.inputs(), input.size());
  if (work != nullptr) {
    work->nonzero_inputs = 0;
    work->entries_per_pe.assign(num_pe_, 0);
  }
  switch (layer.kind) {
    case LayerKind::kConv2d: {
      // One product of the kernel matrix per output position (im2col), written channel-major.
      const uint64_t positions = layer.positions();
      std::vector<int16_t> out(layer.outputs());
      for (uint64_t pos = 0; pos < positions; ++pos) {
        const std::vector<int16_t> y = product(l, conv_patch(layer, input, pos), work);
        for (size_t o = 0; o < y.size(); ++o) out[o * positions + pos] = y[o];
      }
      return out;
    }
    case LayerKind::kMaxPool2d:
      return max_pool(layer, input);
    case LayerKind::kLstm: {
      LstmState state(layer.sequence.hidden);
      for (uint32_t t = 0; t < layer.sequence.steps; ++t) {
        lstm_step(product(l, lstm_step_input(layer, input, t, state.h), work), state,
                  net_.act_frac);
      }
      return state.h;
    }
    default:
      return product(l, input, work);
  }
}

std::vector<int16_t> GoldenModel::product(size_t l, const std::vector<int16_t>& input,
                                          LayerWork* work) const {
  const Layer& layer = net_.layers[l];
  const PackedLayer& p = packed_[l];
  const DecodedLayer& d = decoded_[l];
  const CodeMatrix& m = d.matrix;
  if (work != nullptr) {
    if (work->entries_per_pe.size() != num_pe_) work->entries_per_pe.assign(num_pe_, 0);
    for (uint32_t j = 0; j < m.cols; ++j) {
      if (input[j] == 0) continue;  // the leading-non-zero detector never broadcasts zeros
      ++work->nonzero_inputs;
      for (uint32_t k = 0; k < num_pe_; ++k) {
        const std::vector<uint8_t>& entries = p.pe[k].entries;
        work->entries_per_pe[k] += issued_entries(p.pe[k].ptr[j], p.pe[k].ptr[j + 1],
                                                  [&](uint64_t e) { return entries[e]; });
      }
    }
  }
  // Destination registers start at the bias (docs/arithmetic.md); each row then accumulates its
  // entries' scaled products in broadcast order (increasing column; zero inputs are never
  // broadcast), saturating at every step; padding adds exactly 0 and is not decoded.
  std::vector<int32_t> acc(m.rows, 0);
  if (!layer.bias.empty()) std::copy(layer.bias.begin(), layer.bias.end(), acc.begin());
  // Raw pointers and hoisted bounds: acc (int32) may alias col_ptr (uint32) as far as the
  // compiler knows, which would reload the bound after every add.
  int32_t* const a = acc.data();
  const uint32_t* const col = m.col_ptr.data();
  const uint32_t* const entries = d.entries.data();
  for (uint32_t j = 0; j < m.cols; ++j) {
    if (input[j] == 0) continue;
    // The 16 scaled products a_j * codebook[v] of this column, once, not once per entry.
    std::array<int32_t, kCodebookSize> scaled{};
    for (size_t v = 0; v < scaled.size(); ++v) {
      scaled[v] = scale_product(int32_t{input[j]} * layer.codebook[v], layer.w_frac);
    }
    const uint32_t* const end = entries + col[j + 1];
    if (d.never_saturates) {
      for (const uint32_t* e = entries + col[j]; e != end; ++e) a[*e >> 4] += scaled[*e & 0xF];
    } else {
      for (const uint32_t* e = entries + col[j]; e != end; ++e) {
        int32_t& r = a[*e >> 4];
        r = saturate_int32(int64_t{r} + scaled[*e & 0xF]);
      }
    }
  }
  std::vector<int16_t> out(m.rows);
  for (size_t i = 0; i < out.size(); ++i) out[i] = write_back(acc[i], layer.relu);
  return out;
}

std::vector<int16_t> conv_patch(const Layer& layer, const std::vector<int16_t>& input,
                                uint64_t position) {
  const TensorShape& in = layer.in_shape;
  const Window& w = layer.window;
  const uint32_t out_w = layer.output_shape().width;
  // The window's top-left corner in unpadded coordinates (negative inside the padding).
  const int64_t y0 = static_cast<int64_t>(position / out_w) * w.stride_h - w.pad_h;
  const int64_t x0 = static_cast<int64_t>(position % out_w) * w.stride_w - w.pad_w;
  std::vector<int16_t> patch(layer.patch_size(), 0);
  size_t j = 0;
  for (uint32_t c = 0; c < in.channels; ++c) {
    for (uint32_t ky = 0; ky < w.kernel_h; ++ky) {
      const int64_t y = y0 + ky;
      for (uint32_t kx = 0; kx < w.kernel_w; ++kx, ++j) {
        const int64_t x = x0 + kx;
        if (y < 0 || y >= in.height || x < 0 || x >= in.width) continue;  // zero padding
        patch[j] = input[(uint64_t{c} * in.height + static_cast<uint64_t>(y)) * in.width +
                         static_cast<uint64_t>(x)];
      }
    }
  }
  return patch;
}

std::vector<int16_t> max_pool(const Layer& layer, const std::vector<int16_t>& input) {
  const TensorShape& in = layer.in_shape;
  const Window& w = layer.window;
  const TensorShape out = layer.output_shape();
  std::vector<int16_t> y(out.size());
  size_t i = 0;
  for (uint32_t c = 0; c < out.channels; ++c) {
    for (uint32_t oy = 0; oy < out.height; ++oy) {
      for (uint32_t ox = 0; ox < out.width; ++ox, ++i) {
        int16_t m = INT16_MIN;
        for (uint32_t ky = 0; ky < w.kernel_h; ++ky) {
          const uint64_t row =
              (uint64_t{c} * in.height + uint64_t{oy} * w.stride_h + ky) * in.width;
          for (uint32_t kx = 0; kx < w.kernel_w; ++kx) {
            m = std::max(m, input[row + uint64_t{ox} * w.stride_w + kx]);
          }
        }
        y[i] = m;
      }
    }
  }
  return y;
}

std::vector<std::vector<int16_t>> GoldenModel::run(const std::vector<int16_t>& input,
                                                   std::vector<LayerWork>* work) const {
  std::vector<std::vector<int16_t>> outputs;
  outputs.reserve(net_.layers.size());
  if (work != nullptr) work->assign(net_.layers.size(), LayerWork{});
  const std::vector<int16_t>* x = &input;
  for (size_t l = 0; l < net_.layers.size(); ++l) {
    outputs.push_back(run_layer(l, *x, work != nullptr ? &(*work)[l] : nullptr));
    x = &outputs.back();
  }
  return outputs;
}

std::vector<int16_t> lstm_step_input(const Layer& layer, const std::vector<int16_t>& sequence,
                                     uint32_t step, const std::vector<int16_t>& h) {
  const Sequence& s = layer.sequence;
  require(layer.kind == LayerKind::kLstm && step < s.steps &&
              sequence.size() == uint64_t{s.steps} * s.input && h.size() == s.hidden,
          "LSTM step {} of {}: {} sequence values and {} hidden values for {} x {} and {}", step,
          s.steps, sequence.size(), h.size(), s.steps, s.input, s.hidden);
  std::vector<int16_t> v(sequence.begin() + size_t{step} * s.input,
                         sequence.begin() + size_t{step + 1} * s.input);
  v.insert(v.end(), h.begin(), h.end());
  return v;
}

std::vector<int16_t> quantize_activations(const std::vector<double>& x, int act_frac) {
  std::vector<int16_t> out;
  out.reserve(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    require(!std::isnan(x[i]), "activation {} is NaN", i);
    out.push_back(to_fixed16(x[i], act_frac));
  }
  return out;
}

std::vector<double> dequantize_activations(const std::vector<int16_t>& x, int act_frac) {
  std::vector<double> out;
  out.reserve(x.size());
  for (int16_t v : x) out.push_back(from_fixed(v, act_frac));
  return out;
}

}  // namespace eie
