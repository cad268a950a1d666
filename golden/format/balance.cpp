#include "eie/balance.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "eie/error.h"
#include "eie/limits.h"
#include "eie/sparse_format.h"

namespace eie {

namespace {

// Refinement: swaps of two rows between PEs that make the PEs' work more even window by window
// of columns (the sum over PEs and windows of the squared entry counts falls), so that the work
// arriving with any stretch of broadcast activations is spread evenly and fewer broadcasts stall
// behind a full FIFO. A swap may not lift either PE above the busiest PE's total of non-zeros
// (padding, which depends on the final layout, is not counted). Deterministic
// (fixed seed). row_win lists each row's entries by window (repeats allowed).
void refine_windows(const std::vector<std::vector<uint32_t>>& row_win, uint32_t windows,
                    uint32_t num_pe, uint32_t tries_per_row, std::vector<uint32_t>& pe_of,
                    std::vector<uint64_t>& load) {
  const uint32_t rows = static_cast<uint32_t>(row_win.size());
  if (num_pe < 2 || rows < 2) return;
  std::vector<std::vector<int32_t>> count(num_pe, std::vector<int32_t>(windows, 0));
  for (uint32_t r = 0; r < rows; ++r) {
    for (uint32_t w : row_win[r]) ++count[pe_of[r]][w];
  }
  const uint64_t max_load = *std::max_element(load.begin(), load.end());
  std::vector<int32_t> diff(windows, 0);  // r - s, window by window
  std::mt19937_64 rng(0x5eed);
  const uint64_t tries = uint64_t{tries_per_row} * rows;
  for (uint64_t t = 0; t < tries; ++t) {
    const uint32_t r = static_cast<uint32_t>(rng() % rows);
    const uint32_t s = static_cast<uint32_t>(rng() % rows);
    const uint32_t a = pe_of[r], b = pe_of[s];
    if (a == b) continue;
    const int64_t moved =
        static_cast<int64_t>(row_win[r].size()) - static_cast<int64_t>(row_win[s].size());
    if (static_cast<int64_t>(load[a]) - moved > static_cast<int64_t>(max_load) ||
        static_cast<int64_t>(load[b]) + moved > static_cast<int64_t>(max_load)) {
      continue;
    }
    // Change of sum(count^2) when r goes a -> b and s goes b -> a, with d = r - s:
    // |C_a - d|^2 + |C_b + d|^2 - |C_a|^2 - |C_b|^2 = 2 (C_b - C_a) . d + 2 |d|^2.
    int64_t cross = 0, norm = 0;
    for (uint32_t w : row_win[r]) {
      cross += count[b][w] - count[a][w];
      ++diff[w];
    }
    for (uint32_t w : row_win[s]) {
      cross -= count[b][w] - count[a][w];
      --diff[w];
    }
    for (const auto* list : {&row_win[r], &row_win[s]}) {
      for (uint32_t w : *list) {
        norm += int64_t{diff[w]} * diff[w];
        diff[w] = 0;
      }
    }
    if (cross + norm >= 0) continue;
    for (uint32_t w : row_win[r]) {
      --count[a][w];
      ++count[b][w];
    }
    for (uint32_t w : row_win[s]) {
      --count[b][w];
      ++count[a][w];
    }
    load[a] = static_cast<uint64_t>(static_cast<int64_t>(load[a]) - moved);
    load[b] = static_cast<uint64_t>(static_cast<int64_t>(load[b]) + moved);
    pe_of[r] = b;
    pe_of[s] = a;
  }
}

}  // namespace

std::vector<uint32_t> balance_rows(const CodeMatrix& m, uint32_t num_pe,
                                   const BalanceOptions& options) {
  require(num_pe >= 1, "row balancing needs at least one PE");
  require(options.window_cols >= 1, "row balancing needs windows of at least one column");
  // Each row's entries by column window; a row's work is its entry count.
  std::vector<std::vector<uint32_t>> row_win(m.rows);
  for (uint32_t j = 0; j < m.cols; ++j) {
    for (uint32_t e = m.col_ptr[j]; e < m.col_ptr[j + 1]; ++e) {
      row_win[m.row_idx[e]].push_back(j / options.window_cols);
    }
  }
  std::vector<uint32_t> order(m.rows);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return row_win[a].size() > row_win[b].size(); });
  // Every PE keeps the local row count plain interleaving gives it.
  std::vector<uint32_t> free_rows(num_pe);
  for (uint32_t k = 0; k < num_pe; ++k) {
    free_rows[k] = k < m.rows ? (m.rows - k + num_pe - 1) / num_pe : 0;
  }
  std::vector<uint64_t> load(num_pe, 0);
  std::vector<uint32_t> pe_of(m.rows);
  for (uint32_t r : order) {
    uint32_t best = UINT32_MAX;
    for (uint32_t k = 0; k < num_pe; ++k) {
      if (free_rows[k] != 0 && (best == UINT32_MAX || load[k] < load[best])) best = k;
    }
    load[best] += row_win[r].size();
    --free_rows[best];
    pe_of[r] = best;
  }
  const auto windows =
      static_cast<uint32_t>((uint64_t{m.cols} + options.window_cols - 1) / options.window_cols);
  refine_windows(row_win, windows, num_pe, options.tries_per_row, pe_of, load);
  std::vector<uint32_t> row_entries(m.rows);
  for (uint32_t r = 0; r < m.rows; ++r) row_entries[r] = static_cast<uint32_t>(row_win[r].size());
  return densest_first_layout(pe_of, row_entries, num_pe);
}

