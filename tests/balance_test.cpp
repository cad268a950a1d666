// Row balancing: a valid permutation, even per-PE work, and the same function up to the order.
#include "eie/balance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <utility>

#include "eie/inference.h"
#include "test_util.h"

namespace eie {
namespace {

// Non-zeros of the busiest PE when rows are dealt i mod N.
uint64_t busiest(const CodeMatrix& m, uint32_t n) {
  std::vector<uint64_t> load(n, 0);
  for (uint32_t r : m.row_idx) ++load[r % n];
  return *std::max_element(load.begin(), load.end());
}

// Rows whose densities differ a lot, clustered so that i mod N is badly uneven.
CodeMatrix skewed(uint32_t rows, uint32_t cols, std::mt19937_64& rng) {
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (uint32_t i = 0; i < rows; ++i) {
    const double d = i % 8 == 0 ? 0.9 : 0.05;
    std::bernoulli_distribution keep(d);
    for (uint32_t j = 0; j < cols; ++j) {
      if (keep(rng)) dense[size_t{i} * cols + j] = static_cast<uint8_t>(1 + rng() % 15);
    }
  }
  return CodeMatrix::from_dense(rows, cols, dense);
}

TEST(Balance, PermutationEvensOutThePes) {
  std::mt19937_64 rng(1);
  const CodeMatrix m = skewed(200, 150, rng);
  for (uint32_t n : {3u, 8u, 64u}) {
    const std::vector<uint32_t> p = balance_rows(m, n);
    std::vector<uint32_t> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    for (uint32_t i = 0; i < sorted.size(); ++i) ASSERT_EQ(sorted[i], i);
    const CodeMatrix b = permute_rows(m, p);
    EXPECT_EQ(b.nnz(), m.nnz());
    EXPECT_LT(busiest(b, n), busiest(m, n)) << n;
    const double ideal = static_cast<double>(m.nnz()) / n;
    if (n < 64) {
      EXPECT_LT(static_cast<double>(busiest(b, n)), ideal * 1.1) << n;
    }
  }
}

// Rows of equal work, the even ones in columns 0..31 and the odd ones in columns 64..95: dealing
// by work alone puts every early row in PE 0 and every late one in PE 1, so each PE idles while
// the other works through its half of the columns.
CodeMatrix early_and_late_rows() {
  const uint32_t rows = 16, cols = 96;
  std::vector<uint8_t> dense(size_t{rows} * cols, 0);
  for (uint32_t i = 0; i < rows; ++i) {
    const uint32_t first = i % 2 == 0 ? 0 : 64;
    for (uint32_t j = first; j < first + 32; j += 2) dense[size_t{i} * cols + j] = 1;
  }
  return CodeMatrix::from_dense(rows, cols, dense);
}

// Entries PE `pe` of 2 holds in columns 0..63 (early) and 64.. (late).
std::pair<uint32_t, uint32_t> early_late_entries(const CodeMatrix& b, uint32_t pe) {
  uint32_t early = 0, late = 0;
  for (uint32_t j = 0; j < b.cols; ++j) {
    for (uint32_t e = b.col_ptr[j]; e < b.col_ptr[j + 1]; ++e) {
      if (b.row_idx[e] % 2 == pe) ++(j < 64 ? early : late);
    }
  }
  return {early, late};
}

// The refinement must mix the early and late rows.
TEST(Balance, WorkIsEvenWithinColumnWindows) {
  const CodeMatrix m = early_and_late_rows();
  const CodeMatrix b = permute_rows(m, balance_rows(m, 2));
  for (uint32_t pe = 0; pe < 2; ++pe) {
    EXPECT_EQ(early_late_entries(b, pe), std::make_pair(64u, 64u)) << "PE " << pe;
  }
}

TEST(Balance, OptionsSkipTheRefinementOrRejectEmptyWindows) {
  const CodeMatrix m = early_and_late_rows();
  // No swaps: the greedy deal alone leaves every early row in PE 0.
  const CodeMatrix b = permute_rows(m, balance_rows(m, 2, {32, 0}));
  EXPECT_EQ(early_late_entries(b, 0), std::make_pair(128u, 0u));
  EXPECT_EQ(early_late_entries(b, 1), std::make_pair(0u, 128u));
  EXPECT_THROW(balance_rows(m, 2, {0, 40}), Error);
}

// Within a PE the densest rows come first, so short zero runs need no padding entries.
TEST(Balance, DenseRowsComeFirstWithinAPe) {
  std::mt19937_64 rng(3);
  const CodeMatrix m = skewed(64, 200, rng);
  const CodeMatrix b = permute_rows(m, balance_rows(m, 4));
  std::vector<uint32_t> nnz(b.rows, 0);
  for (uint32_t r : b.row_idx) ++nnz[r];
  for (uint32_t i = 4; i < b.rows; ++i) EXPECT_GE(nnz[i - 4], nnz[i]) << "row " << i;
}

TEST(Balance, NetworkComputesTheSameFunctionUpToTheOutputOrder) {
  std::mt19937_64 rng(2);
  Network net;
  for (auto [rows, cols] : {std::pair<uint32_t, uint32_t>{48, 60}, {30, 48}, {12, 30}}) {
    Layer l;
    l.weights = skewed(rows, cols, rng);
    for (int c = 1; c < 16; ++c)
      l.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 97 - 700);
    l.w_frac = 12;
    for (uint32_t i = 0; i < rows; ++i) l.bias.push_back(static_cast<int32_t>(i * 13) - 200);
    l.relu = net.layers.size() < 2;
    net.layers.push_back(l);
  }
  const Network balanced = balance_network(net, 8);
  EXPECT_EQ(balanced.output_order.size(), 12u);
  const GoldenModel a(net, 8), b(balanced, 8);
  std::uniform_int_distribution<int> v(0, 300);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<int16_t> x(60);
    for (auto& e : x) e = static_cast<int16_t>(v(rng));
    EXPECT_EQ(original_order(balanced, b.run(x).back()), a.run(x).back()) << trial;
  }
  // Balancing twice composes the output orders.
  const Network twice = balance_network(balanced, 3);
  const GoldenModel c(twice, 3);
  std::vector<int16_t> x(60, 100);
  EXPECT_EQ(original_order(twice, c.run(x).back()), a.run(x).back());
}

