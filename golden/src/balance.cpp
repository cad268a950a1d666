#include "eie/balance.h"

#include <algorithm>
#include <numeric>

#include "eie/error.h"

namespace eie {

std::vector<uint32_t> balance_rows(const CodeMatrix& m, uint32_t num_pe) {
  require(num_pe >= 1, "row balancing needs at least one PE");
  std::vector<uint64_t> work(m.rows, 0);
  for (uint32_t r : m.row_idx) ++work[r];
  std::vector<uint32_t> order(m.rows);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return work[a] > work[b]; });
  // Every PE keeps the local row count plain interleaving gives it.
  std::vector<uint32_t> free_rows(num_pe), next_local(num_pe, 0);
  for (uint32_t k = 0; k < num_pe; ++k) {
    free_rows[k] = k < m.rows ? (m.rows - k + num_pe - 1) / num_pe : 0;
  }
  std::vector<uint64_t> load(num_pe, 0);
  std::vector<uint32_t> new_row(m.rows);
  for (uint32_t r : order) {
    uint32_t best = UINT32_MAX;
    for (uint32_t k = 0; k < num_pe; ++k) {
      if (free_rows[k] != 0 && (best == UINT32_MAX || load[k] < load[best])) best = k;
    }
    load[best] += work[r];
    --free_rows[best];
    new_row[r] = next_local[best]++ * num_pe + best;
  }
  return new_row;
}

CodeMatrix permute_rows(const CodeMatrix& m, const std::vector<uint32_t>& new_row) {
  require(new_row.size() == m.rows, "row permutation has {} entries for {} rows", new_row.size(),
          m.rows);
  std::vector<uint8_t> dense(size_t{m.rows} * m.cols, 0);
  const std::vector<uint8_t> old = m.to_dense();
  for (uint32_t i = 0; i < m.rows; ++i) {
    std::copy_n(old.begin() + static_cast<long>(size_t{i} * m.cols), m.cols,
                dense.begin() + static_cast<long>(size_t{new_row[i]} * m.cols));
  }
  return CodeMatrix::from_dense(m.rows, m.cols, dense);
}

CodeMatrix permute_cols(const CodeMatrix& m, const std::vector<uint32_t>& new_col) {
  require(new_col.size() == m.cols, "column permutation has {} entries for {} columns",
          new_col.size(), m.cols);
  CodeMatrix out;
  out.rows = m.rows;
  out.cols = m.cols;
  std::vector<uint32_t> old_of(m.cols);
  for (uint32_t j = 0; j < m.cols; ++j) old_of[new_col[j]] = j;
  out.col_ptr.push_back(0);
  for (uint32_t j = 0; j < m.cols; ++j) {
    const uint32_t o = old_of[j];
    for (uint32_t e = m.col_ptr[o]; e < m.col_ptr[o + 1]; ++e) {
      out.row_idx.push_back(m.row_idx[e]);
      out.code.push_back(m.code[e]);
    }
    out.col_ptr.push_back(static_cast<uint32_t>(out.row_idx.size()));
  }
  return out;
}

Network balance_network(const Network& net, uint32_t num_pe) {
  net.validate();
  Network out = net;
  std::vector<uint32_t> order(net.outputs());
  std::iota(order.begin(), order.end(), 0);
  if (!net.output_order.empty()) order = net.output_order;
  for (size_t l = 0; l < out.layers.size(); ++l) {
    Layer& layer = out.layers[l];
    const std::vector<uint32_t> p = balance_rows(layer.weights, num_pe);
    layer.weights = permute_rows(layer.weights, p);
    if (!layer.bias.empty()) {
      std::vector<int32_t> bias(layer.bias.size());
      for (uint32_t i = 0; i < p.size(); ++i) bias[p[i]] = layer.bias[i];
      layer.bias = bias;
    }
    if (l + 1 < out.layers.size()) {
      out.layers[l + 1].weights = permute_cols(out.layers[l + 1].weights, p);
    } else {
      for (uint32_t& o : order) o = p[o];  // original output i now lives at p[order[i]]
    }
  }
  out.output_order = order;
  out.validate();
  return out;
}

}  // namespace eie