std::vector<uint32_t> densest_first_layout(const std::vector<uint32_t>& pe_of,
                                           const std::vector<uint32_t>& row_entries,
                                           uint32_t num_pe) {
  require(pe_of.size() == row_entries.size(), "row layout: {} PE choices for {} rows", pe_of.size(),
          row_entries.size());
  // Within a PE the densest rows come first: entries cluster at low local rows, so fewer zero
  // runs exceed what a 4-bit relative index spans, and fewer padding entries are needed.
  std::vector<uint32_t> order(pe_of.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return row_entries[a] > row_entries[b]; });
  std::vector<uint32_t> next_local(num_pe, 0), new_row(pe_of.size());
  for (uint32_t r : order) new_row[r] = next_local[pe_of[r]]++ * num_pe + pe_of[r];
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

std::vector<uint32_t> balance_lstm_units(const Layer& lstm, uint32_t num_pe) {
  require(num_pe >= 1, "row balancing needs at least one PE");
  require(lstm.kind == LayerKind::kLstm, "balance_lstm_units takes an LSTM layer");
  const uint32_t hidden = lstm.sequence.hidden;
  const CodeMatrix& m = lstm.weights;
  std::vector<uint64_t> row_entries(m.rows, 0);
  for (uint32_t r : m.row_idx) ++row_entries[r];
  const auto gate_row = [&](uint32_t g, uint32_t unit) { return g * hidden + unit; };
  std::vector<uint32_t> order(hidden);
  std::iota(order.begin(), order.end(), 0);
  const auto unit_entries = [&](uint32_t k) {
    uint64_t e = 0;
    for (uint32_t g = 0; g < 4; ++g) e += row_entries[gate_row(g, k)];
    return e;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return unit_entries(a) > unit_entries(b); });
  std::vector<uint64_t> load(num_pe, 0);
  std::vector<uint8_t> taken(hidden, 0);
  std::vector<uint32_t> new_unit(hidden);
  for (uint32_t k : order) {
    uint32_t best = UINT32_MAX;
    uint64_t best_peak = UINT64_MAX;
    for (uint32_t slot = 0; slot < hidden; ++slot) {
      if (taken[slot]) continue;
      uint64_t peak = 0;
      for (uint32_t g = 0; g < 4; ++g) {
        const uint32_t pe = gate_row(g, slot) % num_pe;
        // Gates of one unit may share a PE (hidden < num_pe, or hidden mod num_pe small).
        uint64_t with = load[pe];
        for (uint32_t h = 0; h < 4; ++h) {
          if (gate_row(h, slot) % num_pe == pe) with += row_entries[gate_row(h, k)];
        }
        peak = std::max(peak, with);
      }
      if (peak < best_peak) best_peak = peak, best = slot;
    }
    taken[best] = 1;
    new_unit[k] = best;
    for (uint32_t g = 0; g < 4; ++g)
      load[gate_row(g, best) % num_pe] += row_entries[gate_row(g, k)];
  }
  return new_unit;
}

namespace {

// Permutes layer l's outputs (new_out[old]): a fully connected layer's rows, or an LSTM's hidden
// units (its four gates' rows and its recurrent columns alike), with their biases.
void permute_outputs(Layer& layer, const std::vector<uint32_t>& new_out) {
  std::vector<uint32_t> rows = new_out;
  if (layer.kind == LayerKind::kLstm) {
    const uint32_t hidden = layer.sequence.hidden, input = layer.sequence.input;
    rows.resize(layer.weights.rows);
    std::vector<uint32_t> cols(layer.weights.cols);
    std::iota(cols.begin(), cols.end(), 0);
    for (uint32_t k = 0; k < hidden; ++k) {
      for (uint32_t g = 0; g < 4; ++g) rows[g * hidden + k] = g * hidden + new_out[k];
      cols[input + k] = input + new_out[k];
    }
    layer.weights = permute_cols(layer.weights, cols);
  }
  layer.weights = permute_rows(layer.weights, rows);
  if (!layer.bias.empty()) {
    std::vector<int32_t> bias(layer.bias.size());
    for (uint32_t i = 0; i < rows.size(); ++i) bias[rows[i]] = layer.bias[i];
    layer.bias = bias;
  }
}

// Permutes the inputs a layer reads from the layer before (new_in[old]): a fully connected
// layer's columns, or an LSTM's step-input columns.
void permute_inputs(Layer& layer, const std::vector<uint32_t>& new_in) {
  std::vector<uint32_t> cols(layer.weights.cols);
  std::iota(cols.begin(), cols.end(), 0);
  std::copy(new_in.begin(), new_in.end(), cols.begin());
  layer.weights = permute_cols(layer.weights, cols);
}

}  // namespace

