#include "eie/inference.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "eie/error.h"
#include "eie/fixed_point.h"

namespace eie {

uint64_t LayerWork::total_entries() const {
  return std::accumulate(entries_per_pe.begin(), entries_per_pe.end(), uint64_t{0});
}

uint64_t LayerWork::max_entries() const {
  return entries_per_pe.empty() ? 0
                                : *std::max_element(entries_per_pe.begin(), entries_per_pe.end());
}

GoldenModel::GoldenModel(Network net, uint32_t num_pe) : net_(std::move(net)), num_pe_(num_pe) {
  require(num_pe >= 1, "number of PEs must be at least 1");
  net_.validate();
  for (const Layer& layer : net_.layers) packed_.push_back(pack(layer.weights, num_pe));
}

std::vector<int16_t> GoldenModel::run_layer(size_t l, const std::vector<int16_t>& input,
                                            LayerWork* work) const {
  const Layer& layer = net_.layers[l];
  const PackedLayer& p = packed_[l];
  require(input.size() == layer.inputs(), "{} takes {} inputs, got {}", layer_label(net_, l),
          layer.inputs(), input.size());
  // Destination registers start at the bias (docs/arithmetic.md).
  std::vector<int32_t> acc(layer.outputs(), 0);
  if (!layer.bias.empty()) std::copy(layer.bias.begin(), layer.bias.end(), acc.begin());
  if (work != nullptr) {
    work->nonzero_inputs = 0;
    work->entries_per_pe.assign(num_pe_, 0);
  }
  for (uint32_t j = 0; j < layer.inputs(); ++j) {
    const int16_t a = input[j];
    if (a == 0) continue;  // the leading-non-zero detector never broadcasts zeros
    if (work != nullptr) ++work->nonzero_inputs;
    // The 16 scaled products a * codebook[v] of this column, once, not once per entry:
    // mac_step(acc, a, w) = saturate_int32(acc + scale_product(a * w)).
    std::array<int32_t, kCodebookSize> scaled{};
    for (size_t v = 0; v < scaled.size(); ++v) {
      scaled[v] = scale_product(int32_t{a} * layer.codebook[v], layer.w_frac);
    }
    for (uint32_t k = 0; k < num_pe_; ++k) {
      const PeSlice& s = p.pe[k];
      int32_t* dst = acc.data() + k;
      const uint8_t* entry = s.entries.data() + s.ptr[j];
      const uint8_t* end = s.entries.data() + s.ptr[j + 1];
      for (size_t local = 0; entry != end; ++entry, ++local) {
        local += entry_z(*entry);
        int32_t& d = dst[local * num_pe_];
        d = saturate_int32(int64_t{d} + scaled[entry_v(*entry)]);  // padding adds exactly 0
      }
      if (work != nullptr) work->entries_per_pe[k] += s.ptr[j + 1] - s.ptr[j];
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
