#include "eie/inference.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "eie/error.h"
#include "eie/fixed_point.h"
#include "eie/limits.h"

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
    packed_.push_back(pack(layer.weights, num_pe));
    DecodedLayer d;
    d.matrix = unpack(packed_.back());
    require(layer.outputs() < (1u << 28),
            "{} has {} rows; the golden kernel handles fewer than 2^28",
            layer_label(net_, packed_.size() - 1), layer.outputs());
    d.entries.resize(d.matrix.nnz());
    for (size_t e = 0; e < d.entries.size(); ++e) {
      d.entries[e] = d.matrix.row_idx[e] << 4 | d.matrix.code[e];
    }
    std::vector<uint32_t> row_entries(layer.outputs(), 0);
    for (uint32_t r : d.matrix.row_idx) ++row_entries[r];
    int64_t max_scaled = 0;
    for (int16_t c : layer.codebook) {
      for (int32_t a : {-32768, 32767}) {
        max_scaled = std::max<int64_t>(max_scaled, std::abs(scale_product(a * c, layer.w_frac)));
      }
    }
    d.never_saturates = true;
    for (uint32_t i = 0; i < layer.outputs(); ++i) {
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
  const PackedLayer& p = packed_[l];
  const DecodedLayer& d = decoded_[l];
  const CodeMatrix& m = d.matrix;
  require(input.size() == layer.inputs(), "{} takes {} inputs, got {}", layer_label(net_, l),
          layer.inputs(), input.size());
  if (work != nullptr) {
    work->nonzero_inputs = 0;
    work->entries_per_pe.assign(num_pe_, 0);
    for (uint32_t j = 0; j < layer.inputs(); ++j) {
      if (input[j] == 0) continue;  // the leading-non-zero detector never broadcasts zeros
      ++work->nonzero_inputs;
      for (uint32_t k = 0; k < num_pe_; ++k) {
        work->entries_per_pe[k] += p.pe[k].ptr[j + 1] - p.pe[k].ptr[j];
      }
    }
  }
  // Destination registers start at the bias (docs/arithmetic.md); each row then accumulates its
  // entries' scaled products in broadcast order (increasing column; zero inputs are never
  // broadcast), saturating at every step; padding adds exactly 0 and is not decoded.
  std::vector<int32_t> acc(layer.outputs(), 0);
  if (!layer.bias.empty()) std::copy(layer.bias.begin(), layer.bias.end(), acc.begin());
  // Raw pointers and hoisted bounds: acc (int32) may alias col_ptr (uint32) as far as the
  // compiler knows, which would reload the bound after every add.
  int32_t* const a = acc.data();
  const uint32_t* const col = m.col_ptr.data();
  const uint32_t* const entries = d.entries.data();
  for (uint32_t j = 0; j < layer.inputs(); ++j) {
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
  std::vector<int16_t> out(layer.outputs());
  for (size_t i = 0; i < out.size(); ++i) out[i] = write_back(acc[i], layer.relu);
  return out;
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
