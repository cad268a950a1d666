// Row balancing at compile time (beyond the paper): EIE deals row i to PE i mod N, so uneven
// rows leave PEs idle. Permuting a layer's output rows evens out the per-PE work; the same
// permutation applied to the next layer's input columns keeps the network's function, so chained
// layers need no data movement, and only the final output is reordered by the host
// (Network::output_order).
#pragma once

#include <cstdint>
#include <vector>

#include "eie/network.h"

namespace eie {

// A permutation new_row[old_row] of m's rows for N PEs, in three steps:
// 1. totals: rows sorted by non-zeros, largest first, each given to the PE with the least work
//    so far among those with a free local row (every PE keeps its local row count);
// 2. windows: seeded random swaps of two rows between PEs, kept when they make the two PEs'
//    work more even within windows of 32 columns (their sum of squared per-window entry counts
//    falls) without lifting either above the busiest total of non-zeros (padding is not
//    counted), so the FIFOs fill less often;
// 3. layout: within each PE the densest rows first (as step 1 alone lays them out), which
//    shortens the zero runs that padding entries must bridge.
// Deterministic: the same matrix, N and options give the same permutation.
struct BalanceOptions {
  // Defaults chosen with golden/bench/queue_model.cpp on the EIE benchmark layers at 64 PEs and
  // FIFO depth 8 (docs/benchmarks.md); tries_per_row = 0 skips step 2.
  uint32_t window_cols = 32;
  uint32_t tries_per_row = 40;
};
std::vector<uint32_t> balance_rows(const CodeMatrix& m, uint32_t num_pe,
                                   const BalanceOptions& options = {});

// Step 3 on its own: new_row[old] for rows already dealt to PEs (pe_of[old]), each PE's rows in
// order of their non-zeros (row_entries[old]), largest first, ties in row order.
std::vector<uint32_t> densest_first_layout(const std::vector<uint32_t>& pe_of,
                                           const std::vector<uint32_t>& row_entries,
                                           uint32_t num_pe);

// A permutation new_unit[old_unit] of an LSTM's hidden units for N PEs (docs/benchmarks.md, "An
// LSTM on the array"): unit k owns gate rows k, H + k, 2H + k and 3H + k, which must move
// together, so units, largest first, each take the free slot whose four PEs end up least loaded
// (the largest of their loads with the unit's rows added). Deterministic.
std::vector<uint32_t> balance_lstm_units(const Layer& lstm, uint32_t num_pe);

// Input order (beyond the paper): a permutation new_col[old] of m's columns, rows as dealt to N
// PEs (row i to PE i mod N), that spreads each PE's work evenly along the broadcast order, so
// that with dense activations no PE's FIFO fills while others run dry. Goal chasing (Monden's
// sequencing rule for mixed-model assembly lines): column after column, the one that keeps the
// PEs' work so far closest to their shares of it (the least sum over PEs of (work so far -
// position x total / columns)^2, padding entries counted), ties to the lowest column.
// Deterministic; O(columns^2 x PEs a column reaches), seconds on the largest EIE layer. Only a
// network's first layer can use it: its inputs come from the host, which writes them in any
// order; a later layer's column order is the layer before's row order.
std::vector<uint32_t> order_columns(const CodeMatrix& m, uint32_t num_pe);

struct NetworkBalance {
  bool order_inputs = false;  // also order the first layer's columns (order_columns)
};

// Applies balance_rows to every fully connected layer and balance_lstm_units to every LSTM (its
// gate rows, biases and recurrent columns), permuting the next layer's input columns to match,
// and records the final output order. With order_inputs, then orders the first layer's columns
// (it must be fully connected) and records the input order. A layer that feeds an LSTM of more than
// one step keeps its outputs in place (the LSTM reads them as a sequence of steps). Convolutions
// and pooling are refused. The result computes the same function up to that order; accumulation
// order within a row changes only where the next layer's columns moved, which matters only when an
// accumulator saturates mid-way.
Network balance_network(const Network& net, uint32_t num_pe, const NetworkBalance& options = {});

// Permutes m's rows (new_row[old]) or columns (new_col[old]).
CodeMatrix permute_rows(const CodeMatrix& m, const std::vector<uint32_t>& new_row);
CodeMatrix permute_cols(const CodeMatrix& m, const std::vector<uint32_t>& new_col);

}  // namespace eie