// An LSTM (4 steps of 6 inputs, 16 hidden units) with skewed gate rows, then a classifier.
Network skewed_lstm(std::mt19937_64& rng) {
  Network net;
  net.act_frac = 10;
  Layer lstm;
  lstm.kind = LayerKind::kLstm;
  lstm.sequence = {4, 6, 16};
  lstm.weights = skewed(64, 22, rng);
  for (int c = 1; c < 16; ++c) {
    lstm.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 250 - 2000);
  }
  lstm.w_frac = 12;
  for (uint32_t i = 0; i < 64; ++i) lstm.bias.push_back(static_cast<int32_t>(i * 11) - 300);
  lstm.relu = false;
  Layer fc;
  fc.weights = skewed(5, 16, rng);
  fc.codebook = lstm.codebook;
  fc.w_frac = 12;
  fc.relu = false;
  net.layers = {lstm, fc};
  net.validate();
  return net;
}

uint64_t busiest_pe(const CodeMatrix& m, uint32_t num_pe) {
  std::vector<uint64_t> load(num_pe, 0);
  for (uint32_t r : m.row_idx) ++load[r % num_pe];
  return *std::max_element(load.begin(), load.end());
}

TEST(Balance, LstmUnitsMoveWithTheirFourGatesAndKeepTheFunction) {
  std::mt19937_64 rng(3);
  const Network net = skewed_lstm(rng);
  for (uint32_t num_pe : {4u, 8u, 5u}) {
    const Network balanced = balance_network(net, num_pe);
    EXPECT_LT(busiest_pe(balanced.layers[0].weights, num_pe),
              busiest_pe(net.layers[0].weights, num_pe))
        << num_pe << " PEs";
    // The classifier's outputs keep their order: only hidden units moved.
    EXPECT_EQ(balanced.output_order.size(), 5u);
    const GoldenModel a(net, num_pe), b(balanced, num_pe);
    std::uniform_int_distribution<int> v(0, 1024);
    for (int trial = 0; trial < 10; ++trial) {
      std::vector<int16_t> x(24);
      for (auto& e : x) e = static_cast<int16_t>(v(rng));
      const auto want = a.run(x), got = b.run(x);
      EXPECT_EQ(original_order(balanced, got.back()), want.back()) << trial;
      // The hidden vector is the same values in the units' new places.
      const std::vector<uint32_t> p = balance_lstm_units(net.layers[0], num_pe);
      for (uint32_t k = 0; k < 16; ++k) EXPECT_EQ(got[0][p[k]], want[0][k]);
    }
  }
  // A unit's four gate rows stay together: the permutation maps unit to unit.
  const std::vector<uint32_t> p = balance_lstm_units(net.layers[0], 8);
  EXPECT_TRUE(std::is_permutation(p.begin(), p.end(),
                                  [] {
                                    std::vector<uint32_t> id(16);
                                    std::iota(id.begin(), id.end(), 0);
                                    return id;
                                  }()
                                      .begin()));
}

// The largest gap over PEs and prefixes of the broadcast order between a PE's work so far and its
// share of its total (work x position / columns), padding entries counted.
double worst_gap(const CodeMatrix& m, uint32_t num_pe) {
  const PackedLayer p = pack(m, num_pe);
  double worst = 0;
  for (uint32_t k = 0; k < num_pe; ++k) {
    const double total = p.pe[k].ptr[m.cols];
    for (uint32_t j = 1; j <= m.cols; ++j) {
      worst = std::max(worst, std::abs(p.pe[k].ptr[j] - total * j / m.cols));
    }
  }
  return worst;
}