std::vector<uint32_t> order_columns(const CodeMatrix& m, uint32_t num_pe) {
  require(num_pe >= 1, "input order needs at least one PE");
  uint64_t words = 0;  // the packed layer's pointers (one set per PE), within the shape budget
  add_shape_words(words, m.rows, m.cols, num_pe, "input order: the first layer");
  const PackedLayer packed = pack(m, num_pe);
  // Each column's work: (PE, entries, padding included), and each PE's total.
  std::vector<uint64_t> start(m.cols + 1, 0);
  std::vector<std::pair<uint32_t, uint32_t>> work;
  std::vector<uint64_t> total(num_pe, 0);
  for (uint32_t j = 0; j < m.cols; ++j) {
    for (uint32_t k = 0; k < num_pe; ++k) {
      const uint32_t w = packed.pe[k].ptr[j + 1] - packed.pe[k].ptr[j];
      if (w != 0) work.emplace_back(k, w);
      total[k] += w;
    }
    start[j + 1] = work.size();
  }
  // Integers throughout, so the order is the same on every machine: the share so far is
  // floor(position x total / columns), and a column's cost is the change it makes to the sum of
  // squares, sum over its PEs of w (2 d + w) with d = work so far - share.
  std::vector<int64_t> done(num_pe, 0), d(num_pe, 0);
  std::vector<uint32_t> left(m.cols);
  std::iota(left.begin(), left.end(), 0);
  std::vector<uint32_t> new_col(m.cols);
  for (uint32_t pos = 0; pos < m.cols; ++pos) {
    for (uint32_t k = 0; k < num_pe; ++k) {
      d[k] = done[k] - static_cast<int64_t>((uint64_t{pos} + 1) * total[k] / m.cols);
    }
    size_t best = 0;
    int64_t best_cost = 0;
    for (size_t c = 0; c < left.size(); ++c) {
      int64_t cost = 0;
      for (uint64_t e = start[left[c]]; e < start[left[c] + 1]; ++e) {
        const int64_t w = work[e].second;
        cost += w * (2 * d[work[e].first] + w);
      }
      if (c == 0 || cost < best_cost) {  // left stays sorted: ties go to the lowest column
        best = c;
        best_cost = cost;
      }
    }
    const uint32_t j = left[best];
    left.erase(left.begin() + static_cast<std::ptrdiff_t>(best));
    new_col[j] = pos;
    for (uint64_t e = start[j]; e < start[j + 1]; ++e) done[work[e].first] += work[e].second;
  }
  return new_col;
}

Network balance_network(const Network& net, uint32_t num_pe, const NetworkBalance& options) {
  net.validate();
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const LayerKind kind = net.layers[l].kind;
    require(kind == LayerKind::kFullyConnected || kind == LayerKind::kLstm,
            "row balancing: {} is a {} layer; it balances fully connected and LSTM layers only",
            layer_label(net, l), kind_name(kind));
  }
  Network out = net;
  std::vector<uint32_t> order(net.outputs());
  std::iota(order.begin(), order.end(), 0);
  if (!net.output_order.empty()) order = net.output_order;
  for (size_t l = 0; l < out.layers.size(); ++l) {
    Layer& layer = out.layers[l];
    const bool last = l + 1 == out.layers.size();
    if (!last && out.layers[l + 1].kind == LayerKind::kLstm &&
        out.layers[l + 1].sequence.steps > 1) {
      continue;  // its outputs are an LSTM's sequence, step after step: they stay in place
    }
    const std::vector<uint32_t> p = layer.kind == LayerKind::kLstm
                                        ? balance_lstm_units(layer, num_pe)
                                        : balance_rows(layer.weights, num_pe);
    permute_outputs(layer, p);
    if (!last) {
      permute_inputs(out.layers[l + 1], p);
    } else {
      for (uint32_t& o : order) o = p[o];  // original output i now lives at p[order[i]]
    }
  }
  out.output_order = order;
  if (options.order_inputs) {
    require(out.layers.front().kind == LayerKind::kFullyConnected,
            "input order: {} is a {} layer; only a fully connected first layer takes its inputs "
            "in any order",
            layer_label(out, 0), kind_name(out.layers.front().kind));
    const std::vector<uint32_t> q = order_columns(out.layers.front().weights, num_pe);
    out.layers.front().weights = permute_cols(out.layers.front().weights, q);
    std::vector<uint32_t> inputs(net.inputs());
    std::iota(inputs.begin(), inputs.end(), 0);
    if (!net.input_order.empty()) inputs = net.input_order;
    for (uint32_t& i : inputs) i = q[i];  // original input i now goes to q[input_order[i]]
    out.input_order = inputs;
  }
  out.validate();
  return out;
}

}  // namespace eie