TEST(Balance, InputOrderSpreadsEachPesWorkAlongTheBroadcasts) {
  // 8 PEs, 32 rows; columns 32c .. 32c + 31 have entries only in PE c's rows: in their own order
  // each PE gets all its work in one stretch and the others none.
  std::vector<uint8_t> dense(32 * 256, 0);
  std::mt19937_64 rng(5);
  for (uint32_t j = 0; j < 256; ++j) {
    for (uint32_t i = j / 32; i < 32; i += 8) {
      if (rng() % 2 != 0) dense[size_t{i} * 256 + j] = static_cast<uint8_t>(1 + rng() % 15);
    }
  }
  const CodeMatrix m = CodeMatrix::from_dense(32, 256, dense);
  const std::vector<uint32_t> q = order_columns(m, 8);
  std::vector<uint32_t> sorted = q;
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t j = 0; j < 256; ++j) ASSERT_EQ(sorted[j], j);
  EXPECT_EQ(order_columns(m, 8), q);  // deterministic
  const CodeMatrix ordered = permute_cols(m, q);
  EXPECT_GT(worst_gap(m, 8), 40);  // about 7/8 of a PE's 64 entries
  EXPECT_LT(worst_gap(ordered, 8), 4) << "each PE's work so far stays within a few entries";
  // Random layers gain too.
  for (uint32_t n : {3u, 8u, 16u}) {
    const CodeMatrix r = skewed(64, 300, rng);
    EXPECT_LT(worst_gap(permute_cols(r, order_columns(r, n)), n), worst_gap(r, n) / 2) << n;
  }
}

TEST(Balance, InputOrderKeepsTheFunctionAndComposes) {
  std::mt19937_64 rng(6);
  Network net;
  for (auto [rows, cols] : {std::pair<uint32_t, uint32_t>{40, 70}, {9, 40}}) {
    Layer l;
    l.weights = skewed(rows, cols, rng);
    for (int c = 1; c < 16; ++c)
      l.codebook[static_cast<size_t>(c)] = static_cast<int16_t>(c * 97 - 700);
    l.w_frac = 12;
    l.bias.assign(rows, 35);
    l.relu = net.layers.empty();
    net.layers.push_back(l);
  }
  const Network ordered = balance_network(net, 8, {true});
  ASSERT_EQ(ordered.input_order.size(), 70u);
  EXPECT_FALSE(ordered.layers[0].weights == balance_network(net, 8).layers[0].weights);
  const GoldenModel a(net, 8), b(ordered, 8);
  std::uniform_int_distribution<int> v(-200, 300);
  for (int trial = 0; trial < 10; ++trial) {
    std::vector<int16_t> x(70);
    for (auto& e : x) e = static_cast<int16_t>(v(rng));
    EXPECT_EQ(original_order(ordered, b.run(network_order(ordered, x)).back()), a.run(x).back())
        << trial;
    // The network's input input_order[i] is original input i.
    const std::vector<int16_t> sent = network_order(ordered, x);
    for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(sent[ordered.input_order[i]], x[i]);
  }
  // Ordering again, for another PE count, composes the input orders.
  const Network twice = balance_network(ordered, 3, {true});
  const GoldenModel c(twice, 3);
  std::vector<int16_t> x(70);
  for (auto& e : x) e = static_cast<int16_t>(v(rng));
  EXPECT_EQ(original_order(twice, c.run(network_order(twice, x)).back()), a.run(x).back());
  test::expect_error([&] { (void)network_order(twice, std::vector<int16_t>(69)); },
                     "an input of 69 values for a network of 70 inputs");
}

TEST(Balance, InputOrderNeedsAFullyConnectedFirstLayer) {
  std::mt19937_64 rng(7);
  const Network net = skewed_lstm(rng);
  test::expect_error([&] { (void)balance_network(net, 4, {true}); },
                     "input order: layer1 is a LSTM layer");
  // Its pointers, one set per PE, stay within the shape budget rather than take gigabytes.
  const CodeMatrix wide = CodeMatrix::from_dense(1, 100000, std::vector<uint8_t>(100000, 1));
  test::expect_error([&] { (void)order_columns(wide, 4096); },
                     "input order: the first layer (1x100000) brings the buffers");
}

TEST(Balance, PermuteColumnsMovesInputs) {
  const CodeMatrix m = CodeMatrix::from_dense(2, 3, {1, 2, 3, 4, 5, 6});
  const CodeMatrix p = permute_cols(m, {2, 0, 1});  // old column 0 goes to 2
  EXPECT_EQ(p.to_dense(), (std::vector<uint8_t>{2, 3, 1, 5, 6, 4}));
}

}  // namespace
}  // namespace eie
